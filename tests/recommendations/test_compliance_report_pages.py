"""Compliance reports and carried follow-ups on the pages: the admin (prepare, write, adopt, the
follow-ups' "carried into" filter), the compliance dashboard and recommendation page, the Party's
profile and the portal's follow-up pages, each in a fixed number of queries."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import continuity, services
from recommendations.compliance_reports import compliance_report_adopt, compliance_report_prepare
from recommendations.models import ComplianceReport, FollowUp, ImplementationReport
from tests.factories import PartyFactory, RoundFactory

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 8)
ADOPTED = ComplianceReport.Status.ADOPTED
CONCLUSIONS = "Progress is slow in most Parties."


def _assess(follow_up, officer, status="partly"):
    services.follow_up_assess(follow_up=follow_up, by=officer, status=status, reasoning="Seen.")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def assessed(recommendation, follow_up_a, follow_up_b, officer):
    _assess(follow_up_a, officer, "partly")
    _assess(follow_up_b, officer, "implemented")
    return recommendation


@pytest.fixture
def adopted(assessed, officer) -> ComplianceReport:
    report = compliance_report_prepare(recommendation=assessed, by=officer, text_en=CONCLUSIONS)
    return compliance_report_adopt(report=report, by=officer, adopted_on=DAY)


# --- the admin ------------------------------------------------------------------------------------


def _prepare_action(client, recommendations):
    return client.post(
        reverse("admin:recommendations_recommendation_changelist"),
        {
            "action": "prepare_compliance_report",
            helpers.ACTION_CHECKBOX_NAME: [r.pk for r in recommendations],
        },
    )


def test_the_officer_prepares_a_compliance_report_from_the_recommendations(
    client_for, recommendation, officer
):
    response = _prepare_action(client_for(officer), [recommendation])

    assert response.status_code == 302
    assert ComplianceReport.objects.get().recommendation == recommendation


def test_the_action_says_why_a_report_cannot_be_prepared(client_for, recommendation, officer):
    compliance_report_prepare(recommendation=recommendation, by=officer)

    response = _prepare_action(client_for(officer), [recommendation])

    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already has a compliance report in preparation" in m for m in messages)
    assert ComplianceReport.objects.count() == 1


def test_the_committee_is_not_offered_the_action(client_for, recommendation, committee_member):
    page = client_for(committee_member).get(reverse("admin:recommendations_recommendation_changelist"))

    assert "prepare_compliance_report" not in page.text


def test_the_change_page_shows_both_languages_and_the_parties_statuses_today(
    client_for, recommendation, follow_up_a, officer, party_a
):
    _assess(follow_up_a, officer)
    report = compliance_report_prepare(recommendation=recommendation, by=officer)
    url = reverse("admin:recommendations_compliancereport_change", args=[report.pk])

    page = client_for(officer).get(url).text

    assert 'name="text_en"' in page and 'name="text_fr"' in page
    table = page.split('id="party-statuses"')[1]
    assert f'data-party="{party_a.code}" data-status="partly"' in table
    assert 'data-status="not_assessed"' in table


def test_saving_the_conclusions_goes_through_the_service(client_for, recommendation, officer):
    report = compliance_report_prepare(recommendation=recommendation, by=officer)
    url = reverse("admin:recommendations_compliancereport_change", args=[report.pk])

    response = client_for(officer).post(url, {"text_en": CONCLUSIONS, "text_fr": "Lent."})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.text_en, report.history.latest().history_user) == (CONCLUSIONS, officer)


def test_the_adopt_page_adopts_with_the_day_given(client_for, assessed, officer):
    report = compliance_report_prepare(recommendation=assessed, by=officer, text_en=CONCLUSIONS)
    url = reverse("admin:recommendations_compliancereport_adopt", args=[report.pk])

    response = client_for(officer).post(url, {"adopted_on": DAY.isoformat()})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.adopted_on) == (ADOPTED, DAY)


def test_the_adopt_page_says_which_parties_are_not_yet_assessed(client_for, recommendation, officer):
    report = compliance_report_prepare(recommendation=recommendation, by=officer, text_en=CONCLUSIONS)
    url = reverse("admin:recommendations_compliancereport_adopt", args=[report.pk])

    response = client_for(officer).post(url, {"adopted_on": DAY.isoformat()})

    assert response.status_code == 200
    assert "not yet assessed: France, Russian Federation" in response.text
    report.refresh_from_db()
    assert report.status == ComplianceReport.Status.IN_PREPARATION


def test_an_adopted_report_is_read_only_in_the_admin(client_for, adopted, officer):
    url = reverse("admin:recommendations_compliancereport_change", args=[adopted.pk])
    client = client_for(officer)

    assert 'name="text_en"' not in client.get(url).text
    assert client.post(url, {"text_en": "Changed.", "text_fr": ""}).status_code == 403
    adopted.refresh_from_db()
    assert adopted.text_en == CONCLUSIONS


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(
    client_for, report, officer, size, django_assert_max_num_queries
):
    chapter = ChapterFactory(report=report)
    for _ in range(size):
        compliance_report_prepare(recommendation=RecommendationFactory(chapter=chapter), by=officer)
    client = client_for(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:recommendations_compliancereport_changelist")).status_code == 200


# --- carried follow-ups ---------------------------------------------------------------------------


@pytest.fixture
def carried(report, follow_up_a, follow_up_b, party_a, party_b, officer) -> ImplementationReport:
    """The next round's report adopted: France's and Russia's open follow-ups carried into it."""
    _assess(follow_up_a, officer, "partly")
    round = RoundFactory(number=report.round.number + 500)
    round.parties.set([party_a, party_b])
    later = ReportFactory(
        round=round, status=ImplementationReport.Status.IN_PREPARATION, reference="NEXT", adoption_date=None
    )
    RecommendationFactory(chapter=ChapterFactory(report=later), number="NEXT-1", addressed_to_all=True)
    services.report_adopt(report=later, by=officer, adoption_date=DAY)
    return later


