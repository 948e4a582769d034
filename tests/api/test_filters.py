"""Filtering, ordering and paging the API's lists by the domain's own keys."""

import pytest

from recommendations.models import AssessedStatus
from tests.factories import QuestionFactory, ReplyFactory
from tests.recommendations.factories import PracticeFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def secretariat(api_for, world, officer):
    return api_for(officer)


# --- replies -------------------------------------------------------------------------------------


def test_replies_by_party_code(secretariat, world):
    assert _ids(secretariat.get("/api/v1/replies/?party=rus")) == [world.reply_b.pk]


def test_replies_by_round_number(secretariat, world):
    other = ReplyFactory(submission__round__number=7)
    assert _ids(secretariat.get("/api/v1/replies/?round=7")) == [other.pk]


def test_replies_by_question_include_the_nodes_below_it(secretariat, world):
    assert _ids(secretariat.get("/api/v1/replies/?round=2&question=1")) == [world.reply_a.pk]
    assert _ids(secretariat.get("/api/v1/replies/?round=2&question=1.a")) == [world.reply_a.pk]
    assert _ids(secretariat.get("/api/v1/replies/?round=2&question=1.b")) == []


def test_replies_by_question_do_not_match_a_longer_number(secretariat, world):
    # Question 1 covers 1.a, not 11.
    eleven = QuestionFactory(round=world.round, section=world.questions["1"].section, ref="11", order=999)
    ReplyFactory(submission=world.submission_b, questions=[eleven])
    assert _ids(secretariat.get("/api/v1/replies/?round=2&question=1")) == [world.reply_a.pk]


def test_replies_by_language(secretariat, world):
    world.reply_c.language = "fr"
    world.reply_c.save()
    assert _ids(secretariat.get("/api/v1/replies/?language=fr")) == [world.reply_c.pk]


def test_replies_by_submission_status(secretariat, world):
    assert _ids(secretariat.get("/api/v1/replies/?status=draft")) == [world.reply_a.pk]


def test_replies_ordered_by_last_change(secretariat, world):
    world.reply_a.save()  # now the latest changed
    assert _ids(secretariat.get("/api/v1/replies/?ordering=-updated_at"))[0] == world.reply_a.pk


# --- follow-up --------------------------------------------------------------------------------------


def test_follow_ups_by_party_and_recommendation_number(secretariat, world):
    RecommendationFactory(chapter__report=world.report, number="V-18", addressed_to_all=True)
    response = secretariat.get("/api/v1/follow-ups/?recommendation=v-17&party=FRA")
    assert _ids(response) == [world.follow_ups["FRA"].pk]


def test_follow_ups_by_report(secretariat, world):
    assert len(_ids(secretariat.get(f"/api/v1/follow-ups/?report={world.report.pk}"))) == 3
    assert _ids(secretariat.get(f"/api/v1/follow-ups/?report={world.report.pk + 1}")) == []


def test_follow_ups_by_assessed_status(secretariat, world):
    response = secretariat.get(f"/api/v1/follow-ups/?assessed_status={AssessedStatus.NOT_ASSESSED}")
    assert _ids(response) == [world.follow_ups["ITA"].pk]
    assert _ids(secretariat.get("/api/v1/follow-ups/?assessed_status=partly")) == [world.follow_ups["RUS"].pk]


def test_follow_up_updates_by_party(secretariat, world):
    assert _ids(secretariat.get("/api/v1/follow-up-updates/?party=FRA")) == [world.update_a.pk]


def test_assessments_by_status(secretariat, world):
    assert _ids(secretariat.get("/api/v1/assessments/?status=implemented")) == [world.assessment_a.pk]


# --- practices and the rest -------------------------------------------------------------------------


def test_practices_by_party_include_states_outside_the_council_of_europe(secretariat, world):
    canadian = PracticeFactory(other_states="CAN", title="A Canadian practice")
    assert _ids(secretariat.get("/api/v1/practices/?party=CAN")) == [canadian.pk]
    assert _ids(secretariat.get("/api/v1/practices/?party=FRA")) == [world.practice.pk]


def test_practices_by_theme(secretariat, world):
    PracticeFactory(themes=[ThemeFactory(slug="education")])
    assert _ids(secretariat.get("/api/v1/practices/?theme=co-operation")) == [world.practice.pk]


def test_practices_by_words(secretariat, world):
    PracticeFactory(title="A training course")
    assert _ids(secretariat.get("/api/v1/practices/?q=HELPLINE")) == [world.practice.pk]


def test_submissions_by_status_and_party(secretariat, world):
    assert _ids(secretariat.get("/api/v1/submissions/?status=registered&party=ITA")) == [
        world.submission_c.pk
    ]


def test_questions_by_round_and_kind(secretariat, world):
    refs = [
        row["ref"] for row in secretariat.get("/api/v1/questions/?round=2&kind=question").json()["results"]
    ]
    assert refs == ["1", "2", "3", "4", "5", "6"]


def test_lists_are_paged_by_fifty(secretariat, world):
    for _ in range(55):
        ReplyFactory(submission=world.submission_b)
    body = secretariat.get("/api/v1/replies/").json()
    assert (body["count"], len(body["results"])) == (58, 50)
    assert len(secretariat.get(body["next"]).json()["results"]) == 8
