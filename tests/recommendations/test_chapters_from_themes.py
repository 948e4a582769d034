"""A report in preparation takes its chapters from the questionnaire's themes: one chapter per
theme not yet analysed, with its titles and numbered questions, numbered after the report's own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from recommendations import drafting
from recommendations.models import Chapter, ImplementationReport
from tests.factories import QuestionFactory, RoundFactory, SectionFactory

from .factories import ChapterFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_themes():
    """A round of two themes: 'Prevention' (questions 1, with a sub-question, and 2) and
    'Co-operation' (3)."""
    round = RoundFactory()
    prevention = SectionFactory(round=round, order=1, title_en="Prevention", title_fr="Prévention")
    cooperation = SectionFactory(round=round, order=2, title_en="Co-operation", title_fr="Coopération")
    first = QuestionFactory(section=prevention, ref="1", order=1)
    QuestionFactory(section=prevention, parent=first, ref="1.1", order=2)
    QuestionFactory(section=prevention, ref="2", order=3)
    QuestionFactory(section=cooperation, ref="3", order=4)
    return round


@pytest.fixture
def draft(round_with_themes):
    return ReportFactory(
        round=round_with_themes, status=ImplementationReport.Status.IN_PREPARATION, reference="LC-THEMES"
    )


def test_each_theme_becomes_a_chapter_with_its_titles_and_numbered_questions(draft, officer):
    created = drafting.chapters_from_themes(report=draft, by=officer)

    assert [(c.number, c.title_en, c.title_fr) for c in created] == [
        ("I", "Prevention", "Prévention"),
        ("II", "Co-operation", "Coopération"),
    ]
    assert [q.ref for q in created[0].questions.order_by("order")] == ["1", "2"]
    assert created[0].history.first().history_user == officer


def test_themes_already_analysed_are_left_and_numbers_follow_the_report_s_chapters(draft, officer):
    existing = ChapterFactory(report=draft, number="I", order=1)
    existing.questions.set(draft.round.questions.filter(ref="1"))

    created = drafting.chapters_from_themes(report=draft, by=officer)

    assert [(c.number, c.title_en) for c in created] == [("II", "Co-operation")]


def test_running_it_again_adds_nothing(draft, officer):
    drafting.chapters_from_themes(report=draft, by=officer)

    assert drafting.chapters_from_themes(report=draft, by=officer) == []
    assert Chapter.objects.filter(report=draft).count() == 2


@pytest.mark.parametrize("who", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_prepares_chapters(draft, who, request):
    with pytest.raises(PermissionDenied):
        drafting.chapters_from_themes(report=draft, by=request.getfixturevalue(who))
    assert not Chapter.objects.filter(report=draft).exists()


def test_an_adopted_report_gets_no_new_chapter(draft, officer):
    ImplementationReport.objects.filter(pk=draft.pk).update(status=ImplementationReport.Status.ADOPTED)

    with pytest.raises(PermissionDenied):
        drafting.chapters_from_themes(report=draft, by=officer)


def test_chapters_are_numbered_in_roman_numerals():
    assert [drafting.roman(n) for n in (1, 4, 5, 9, 14, 19, 40)] == ["I", "IV", "V", "IX", "XIV", "XIX", "XL"]


def test_the_admin_action_adds_the_chapters_and_says_how_many(draft, client_for, officer):
    response = client_for(officer).post(
        reverse("admin:recommendations_implementationreport_changelist"),
        {"action": "chapters_from_themes", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert "2 chapters added." in response.content.decode()
    assert Chapter.objects.filter(report=draft).count() == 2