def test_the_follow_up_admin_filters_by_the_report_carried_into(client_for, carried, officer):
    url = reverse("admin:recommendations_followup_changelist") + f"?carried_into__id__exact={carried.pk}"

    page = client_for(officer).get(url)

    assert page.context["cl"].result_count == 2


def test_the_new_report_s_dashboard_groups_the_carried_follow_ups(client_for, carried, report, officer):
    page = client_for(officer).get(reverse("recommendations_dashboard") + f"?report={carried.pk}").text

    section = page.split('id="carried"')[1]
    assert f"Carried from the round {report.round.number} report" in section
    assert section.count("data-recommendation=") >= 2


def test_the_party_s_profile_marks_a_carried_follow_up(client_for, carried, officer, party_a):
    page = client_for(officer).get(reverse("recommendations_party_profile", args=[party_a.code])).text

    assert f"carried into the round {carried.round.number} report" in page


def test_the_portal_list_marks_carried_follow_ups_of_the_state_s_party_only(
    client_for, carried, report, coordinator_a, follow_up_a, follow_up_b
):
    page = client_for(coordinator_a).get(reverse("follow_up:list") + f"?report={carried.pk}").text

    assert f'data-follow-up="{follow_up_a.pk}"' in page
    assert f'data-follow-up="{follow_up_b.pk}"' not in page
    assert f"carried from the round {report.round.number} report" in page


def test_the_portal_page_says_where_the_follow_up_is_carried(client_for, carried, coordinator_a, follow_up_a):
    page = client_for(coordinator_a).get(reverse("follow_up:detail", args=[follow_up_a.pk])).text

    assert f"into the round {carried.round.number} report" in page.split('id="carried-into"')[1]


# --- adopted compliance reports on the pages ------------------------------------------------------


def test_the_recommendation_s_compliance_page_shows_the_adopted_report(client_for, adopted, officer, party_a):
    url = reverse("recommendations_compliance_report", args=[adopted.recommendation_id])

    section = client_for(officer).get(url).text.split('id="compliance-reports"')[1]

    assert CONCLUSIONS in section
    assert f'data-party="{party_a.code}" data-status="partly"' in section


def test_the_dashboard_lists_the_report_s_adopted_compliance_reports(client_for, adopted, report, officer):
    page = client_for(officer).get(reverse("recommendations_dashboard") + f"?report={report.pk}").text

    assert CONCLUSIONS in page.split('id="compliance-reports"')[1]


def test_the_portal_shows_the_adopted_report_with_the_party_s_own_status(
    client_for, adopted, coordinator_a, follow_up_a
):
    page = client_for(coordinator_a).get(reverse("follow_up:detail", args=[follow_up_a.pk])).text

    assert CONCLUSIONS in page
    section = page.split(f'id="compliance-report-{adopted.pk}"')[1]
    assert 'data-status="partly"' in section.split("</div>")[0]
    # Russia's status is not France's business.
    assert 'data-status="implemented"' not in section.split("</div>")[0]


