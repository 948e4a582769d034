"""The compliance dashboard and the compliance report of one recommendation (admin pages, exports)."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from recommendations import services
from recommendations.models import URGENCY_DEFINITIONS, AssessedStatus, Urgency
from tests.factories import PartyFactory, UserFactory

from .factories import ChapterFactory, RecommendationFactory, ReportFactory, ThemeFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("recommendations_dashboard")


def _assess(follow_up, officer, status, reasoning="Reasoning."):
    return services.follow_up_assess(follow_up=follow_up, by=officer, status=status, reasoning=reasoning)


def _cell(party, number, status) -> str:
    return f'data-status="{status}" data-party="{party}" data-recommendation="{number}"'


def _report_url(recommendation) -> str:
    return reverse("recommendations_compliance_report", args=[recommendation.pk])


@pytest.fixture
def v3(chapter):
    return RecommendationFactory(chapter=chapter, number="V-3", order=3, addressed_to_all=True)


@pytest.fixture
def v17(chapter, party_a):
    return RecommendationFactory(chapter=chapter, number="V-17", order=17, addressees=[party_a])


def _status_totals(page: str) -> dict[str, int]:
    """The status totals table of a page: status -> count."""
    table = page.split('<table id="status-totals" class="compliance-matrix">', 1)[1].split("</table>", 1)[0]
    return {
        status: int(count)
        for status, count in re.findall(r'<tr data-status="(\w+)">.*?<td>(\d+)</td>', table)
    }


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_dashboard_colours_each_cell_by_its_status(client_for, officer, v3, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY)
    response = client_for(officer).get(DASHBOARD)
    assert _cell("FRA", "V-3", "partly") in response.content.decode()
    assert 'td[data-status="partly"] { background: #f0ad4e' in response.content.decode()


def test_dashboard_marks_parties_not_named_as_not_addressed(client_for, officer, v3, v17):
    page = client_for(officer).get(DASHBOARD).content.decode()
    assert _cell("RUS", "V-17", "not_addressed") in page
    assert _cell("FRA", "V-17", "not_assessed") in page


def test_dashboard_shows_a_legend_of_every_status(client_for, officer, v3):
    page = client_for(officer).get(DASHBOARD).content.decode()
    for status in [*AssessedStatus.values, "not_addressed"]:
        assert f'data-legend="{status}"' in page


def test_dashboard_defines_the_levels_of_urgency(client_for, officer, v3):
    response = client_for(officer).get(DASHBOARD)
    assert escape(str(URGENCY_DEFINITIONS[Urgency.INVITE])) in response.content.decode()


def test_dashboard_links_parties_to_their_profile_and_numbers_to_the_compliance_report(
    client_for, officer, v3
):
    page = client_for(officer).get(DASHBOARD).content.decode()
    assert reverse("recommendations_party_profile", args=["FRA"]) in page
    assert _report_url(v3) in page


def test_dashboard_heads_each_column_with_the_recommendations_urgency_and_report(client_for, officer, v3):
    page = client_for(officer).get(DASHBOARD).content.decode()
    header = f'<th scope="col" title="{v3.get_urgency_display()}"><a href="{_report_url(v3)}">V-3</a></th>'
    assert header in page


def test_dashboard_counts_statuses_per_party(client_for, officer, v3, v17, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.IMPLEMENTED)
    rows = {row.party.code: row for row, _cells in client_for(officer).get(DASHBOARD).context["rows"]}
    statuses = list(AssessedStatus.values)
    assert rows["FRA"].counts[statuses.index("implemented")] == 1
    assert (rows["FRA"].addressed, rows["RUS"].addressed) == (2, 1)


def test_dashboard_and_compliance_report_total_the_follow_ups_by_status(client_for, officer, v3, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY)
    client = client_for(officer)
    for url, heading in ((DASHBOARD, "Follow-ups"), (_report_url(v3), "Parties")):
        page = client.get(url).content.decode()
        totals = _status_totals(page)
        assert list(totals) == list(AssessedStatus.values)
        assert (totals["partly"], totals["not_assessed"], totals["implemented"]) == (1, 1, 0)
        assert f'<th scope="col">{heading}</th>' in page


def test_dashboard_shows_the_newest_report_by_default(client_for, officer, v3, party_a):
    older = ReportFactory(round=v3.report.round, adoption_date=datetime.date(2020, 1, 1))
    RecommendationFactory(chapter=ChapterFactory(report=older), number="OLD-1", addressees=[party_a])
    response = client_for(officer).get(DASHBOARD)
    assert [rec.number for rec in response.context["matrix"].recommendations] == ["V-3"]


def test_dashboard_filters_by_report_from_the_query_string(client_for, officer, v3, party_a):
    older = ReportFactory(round=v3.report.round, adoption_date=datetime.date(2020, 1, 1))
    RecommendationFactory(chapter=ChapterFactory(report=older), number="OLD-1", addressees=[party_a])
    response = client_for(officer).get(DASHBOARD, {"report": older.pk})
    assert [rec.number for rec in response.context["matrix"].recommendations] == ["OLD-1"]


def test_dashboard_filters_by_chapter_urgency_and_theme(client_for, officer, v3, report):
    theme = ThemeFactory()
    chapter = ChapterFactory(report=report)
    wanted = RecommendationFactory(
        chapter=chapter, urgency=Urgency.INVITE, addressed_to_all=True, themes=[theme]
    )
    RecommendationFactory(chapter=chapter, urgency=Urgency.INVITE, addressed_to_all=True)
    query = {"report": report.pk, "chapter": chapter.pk, "urgency": "invite", "theme": theme.pk}
    response = client_for(officer).get(DASHBOARD, query)
    assert response.context["matrix"].recommendations == [wanted]


def test_dashboard_ignores_an_unknown_filter_value(client_for, officer, v3):
    response = client_for(officer).get(DASHBOARD, {"chapter": 999999, "urgency": "urgent"})
    assert response.context["matrix"].recommendations == [v3]


def test_dashboard_lists_parties_not_in_compliance_after_the_deadline(client_for, officer, report, party_a):
    report.deadline_require_request = datetime.date(2020, 1, 1)
    report.save()
    late = RecommendationFactory(chapter=ChapterFactory(report=report), number="V-5", addressees=[party_a])
    groups = client_for(officer).get(DASHBOARD).context["non_compliant"]
    assert [(group.party, group.numbers) for group in groups] == [(party_a, [late.number])]


def test_dashboard_exports_the_matrix_as_csv(client_for, officer, v3, v17, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY)
    rows = _csv_rows(client_for(officer).get(DASHBOARD, {"format": "csv"}))
    assert rows[0][:4] == ["Party", "Code", "V-3", "V-17"]
    assert rows[1][:4] == ["France", "FRA", "Partly implemented", "Not yet assessed"]
    assert rows[2][:4] == ["Russian Federation", "RUS", "Not yet assessed", ""]


def test_dashboard_exports_the_matrix_as_xlsx(client_for, officer, v3, v17):
    response = client_for(officer).get(DASHBOARD, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="compliance-{v3.report.reference.lower()}.xlsx"'
    )
    rows = _xlsx_rows(response)
    assert rows[0][:4] == ("Party", "Code", "V-3", "V-17")
    assert rows[2][:2] == ("Russian Federation", "RUS")


def test_dashboard_export_keeps_the_filters(client_for, officer, v3, chapter):
    RecommendationFactory(chapter=chapter, number="V-9", urgency=Urgency.INVITE, addressed_to_all=True)
    rows = _csv_rows(client_for(officer).get(DASHBOARD, {"format": "csv", "urgency": "invite"}))
    assert rows[0][2] == "V-9"
    assert "V-3" not in rows[0]


def test_dashboard_export_neutralises_formulae(client_for, officer, chapter, report):
    party = PartyFactory(code="DEU", name_en='=HYPERLINK("http://x")', name_fr="x")
    report.round.parties.add(party)
    RecommendationFactory(chapter=chapter, number="@SUM(1)", addressed_to_all=True)
    csv_rows = _csv_rows(client_for(officer).get(DASHBOARD, {"format": "csv"}))
    xlsx_rows = _xlsx_rows(client_for(officer).get(DASHBOARD, {"format": "xlsx"}))
    assert csv_rows[0][2] == xlsx_rows[0][2] == "'@SUM(1)"
    assert csv_rows[1][0] == xlsx_rows[1][0] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
def test_admin_index_links_to_the_dashboard(client_for, request, persona):
    page = client_for(request.getfixturevalue(persona)).get(reverse("admin:index")).content.decode()
    assert f'href="{DASHBOARD}"' in page


def test_admin_index_shows_no_import_link_to_a_committee_member(client_for, committee_member):
    page = client_for(committee_member).get(reverse("admin:index")).content.decode()
    assert reverse("import_file", args=["replies"]) not in page


def test_admin_index_of_a_state_user_has_no_dashboard_link(client_for, coordinator_a):
    page = client_for(coordinator_a).get(reverse("admin:index")).content.decode()
    assert DASHBOARD not in page


def test_committee_member_opens_the_dashboard(client_for, committee_member, v3):
    assert client_for(committee_member).get(DASHBOARD).status_code == 200


def _sent_to_log_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "stakeholder_b"])
def test_state_users_and_stakeholders_are_sent_to_log_in_as_staff(client_for, request, persona, v3):
    user = request.getfixturevalue(persona)
    assert _sent_to_log_in(client_for(user).get(DASHBOARD))
    assert _sent_to_log_in(client_for(user).get(DASHBOARD, {"format": "csv"}))


def test_staff_user_without_role_is_sent_to_log_in(client_for, v3):
    user = UserFactory(role="", is_staff=True)
    assert _sent_to_log_in(client_for(user).get(DASHBOARD))


def test_anonymous_visitor_is_sent_to_the_login_page(client, v3):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_compliance_report_lists_each_party_with_its_latest_assessment(client_for, officer, v3, party_a):
    _assess(
        v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY, reasoning="Draft law **tabled**."
    )
    page = client_for(officer).get(_report_url(v3)).content.decode()
    assert 'data-party="FRA" data-status="partly"' in page
    assert "<strong>tabled</strong>" in page
    assert 'data-party="RUS" data-status="not_assessed"' in page


def test_compliance_report_exports_csv_with_formulae_neutralised(client_for, officer, v3, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY, reasoning="=2+3 measures")
    rows = _csv_rows(client_for(officer).get(_report_url(v3), {"format": "csv"}))
    assert rows[0][:3] == ["Party", "Code", "Assessed status"]
    assert rows[1][:3] == ["France", "FRA", "Partly implemented"]
    assert rows[1][7] == "'=2+3 measures"


def test_compliance_report_exports_xlsx(client_for, officer, v3):
    rows = _xlsx_rows(client_for(officer).get(_report_url(v3), {"format": "xlsx"}))
    assert [row[1] for row in rows[1:]] == ["FRA", "RUS"]


def test_compliance_report_of_a_missing_recommendation_is_404(client_for, officer):
    assert (
        client_for(officer).get(reverse("recommendations_compliance_report", args=[999])).status_code == 404
    )


@pytest.mark.parametrize("persona", ["coordinator_a", "coordinator_b", "stakeholder_b"])
def test_state_users_and_stakeholders_get_no_compliance_report(client_for, request, persona, v3):
    user = request.getfixturevalue(persona)
    assert _sent_to_log_in(client_for(user).get(_report_url(v3)))


def test_committee_member_opens_a_compliance_report(client_for, committee_member, v3):
    assert client_for(committee_member).get(_report_url(v3)).status_code == 200


def _build(parties: int, recommendations: int, officer):
    """A report of `recommendations` addressed to `parties` new Parties, a third of them assessed."""
    party_list = [PartyFactory() for _ in range(parties)]
    first = RecommendationFactory(addressees=party_list)
    for _ in range(recommendations - 1):
        RecommendationFactory(chapter=first.chapter, addressees=party_list)
    for follow_up in first.follow_ups.all()[: max(1, parties // 3)]:
        _assess(follow_up, officer, AssessedStatus.PARTLY)
    return first


# Dashboard: session and user (2); the newest report (1); the filters' validation: the report (1);
# the matrix: recommendations, follow-ups, Parties (3); the late follow-ups and their Parties (2);
# the user's and groups' permissions for the admin's app list (2); the selects' options: reports,
# chapters, themes (3); the Parties' escalation steps (1); the report's adopted compliance reports
# and the follow-ups carried into it (2) — 17; no query per Party or recommendation.
DASHBOARD_QUERIES = 17


@pytest.mark.parametrize(("parties", "recommendations"), [(3, 2), (12, 8)])
def test_dashboard_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, officer, parties, recommendations
):
    _build(parties, recommendations, officer)
    client = client_for(officer)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)
    assert len(response.context["rows"]) == parties


@pytest.mark.parametrize(("parties", "recommendations"), [(3, 2), (12, 8)])
def test_dashboard_export_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, officer, parties, recommendations
):
    _build(parties, recommendations, officer)
    client = client_for(officer)
    # Session and user (2); the newest report (1); the report filter (1); the matrix (3); the
    # export's audit event (1).
    with django_assert_max_num_queries(8):
        response = client.get(DASHBOARD, {"format": "xlsx"})
    assert len(_xlsx_rows(response)) == parties + 1


@pytest.mark.parametrize("parties", [3, 12])
def test_compliance_report_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, officer, parties
):
    recommendation = _build(parties, 1, officer)
    client = client_for(officer)
    # Session and user (2); the recommendation with its report and chapter (1); the follow-ups (1);
    # the user's and groups' permissions for the admin's app list (2); its compliance reports (1).
    with django_assert_max_num_queries(7):
        response = client.get(_report_url(recommendation))
    assert len(response.context["compliance"].lines) == parties
