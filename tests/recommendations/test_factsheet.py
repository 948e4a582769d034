"""What a factsheet holds and in which order (recommendations/factsheets.py)."""

import factory
import pytest

from recommendations.factsheets import build_factsheet, roman
from recommendations.models import Factsheet, FactsheetSection, Urgency
from secretariat.models import Role
from tests.factories import ArticleFactory, PartyFactory, UserFactory

from .factories import ChapterFactory, PracticeFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


class FactsheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Factsheet

    slug = factory.Sequence(lambda n: f"factsheet-{n}")
    title_en = factory.Sequence(lambda n: f"Factsheet – Topic {n}")
    introduction_en = "Protecting children is a **common** challenge."


class FactsheetSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactsheetSection
        skip_postgeneration_save = True

    factsheet = factory.SubFactory(FactsheetFactory)
    order = factory.Sequence(lambda n: n + 1)
    heading_en = factory.Sequence(lambda n: f"Section heading {n}")
    text_en = factory.Sequence(lambda n: f"The Committee's findings {n}.")

    @factory.post_generation
    def recommendations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.recommendations.set(extracted)


@pytest.fixture
def article_38():
    return ArticleFactory(
        number=38, title_en="General principles and measures for international co-operation"
    )


@pytest.fixture
def chapter_factsheet(report, chapter, article_38):
    """A factsheet on one chapter (two recommendations) whose second section cites another chapter's."""
    first = RecommendationFactory(chapter=chapter, number="V-1", order=1, urgency=Urgency.INVITE)
    second = RecommendationFactory(chapter=chapter, number="V-2", order=2, urgency=Urgency.REQUEST)
    other = RecommendationFactory(chapter=ChapterFactory(report=report), number="V-17", order=17)
    sheet = FactsheetFactory(
        report=report, chapter=chapter, article=article_38, article_text="1. *Co-operate.*"
    )
    # Created out of order: the factsheet follows `order`, and its footnotes the report's order.
    FactsheetSectionFactory(factsheet=sheet, order=2, heading_en="Victims", recommendations=[other])
    FactsheetSectionFactory(factsheet=sheet, order=1, heading_en="General", recommendations=[second, first])
    return sheet


def test_parts_are_numbered_introduction_article_then_sections_in_order(chapter_factsheet, officer):
    document = build_factsheet(factsheet=chapter_factsheet, user=officer)
    assert [(entry.number, entry.title) for entry in document.contents] == [
        ("I", "Introduction"),
        ("II", "Article 38 – General principles and measures for international co-operation"),
        ("III", "General"),
        ("IV", "Victims"),
        ("", "Promising practices"),
        ("", "Recommendations of the chapter"),
    ]
    assert [section.heading for section in document.sections] == ["General", "Victims"]


def test_title_introduction_and_round_come_from_the_factsheet_and_its_report(chapter_factsheet, officer):
    document = build_factsheet(factsheet=chapter_factsheet, user=officer)
    round = chapter_factsheet.report.round
    assert document.title == chapter_factsheet.title_en
    assert document.introduction == "Protecting children is a **common** challenge."
    assert document.findings_on == f"{round.theme_en} – {round.title_en}"
    assert document.article_text == "1. *Co-operate.*"


def test_urgency_legend_lists_require_request_invite_with_their_definitions(chapter_factsheet, officer):
    document = build_factsheet(factsheet=chapter_factsheet, user=officer)
    assert [term.label for term in document.urgencies] == ["Require", "Request", "Invite"]
    assert document.urgencies[0].definition.startswith("The step corresponds to an obligation")


def test_section_footnotes_cite_recommendations_numbered_through_the_factsheet(chapter_factsheet, officer):
    document = build_factsheet(factsheet=chapter_factsheet, user=officer)
    notes = [
        [(note.number, note.recommendation.reference) for note in section.footnotes]
        for section in document.sections
    ]
    assert notes == [[(1, "Recommendation V-1"), (2, "Recommendation V-2")], [(3, "Recommendation V-17")]]


def test_recommendations_are_the_chapter_s_plus_those_sections_cite_in_report_order(
    chapter_factsheet, officer
):
    document = build_factsheet(factsheet=chapter_factsheet, user=officer)
    assert [(r.number, r.urgency_label) for r in document.recommendations] == [
        ("V-1", "Invite"),
        ("V-2", "Request"),
        ("V-17", "Require"),
    ]


