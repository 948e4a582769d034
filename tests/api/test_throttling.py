"""The API answers 429, with the wait, past the calls allowed per user or per anonymous client."""

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_calls_a_minute(monkeypatch):
    # DRF reads the rates when a throttle is made: each request, from this dict (settings.REST_FRAMEWORK).
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "3/minute")


def test_user_past_the_rate_gets_429_with_the_wait(api_for, coordinator_a, three_calls_a_minute):
    client = api_for(coordinator_a)
    answers = [client.get("/api/v1/parties/") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Request was throttled" in answers[-1].json()["detail"]
    assert int(answers[-1]["Retry-After"]) > 0


def test_each_user_has_their_own_count(api_for, coordinator_a, coordinator_b, three_calls_a_minute):
    for _ in range(3):
        api_for(coordinator_a).get("/api/v1/parties/")
    assert api_for(coordinator_b).get("/api/v1/parties/").status_code == 200


def test_anonymous_client_past_the_rate_gets_429(api, three_calls_a_minute):
    answers = [api.get("/api/v1/parties/").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]


def test_each_call_counts_once(api_for, coordinator_a, three_calls_a_minute):
    client = api_for(coordinator_a)
    assert [client.get("/api/v1/parties/").status_code for _ in range(3)] == [200, 200, 200]
