"""Rapporteurs write the findings of the chapters on their questions (`may_draft_chapter`)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from monitoring.models import RapporteurAssignment, Submission
from recommendations import access as rules
from recommendations import drafting
from recommendations.models import Finding, FindingCitation, ImplementationReport
from tests.factories import QuestionFactory, ReplyFactory, SubmissionFactory

from .factories import ChapterFactory, ReportFactory

pytestmark = pytest.mark.django_db

Status = ImplementationReport.Status


@pytest.fixture
def draft(report):
    return ReportFactory(round=report.round, status=Status.IN_PREPARATION, reference="LC-DRAFT")


@pytest.fixture
def question(draft):
    return QuestionFactory(section__round=draft.round, ref="16")


@pytest.fixture
def their_chapter(draft, question):
    chapter = ChapterFactory(report=draft, number="V")
    chapter.questions.set([question])
    return chapter


@pytest.fixture
def other_chapter(draft):
    chapter = ChapterFactory(report=draft, number="VI")
    chapter.questions.set([QuestionFactory(section__round=draft.round, ref="17")])
    return chapter


@pytest.fixture
def rapporteur(committee_member, question):
    RapporteurAssignment.objects.create(question=question, member=committee_member)
    return committee_member


@pytest.fixture
def reply_b(draft, question, party_b):
    submission = SubmissionFactory(round=draft.round, party=party_b, status=Submission.Status.REGISTERED)
    return ReplyFactory(submission=submission, questions=[question], text="Russia's reply.")


@pytest.fixture
def their_finding(their_chapter, rapporteur):
    return drafting.finding_create(chapter=their_chapter, by=rapporteur, text_en="Few Parties reply.")


# --- the rule and the services --------------------------------------------------------------------


def test_a_rapporteur_writes_in_the_chapter_on_their_question(rapporteur, their_chapter):
    assert rules.may_draft_chapter(rapporteur, their_chapter)


def test_a_rapporteur_for_a_question_writes_in_a_chapter_on_a_question_below_it(rapporteur, draft):
    chapter = ChapterFactory(report=draft)
    chapter.questions.set([QuestionFactory(section__round=draft.round, ref="16.2")])
    assert rules.may_draft_chapter(rapporteur, chapter)


def test_a_rapporteur_does_not_write_in_another_chapter(rapporteur, other_chapter):
    assert not rules.may_draft_chapter(rapporteur, other_chapter)


def test_a_committee_member_who_is_no_rapporteur_writes_nowhere(committee_member, their_chapter):
    assert not rules.may_draft_chapter(committee_member)


def test_a_rapporteur_does_not_write_once_the_report_is_adopted(rapporteur, their_chapter, draft):
    ImplementationReport.objects.filter(pk=draft.pk).update(status=Status.ADOPTED)
    their_chapter.refresh_from_db()
    assert not rules.may_draft_chapter(rapporteur, their_chapter)
    assert not rules.may_draft_chapter(rapporteur)


def test_a_rapporteur_s_finding_is_theirs_in_its_history(their_finding, rapporteur):
    assert (their_finding.author, their_finding.history.get().history_user) == (rapporteur, rapporteur)


def test_a_rapporteur_cites_a_reply_in_their_chapter(their_finding, rapporteur, reply_b, party_b):
    citation = drafting.finding_cite(finding=their_finding, reply=reply_b, by=rapporteur)
    assert (citation.party, citation.history.get().history_user) == (party_b, rapporteur)


def test_a_rapporteur_cannot_write_in_another_chapter(rapporteur, other_chapter):
    with pytest.raises(PermissionDenied, match="rapporteurs for the chapter"):
        drafting.finding_create(chapter=other_chapter, by=rapporteur, text_en="Not mine.")


def test_a_rapporteur_cannot_move_another_chapter_s_finding_into_theirs(
    rapporteur, other_chapter, their_chapter, officer
):
    finding = drafting.finding_create(chapter=other_chapter, by=officer, text_en="The Secretariat's.")
    finding.chapter = their_chapter
    with pytest.raises(PermissionDenied):
        drafting.finding_save(finding=finding, by=rapporteur)
    assert Finding.objects.get(pk=finding.pk).chapter == other_chapter


def test_a_rapporteur_does_not_draft_recommendations(their_finding, rapporteur):
    with pytest.raises(PermissionDenied):
        drafting.recommendation_draft(finding=their_finding, by=rapporteur, urgency="invite", text_en="x")


# --- the admin ------------------------------------------------------------------------------------


def _add_form(chapter, reply=None) -> dict:
    return {
        "chapter": chapter.pk,
        "order": "0",
        "text_en": "Russia replied.",
        "text_fr": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-reply": reply.pk if reply else "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }


def test_a_rapporteur_writes_a_finding_citing_a_reply_in_the_admin(
    client_for, rapporteur, their_chapter, reply_b
):
    response = client_for(rapporteur).post(
        reverse("admin:recommendations_finding_add"), _add_form(their_chapter, reply_b)
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    finding = Finding.objects.get()
    assert (finding.author, finding.citations.get().reply) == (rapporteur, reply_b)


def test_the_admin_offers_a_rapporteur_their_chapters_only(
    client_for, rapporteur, their_chapter, other_chapter
):
    page = client_for(rapporteur).get(reverse("admin:recommendations_finding_add"))
    chapters = page.context["adminform"].form.fields["chapter"].queryset
    assert list(chapters) == [their_chapter]


def test_the_admin_refuses_a_rapporteur_another_chapter(client_for, rapporteur, their_chapter, other_chapter):
    response = client_for(rapporteur).post(
        reverse("admin:recommendations_finding_add"), _add_form(other_chapter)
    )
    assert response.status_code == 200 and "chapter" in response.context["adminform"].form.errors
    assert not Finding.objects.exists()


def test_a_rapporteur_edits_their_finding_in_the_admin(client_for, rapporteur, their_finding):
    url = reverse("admin:recommendations_finding_change", args=[their_finding.pk])
    form = {**_add_form(their_finding.chapter), "text_en": "Few Parties reply at all."}
    response = client_for(rapporteur).post(url, form)
    assert response.status_code == 302
    their_finding.refresh_from_db()
    assert their_finding.text_en == "Few Parties reply at all."


def test_a_rapporteur_reads_another_chapter_s_finding_only(client_for, rapporteur, other_chapter, officer):
    finding = drafting.finding_create(chapter=other_chapter, by=officer, text_en="The Secretariat's.")
    client = client_for(rapporteur)
    url = reverse("admin:recommendations_finding_change", args=[finding.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {**_add_form(other_chapter), "text_en": "Mine now."}).status_code == 403


def test_a_rapporteur_neither_deletes_nor_marks_translations(client_for, rapporteur, their_finding):
    client = client_for(rapporteur)
    delete = reverse("admin:recommendations_finding_delete", args=[their_finding.pk])
    assert client.get(delete).status_code == 403
    changelist = client.get(reverse("admin:recommendations_finding_changelist"))
    assert "mark_en_translated" not in changelist.text


def test_a_committee_member_who_is_no_rapporteur_cannot_add_a_finding(
    client_for, committee_member, their_chapter
):
    assert client_for(committee_member).get(reverse("admin:recommendations_finding_add")).status_code == 403


def test_the_secretariat_still_writes_in_every_chapter(client_for, officer, other_chapter, their_chapter):
    response = client_for(officer).post(
        reverse("admin:recommendations_finding_add"), _add_form(other_chapter)
    )
    assert response.status_code == 302
    assert FindingCitation.objects.count() == 0 and Finding.objects.get().author == officer


def test_a_rapporteur_s_chapter_page_offers_to_write_a_finding_in_it(client_for, rapporteur, their_chapter):
    page = client_for(rapporteur).get(
        reverse("admin:recommendations_chapter_change", args=[their_chapter.pk])
    )
    assert f"{reverse('admin:recommendations_finding_add')}?chapter={their_chapter.pk}" in page.text


def test_another_chapter_s_page_offers_a_rapporteur_nothing_to_write(client_for, rapporteur, other_chapter):
    page = client_for(rapporteur).get(
        reverse("admin:recommendations_chapter_change", args=[other_chapter.pk])
    )
    assert page.status_code == 200 and 'id="add-finding"' not in page.text


def test_the_finding_form_opens_on_the_chapter_given(client_for, rapporteur, their_chapter):
    url = f"{reverse('admin:recommendations_finding_add')}?chapter={their_chapter.pk}"
    form = client_for(rapporteur).get(url).context["adminform"].form
    assert str(form.initial["chapter"]) == str(their_chapter.pk)