def test_recommendation_names_its_addressees_or_all_parties(report, chapter, party_a, party_b, officer):
    RecommendationFactory(chapter=chapter, number="V-3", order=1, addressed_to_all=True)
    RecommendationFactory(chapter=chapter, number="V-4", order=2, addressees=[party_b, party_a])
    document = build_factsheet(factsheet=FactsheetFactory(report=report, chapter=chapter), user=officer)
    assert [r.addressees for r in document.recommendations] == ["All Parties", "France, Russian Federation"]


def test_theme_factsheet_takes_the_theme_s_recommendations_within_its_report(report, chapter, officer):
    theme = ThemeFactory(slug="international-cooperation")
    themed = RecommendationFactory(chapter=chapter, themes=[theme])
    RecommendationFactory(chapter=chapter)  # another theme
    RecommendationFactory(themes=[theme])  # the theme, in another report
    document = build_factsheet(factsheet=FactsheetFactory(report=report, theme=theme), user=officer)
    assert [r.number for r in document.recommendations] == [themed.number]


def test_without_article_the_sections_follow_the_introduction(report, officer):
    sheet = FactsheetFactory(report=report)
    FactsheetSectionFactory(factsheet=sheet, heading_en="Only section")
    document = build_factsheet(factsheet=sheet, user=officer)
    assert document.article_heading == ""
    assert [(s.number, s.heading) for s in document.sections] == [("II", "Only section")]


def test_practices_are_grouped_by_party_name_and_practices_of_no_party_come_last(
    report, party_a, party_b, officer
):
    belgium = PartyFactory(code="BEL", name_en="Belgium")
    shared = PracticeFactory(title="Bilateral co-operation", parties=[party_b, party_a])
    french = PracticeFactory(title="A French helpline", parties=[party_a])
    network = PracticeFactory(title="An international network", other_states="USA")
    belgian = PracticeFactory(title="Belgian consortium", parties=[belgium])
    sheet = FactsheetFactory(report=report)
    sheet.practices.set([shared, french, network, belgian])
    document = build_factsheet(factsheet=sheet, user=officer)
    groups = [(group.country, [p.title for p in group.practices]) for group in document.practices]
    assert groups == [
        ("Belgium", ["Belgian consortium"]),
        ("France", ["A French helpline", "Bilateral co-operation"]),
        ("Russian Federation", ["Bilateral co-operation"]),
        ("Other", ["An international network"]),
    ]
    assert document.practices[-1].practices[0].states == "United States"
    assert document.practices[1].practices[1].states == "France, Russian Federation"


def test_practices_not_chosen_for_the_factsheet_are_left_out(report, officer):
    PracticeFactory(title="Unrelated practice")
    document = build_factsheet(factsheet=FactsheetFactory(report=report), user=officer)
    assert document.practices == []


def test_user_without_a_scope_cannot_build_a_factsheet(chapter_factsheet):
    inactive = UserFactory(role=Role.COMMITTEE_MEMBER, is_active=False)
    with pytest.raises(Factsheet.DoesNotExist):
        build_factsheet(factsheet=chapter_factsheet, user=inactive)


def test_state_user_of_any_party_builds_the_published_factsheet(chapter_factsheet, coordinator_b):
    document = build_factsheet(factsheet=chapter_factsheet, user=coordinator_b)
    assert len(document.recommendations) == 3


def test_roman_numbers():
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]


def _populate(sheet, chapter, practices: int, sections: int, party) -> None:
    for index in range(sections):
        cited = [RecommendationFactory(chapter=chapter, addressees=[party]) for _ in range(2)]
        FactsheetSectionFactory(factsheet=sheet, order=index, recommendations=cited)
    sheet.practices.set([PracticeFactory(parties=[party]) for _ in range(practices)])


def test_building_runs_a_fixed_number_of_queries(
    report, chapter, party_a, officer, django_assert_max_num_queries, django_assert_num_queries
):
    few, many = (
        FactsheetFactory(report=report, chapter=chapter),
        FactsheetFactory(report=report, chapter=chapter),
    )
    _populate(few, chapter, practices=1, sections=1, party=party_a)
    _populate(many, chapter, practices=15, sections=8, party=party_a)
    # Allowed: the factsheet (with report, round, chapter, theme, article), its sections, their
    # links to recommendations, the recommendations, their addressees, their citations, the
    # practices and their Parties.
    with django_assert_max_num_queries(8) as small:
        build_factsheet(factsheet=few, user=officer)
    with django_assert_num_queries(len(small.captured_queries)):
        document = build_factsheet(factsheet=many, user=officer)
    assert len(document.recommendations) == 18 and document.practice_count == 15
