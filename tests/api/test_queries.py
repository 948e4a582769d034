"""Each list endpoint runs a fixed number of queries, whatever the number of rows (1 against 20).

Every budget starts with the same four queries, called BASE below: the session, the user, and
the user's and their groups' permissions (the role's view permission on the model listed).
Then come the page's COUNT and its rows (related records joined), then one query per
prefetched relation.
"""

import pytest

from monitoring.models import Submission
from recommendations import services as recommendation_services
from recommendations.models import Citation, Factsheet, FactsheetSection, FollowUpUpdate
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    RoundFactory,
    SubmissionFactory,
    build_round,
)
from tests.recommendations.factories import (
    ChapterFactory,
    PracticeFactory,
    RecommendationFactory,
    ReportFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

BASE = 4  # session, user, user permissions, group permissions
FEW, MANY = 1, 20


def _parties(n, **_):
    PartyFactory.create_batch(n)


def _rounds(n, **_):
    parties = PartyFactory.create_batch(2)
    for _ in range(n):
        RoundFactory().parties.set(parties)


def _questions(n, **_):
    round = RoundFactory()
    parent = QuestionFactory(section__round=round)
    for _ in range(n):
        QuestionFactory(section=parent.section, parent=parent, kind="item")


def _submissions(n, **_):
    round = RoundFactory()
    for index in range(n):
        party = PartyFactory()
        organisation = OrganisationFactory(party=party) if index % 2 else None
        SubmissionFactory(round=round, party=party, organisation=organisation)


def _replies(n, party, **_):
    round = build_round(parties=[party])
    submission = SubmissionFactory(round=round, party=party, status=Submission.Status.DRAFT)
    questions = list(round.questions.all()[:2])
    for _ in range(n):
        ReplyFactory(submission=submission, questions=questions)


def _reports(n, **_):
    article = ArticleFactory(number=38)
    for _ in range(n):
        ChapterFactory(report=ReportFactory()).articles.set([article])


def _recommendations(n, **_):
    parties, theme = PartyFactory.create_batch(2), ThemeFactory()
    chapter = ChapterFactory()
    for _ in range(n):
        recommendation = RecommendationFactory(chapter=chapter, addressees=parties, themes=[theme])
        Citation.objects.create(
            recommendation=recommendation, article=ArticleFactory(number=38), paragraph="(1)"
        )


def _follow_ups(n, party, officer, **_):
    chapter = ChapterFactory()
    for _ in range(n):
        recommendation = RecommendationFactory(chapter=chapter, addressees=[party, PartyFactory()])
        recommendation_services.follow_up_assess(
            follow_up=recommendation.follow_ups.get(party=party),
            by=officer,
            status="partly",
            reasoning="Some.",
        )


def _updates(n, party, coordinator, **_):
    recommendation = RecommendationFactory(addressees=[party])
    follow_up = recommendation.follow_ups.get()
    for _ in range(n):
        FollowUpUpdate.objects.create(
            follow_up=follow_up, author=coordinator, text="Done.", reported_status="done"
        )


def _assessments(n, party, coordinator, officer, **_):
    recommendation = RecommendationFactory(addressees=[party])
    follow_up = recommendation.follow_ups.get()
    update = FollowUpUpdate.objects.create(
        follow_up=follow_up, author=coordinator, text="Done.", reported_status="done"
    )
    reply = ReplyFactory(submission__party=party)
    for _ in range(n):
        recommendation_services.follow_up_assess(
            follow_up=follow_up,
            by=officer,
            status="partly",
            reasoning="Some.",
            updates=[update],
            replies=[reply],
        )


def _practices(n, **_):
    parties, theme, article = PartyFactory.create_batch(2), ThemeFactory(), ArticleFactory(number=38)
    for _ in range(n):
        practice = PracticeFactory(parties=parties, themes=[theme])
        Citation.objects.create(practice=practice, article=article)


def _factsheets(n, **_):
    theme = ThemeFactory()
    recommendation = RecommendationFactory()
    practice = PracticeFactory()
    for index in range(n):
        factsheet = Factsheet.objects.create(slug=f"factsheet-{index}", title_en="A factsheet", theme=theme)
        factsheet.practices.set([practice])
        section = FactsheetSection.objects.create(factsheet=factsheet, heading_en="Findings")
        section.recommendations.set([recommendation])


# endpoint: (rows builder, queries after BASE, what they are)
BUDGETS = {
    "parties": (_parties, 2, "count, rows"),
    "rounds": (_rounds, 3, "count, rows, parties"),
    "questions": (_questions, 2, "count, rows with round, section and parent"),
    "submissions": (_submissions, 2, "count, rows with round, Party and organisation"),
    "replies": (_replies, 3, "count, rows with submission, round and Party; questions"),
    "reports": (_reports, 4, "count, rows with round; chapters; their articles"),
    "recommendations": (
        _recommendations,
        5,
        "count, rows with report and chapter; addressees, themes, citations",
    ),
    "follow-ups": (_follow_ups, 2, "count, rows with recommendation, Party, latest visible assessment"),
    "follow-up-updates": (_updates, 2, "count, rows with follow-up, recommendation, Party and author"),
    "assessments": (
        _assessments,
        5,
        "count, rows with follow-up, recommendation and Party; updates, replies, documents",
    ),
    "practices": (_practices, 5, "count, rows with round; parties, themes, citations with articles"),
    "factsheets": (
        _factsheets,
        5,
        "count, rows with report, chapter, theme, article; practices, sections, their recommendations",
    ),
}


@pytest.fixture
def arrange(party_a, officer, coordinator_a):
    def build(endpoint, n):
        BUDGETS[endpoint][0](n, party=party_a, officer=officer, coordinator=coordinator_a)

    return build


@pytest.mark.parametrize("rows", [FEW, MANY])
@pytest.mark.parametrize("endpoint", BUDGETS)
def test_secretariat_list_runs_a_fixed_number_of_queries(
    api_for, arrange, officer, django_assert_max_num_queries, endpoint, rows
):
    arrange(endpoint, rows)
    client = api_for(officer)
    # BASE, then the endpoint's own queries listed in BUDGETS.
    with django_assert_max_num_queries(BASE + BUDGETS[endpoint][1]):
        response = client.get(f"/api/v1/{endpoint}/")
    assert response.json()["count"] >= rows


@pytest.mark.parametrize("rows", [FEW, MANY])
@pytest.mark.parametrize("endpoint", ["replies", "follow-ups", "follow-up-updates", "assessments"])
def test_state_user_list_runs_a_fixed_number_of_queries(
    api_for, arrange, coordinator_a, django_assert_max_num_queries, endpoint, rows
):
    arrange(endpoint, rows)
    client = api_for(coordinator_a)
    # The access rules are subqueries of the same queries: the budget is the Secretariat's.
    with django_assert_max_num_queries(BASE + BUDGETS[endpoint][1]):
        response = client.get(f"/api/v1/{endpoint}/")
    assert response.json()["count"] >= rows


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_questionnaire_runs_a_fixed_number_of_queries(
    api_for, party_a, contributor_a, django_assert_max_num_queries, rows
):
    build_round(parties=[party_a], number=2, questions_per_section=rows)
    client = api_for(contributor_a)
    # BASE, the round, the questions with their round, section and parent.
    with django_assert_max_num_queries(BASE + 2):
        response = client.get("/api/v1/rounds/2/questions/")
    assert len(response.json()) == rows * 2 * 3
