"""A report in preparation: the Secretariat's and the Committee's alone, and no follow-up before adoption.

Every entry point takes its rows from `secretariat.access`, so the row rules are checked first,
then each entry point States use (portal, API, factsheets and their documents) and the admin.
"""

import pytest
from django.urls import reverse

from recommendations import factsheets, services
from recommendations.models import Chapter, Citation, FollowUp, ImplementationReport, Recommendation
from secretariat import access
from tests.factories import ArticleFactory

from .factories import ChapterFactory, RecommendationFactory, ReportFactory
from .test_factsheet import FactsheetFactory, FactsheetSectionFactory
from .test_resources import REPORT_HEADER, _import

pytestmark = pytest.mark.django_db

IN_PREPARATION = ImplementationReport.Status.IN_PREPARATION


@pytest.fixture
def draft(report):
    """A report in preparation on the same round as `report`, with one chapter, one draft
    recommendation addressed to all the round's Parties and one cited article."""
    draft = ReportFactory(round=report.round, status=IN_PREPARATION, reference="LC-DRAFT")
    recommendation = RecommendationFactory(
        chapter=ChapterFactory(report=draft, number="VI"), number="VI-1", addressed_to_all=True
    )
    Citation.objects.create(recommendation=recommendation, article=ArticleFactory())
    return draft


@pytest.fixture
def draft_recommendation(draft) -> Recommendation:
    return draft.recommendations.get()


def test_a_new_report_is_in_preparation():
    assert ImplementationReport().status == IN_PREPARATION


def test_a_draft_recommendation_opens_no_follow_up(draft_recommendation):
    assert not draft_recommendation.follow_ups.exists()


def test_syncing_a_draft_recommendation_changes_nothing(draft_recommendation, officer):
    counts = services.recommendation_sync_follow_ups(recommendation=draft_recommendation, by=officer)
    assert counts == {"added": 0, "retired": 0, "restored": 0}
    assert not FollowUp.objects.filter(recommendation=draft_recommendation).exists()


def test_an_imported_report_is_adopted(officer):
    from tests.factories import RoundFactory

    RoundFactory(number=3)
    _import("reports", REPORT_HEADER + "R3,3,Report 3,Rapport 3,2025-03-12,,\n", officer)
    assert ImplementationReport.objects.get(reference="R3").status == ImplementationReport.Status.ADOPTED


# --- row rules ------------------------------------------------------------------------------------

DRAFT_CONTENT = [
    (ImplementationReport, "reference", "LC-DRAFT"),
    (Chapter, "number", "VI"),
    (Recommendation, "number", "VI-1"),
    (Citation, "recommendation__number", "VI-1"),
]


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "coordinator_b", "stakeholder_b"])
@pytest.mark.parametrize(("model", "field", "value"), DRAFT_CONTENT)
def test_states_and_stakeholders_never_see_a_report_in_preparation(
    request, draft, persona, model, field, value
):
    user = request.getfixturevalue(persona)
    assert not access.scoped(model, user).filter(**{field: value}).exists()


@pytest.mark.parametrize("persona", ["coordinator_b", "stakeholder_b"])
def test_states_and_stakeholders_still_read_adopted_reports(request, draft, recommendation, persona):
    user = request.getfixturevalue(persona)
    assert list(access.scoped(Recommendation, user)) == [recommendation]
    assert list(access.scoped(ImplementationReport, user)) == [recommendation.report]


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
@pytest.mark.parametrize(("model", "field", "value"), DRAFT_CONTENT)
def test_secretariat_and_committee_see_a_report_in_preparation(request, draft, persona, model, field, value):
    user = request.getfixturevalue(persona)
    assert access.scoped(model, user).filter(**{field: value}).exists()


def test_a_follow_up_of_a_draft_is_hidden_from_its_party(draft_recommendation, party_a, coordinator_a):
    # None is opened before adoption; one written behind the services' back still does not show.
    FollowUp.objects.create(recommendation=draft_recommendation, party=party_a)
    assert not access.scoped(FollowUp, coordinator_a).filter(recommendation=draft_recommendation).exists()


def test_a_practice_s_citations_stay_public(draft, coordinator_a):
    from .factories import PracticeFactory

    citation = Citation.objects.create(practice=PracticeFactory(), article=ArticleFactory())
    assert citation in access.scoped(Citation, coordinator_a)


# --- entry points ---------------------------------------------------------------------------------


def test_api_lists_no_draft_report_or_recommendation_to_a_state(
    client_for, draft, recommendation, coordinator_a
):
    client = client_for(coordinator_a)
    reports = client.get("/api/v1/reports/").json()["results"]
    recommendations = client.get("/api/v1/recommendations/").json()["results"]
    assert [row["reference"] for row in reports] == [recommendation.report.reference]
    assert [row["number"] for row in recommendations] == [recommendation.number]


def test_api_answers_404_for_a_draft_recommendation_to_a_state(
    client_for, draft_recommendation, coordinator_a
):
    response = client_for(coordinator_a).get(f"/api/v1/recommendations/{draft_recommendation.pk}/")
    assert response.status_code == 404


def test_api_gives_the_committee_the_draft(client_for, draft_recommendation, committee_member):
    response = client_for(committee_member).get(f"/api/v1/recommendations/{draft_recommendation.pk}/")
    assert response.status_code == 200


def test_portal_answers_404_for_a_follow_up_of_a_draft(
    client_for, draft_recommendation, party_a, coordinator_a
):
    follow_up = FollowUp.objects.create(recommendation=draft_recommendation, party=party_a)
    client = client_for(coordinator_a)
    assert client.get(reverse("follow_up:detail", args=[follow_up.pk])).status_code == 404
    assert "VI-1" not in client.get(reverse("follow_up:list")).text


@pytest.fixture
def factsheet_citing_a_draft(draft_recommendation, recommendation):
    sheet = FactsheetFactory(slug="drafts")
    FactsheetSectionFactory(factsheet=sheet, recommendations=[recommendation, draft_recommendation])
    return sheet


def test_a_factsheet_built_for_a_state_leaves_a_draft_recommendation_out(
    factsheet_citing_a_draft, recommendation, coordinator_a
):
    # The page, the DOCX and the PDF are all written from this document.
    document = factsheets.build_factsheet(factsheet=factsheet_citing_a_draft, user=coordinator_a)
    assert [entry.number for entry in document.recommendations] == [recommendation.number]


def test_the_factsheet_page_shows_a_state_no_draft_recommendation(
    client_for, factsheet_citing_a_draft, draft_recommendation, coordinator_a
):
    response = client_for(coordinator_a).get(reverse("factsheets:factsheet", args=["drafts"]))
    assert response.status_code == 200
    assert draft_recommendation.text_en not in response.text


def test_committee_member_opens_a_draft_recommendation_in_the_admin(
    client_for, draft_recommendation, committee_member
):
    url = reverse("admin:recommendations_recommendation_change", args=[draft_recommendation.pk])
    assert client_for(committee_member).get(url).status_code == 200


def test_the_dashboard_leaves_drafts_out(client_for, draft_recommendation, recommendation, officer):
    response = client_for(officer).get(reverse("recommendations_dashboard"))
    assert response.status_code == 200
    assert recommendation.number in response.text and "VI-1" not in response.text
