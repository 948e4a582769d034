"""/factsheets/<slug>/: the factsheet to read or download, for every signed-in user."""

import re

import pytest
from django.urls import reverse

from .factories import PracticeFactory, RecommendationFactory
from .test_factsheet import FactsheetFactory, FactsheetSectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def factsheet(report, chapter, party_a):
    recommendation = RecommendationFactory(chapter=chapter, number="V-17")
    sheet = FactsheetFactory(slug="international-cooperation", report=report, chapter=chapter)
    FactsheetSectionFactory(factsheet=sheet, recommendations=[recommendation])
    sheet.practices.set([PracticeFactory(parties=[party_a])])
    return sheet


def url(slug="international-cooperation", **query) -> str:
    path = reverse("factsheets:factsheet", args=[slug])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_anonymous_visitor_is_sent_to_the_login_page(client, factsheet):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_officer_reads_the_factsheet_as_a_page(client_for, officer, factsheet):
    response = client_for(officer).get(url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Recommendation V-17" in response.text
    assert "Content-Disposition" not in response


@pytest.mark.parametrize(
    ("format", "content_type"),
    [
        ("html", "text/html; charset=utf-8"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ],
)
def test_committee_member_downloads_each_format(
    client_for, committee_member, factsheet, format, content_type
):
    response = client_for(committee_member).get(url(format=format))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f'filename="factsheet-international-cooperation.{format}"' in response["Content-Disposition"]


def test_state_user_of_another_party_downloads_the_published_factsheet(client_for, coordinator_b, factsheet):
    # Factsheets are published material: no Party scope applies (contrast: follow-ups answer 404).
    response = client_for(coordinator_b).get(url(format="pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_stakeholder_reads_the_factsheet(client_for, stakeholder_b, factsheet):
    assert client_for(stakeholder_b).get(url()).status_code == 200


def test_unknown_factsheet_answers_404(client_for, officer, factsheet):
    assert client_for(officer).get(url("no-such-sheet")).status_code == 404


def test_unknown_format_answers_404(client_for, officer, factsheet):
    assert client_for(officer).get(url(format="odt")).status_code == 404


def test_download_runs_a_fixed_number_of_queries(
    client_for,
    officer,
    report,
    chapter,
    party_a,
    factsheet,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client = client_for(officer)
    # Allowed: session, user, the factsheet by slug, then the 8 of build_factsheet (the factsheet
    # with its report, its sections, their links, the recommendations, addressees, citations,
    # practices and their Parties).
    with django_assert_max_num_queries(11) as few:
        assert client.get(url(format="docx")).status_code == 200
    for order in range(10):
        cited = [RecommendationFactory(chapter=chapter, addressees=[party_a]) for _ in range(3)]
        FactsheetSectionFactory(factsheet=factsheet, order=order + 10, recommendations=cited)
    factsheet.practices.set([PracticeFactory(parties=[party_a]) for _ in range(20)])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url(format="docx")).status_code == 200


def test_factsheet_page_styles_itself_under_the_content_security_policy(client_for, officer, factsheet):
    response = client_for(officer).get(url())
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.text