def test_the_portal_shows_no_report_in_preparation(client_for, assessed, officer, coordinator_a, follow_up_a):
    compliance_report_prepare(recommendation=assessed, by=officer, text_en="SECRET-DRAFT-CONCLUSIONS")

    page = client_for(coordinator_a).get(reverse("follow_up:detail", args=[follow_up_a.pk])).text

    assert "SECRET-DRAFT-CONCLUSIONS" not in page


# --- a fixed number of queries --------------------------------------------------------------------


def _grow(report, officer, size):
    """`size` more recommendations to France and `size` more Parties, each with an adopted compliance
    report; and the next round's report into which every open follow-up is carried."""
    parties = [PartyFactory() for _ in range(size)]
    report.round.parties.add(*parties)
    chapter = ChapterFactory(report=report)
    for _ in range(size):
        recommendation = RecommendationFactory(chapter=chapter, addressed_to_all=True)
        for follow_up in recommendation.follow_ups.all():
            _assess(follow_up, officer)
        prepared = compliance_report_prepare(recommendation=recommendation, by=officer, text_en=CONCLUSIONS)
        compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)
    round = RoundFactory(number=report.round.number + 500)
    round.parties.set(report.round.parties.all())
    later = ReportFactory(round=round, reference=f"NEXT-{size}")  # adopted: carry as its adoption does
    continuity.follow_ups_carry(report=later, by=officer)
    return later


@pytest.mark.parametrize(
    "page",
    ["dashboard", "compliance", "profile", "portal_list", "portal_detail"],
)
def test_the_pages_run_a_fixed_number_of_queries(client_for, report, officer, coordinator_a, party_a, page):
    counts = []
    for size in (1, 4):
        later = _grow(report, officer, size)
        follow_up = FollowUp.objects.filter(party=party_a, carried_into=later).first()
        urls = {
            "dashboard": (officer, reverse("recommendations_dashboard") + f"?report={later.pk}"),
            "compliance": (
                officer,
                reverse("recommendations_compliance_report", args=[follow_up.recommendation_id]),
            ),
            "profile": (officer, reverse("recommendations_party_profile", args=[party_a.code])),
            "portal_list": (coordinator_a, reverse("follow_up:list") + f"?report={later.pk}"),
            "portal_detail": (coordinator_a, reverse("follow_up:detail", args=[follow_up.pk])),
        }
        user, url = urls[page]
        counts.append(_count(client_for(user), url))
        FollowUp.objects.update(carried_into=None)  # the next size carries afresh into its own report
    assert counts[0] == counts[1]


# --- the API --------------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_gives_a_state_the_adopted_reports_with_its_own_status_only(
    adopted, officer, coordinator_a, recommendation, party_a, party_b
):
    second = RecommendationFactory(chapter=recommendation.chapter, addressed_to_all=True)
    compliance_report_prepare(recommendation=second, by=officer, text_en="SECRET-DRAFT-CONCLUSIONS")

    rows = _api(coordinator_a).get("/api/v1/compliance-reports/").json()["results"]

    assert [(row["id"], row["adopted"], row["statuses"]) for row in rows] == [
        (adopted.pk, True, {"FRA": "partly"})
    ]


def test_the_api_gives_the_secretariat_every_report_and_party(adopted, officer, recommendation):
    second = RecommendationFactory(chapter=recommendation.chapter, addressed_to_all=True)
    prepared = compliance_report_prepare(recommendation=second, by=officer)

    rows = (
        _api(officer).get(f"/api/v1/compliance-reports/?report={recommendation.report_id}").json()["results"]
    )

    assert {row["id"]: row["statuses"] for row in rows} == {
        adopted.pk: {"FRA": "partly", "RUS": "implemented"},
        prepared.pk: {},
    }


@pytest.mark.parametrize("size", [1, 5])
def test_the_api_list_runs_a_fixed_number_of_queries(
    report, officer, coordinator_a, size, django_assert_max_num_queries
):
    chapter = ChapterFactory(report=report)
    for _ in range(size):
        recommendation = RecommendationFactory(chapter=chapter, addressed_to_all=True)
        for follow_up in recommendation.follow_ups.all():
            _assess(follow_up, officer)
        prepared = compliance_report_prepare(recommendation=recommendation, by=officer, text_en=CONCLUSIONS)
        compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)
    client = _api(coordinator_a)
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/compliance-reports/").status_code == 200
