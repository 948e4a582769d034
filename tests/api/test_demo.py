"""The API on real data: round 2's questionnaire, Russia's 37 registered replies, the follow-up of V-17."""

import pytest
from rest_framework.test import APIClient

from secretariat.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_loaded, settings):
    """The demo, loaded once for the tests in a row (tests/conftest.py); DEBUG on, as it was loaded."""
    settings.DEBUG = True


def _client(username: str) -> APIClient:
    client = APIClient()
    client.force_login(User.objects.get(username=username))
    return client


def test_coordinator_reads_its_registered_replies_within_the_query_budget(
    demo, django_assert_max_num_queries
):
    client = _client("rus-coordinator")
    # BASE (session, user, two permission queries), count, rows, questions: as with a few rows.
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/replies/?round=2").json()
    assert body["count"] == 37
    assert {row["party"] for row in body["results"]} == {"RUS"}


def test_the_whole_questionnaire_comes_in_one_answer(demo):
    questions = _client("fra-contributor").get("/api/v1/rounds/2/questions/").json()
    assert len(questions) == 118


def test_another_party_sees_none_of_russia_replies(demo):
    assert _client("fra-coordinator").get("/api/v1/replies/?party=RUS").json()["count"] == 0


def test_follow_up_of_v17_is_listed_for_its_eleven_parties(demo):
    body = _client("secretariat-officer").get("/api/v1/follow-ups/?recommendation=V-17").json()
    assert body["count"] == 11


def test_practices_are_paged(demo):
    body = _client("lastrada-contributor").get("/api/v1/practices/").json()
    assert (body["count"], len(body["results"])) == (82, 50)
