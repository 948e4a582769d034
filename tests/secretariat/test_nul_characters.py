"""A NUL character (which no PostgreSQL text can hold) in an address answers 400 with the reason.

Before, each of these reached a query and PostgreSQL refused it: 500. Run on both databases.
"""

import pytest
from django.urls import reverse

from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client_for, officer):
    return client_for(officer)


@pytest.mark.parametrize(
    "url",
    [
        "/files/a%00b",
        "/admin/secretariat/party/?q=a%00b",
        "/admin/autocomplete/?term=a%00b&app_label=monitoring&model_name=submission&field_name=party",
        "/factsheets/practices/?q=a%00b",
        "/api/v1/parties/?code=a%00b",
        "/api/v1/replies/?questions=a%00b",
        "/admin/secretariat/party/?a%00b=1",  # in a parameter's name
    ],
)
def test_a_nul_in_the_address_is_a_bad_request_with_its_reason(officer_client, url):
    PartyFactory(code="FRA")
    response = officer_client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_an_api_address_with_a_nul_is_refused_in_json(officer_client):
    response = officer_client.get("/api/v1/parties/?code=a%00b")
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


def test_a_percent_sign_followed_by_zeros_is_plain_text(officer_client):
    # "%2500" decodes to the text "%00", which holds no NUL.
    response = officer_client.get(reverse("admin:secretariat_party_changelist"), {"q": "%00"})
    assert response.status_code == 200


def test_a_session_cookie_with_a_nul_is_ignored_like_any_unknown_session(client):
    client.cookies["sessionid"] = "a" * 20 + "\x00" + "b" * 11
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # to the login page, as for any unknown session
