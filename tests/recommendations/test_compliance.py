"""The compliance selectors: matrix, one recommendation's report, Parties late after the deadline."""

import datetime
import gc

import pytest

from recommendations import compliance, services
from recommendations.models import AssessedStatus, Urgency
from tests.factories import PartyFactory

from .factories import ChapterFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

AFTER_DEADLINES = datetime.date(2028, 1, 1)  # past both of ReportFactory's reporting deadlines


def _assess(follow_up, officer, status, reasoning="Reasoning.", **kwargs):
    return services.follow_up_assess(
        follow_up=follow_up, by=officer, status=status, reasoning=reasoning, **kwargs
    )


@pytest.fixture
def party_c(report):
    party = PartyFactory(code="DEU", name_en="Germany", name_fr="Allemagne")
    report.round.parties.add(party)
    return party


@pytest.fixture
def v3(chapter, party_c):
    """Addressed to all the Parties of the round (France, Germany, Russian Federation)."""
    return RecommendationFactory(chapter=chapter, number="V-3", order=3, addressed_to_all=True)


@pytest.fixture
def v17(chapter, party_a, party_c):
    """Addressed to named Parties only (France and Germany), as V-17 in round 2."""
    return RecommendationFactory(chapter=chapter, number="V-17", order=17, addressees=[party_a, party_c])


def test_matrix_marks_parties_not_named_by_a_recommendation_as_not_addressed(v3, v17, officer, party_b):
    matrix = compliance.compliance_matrix(user=officer, report=v3.report)
    assert matrix.status(v17.pk, party_b.pk) is None
    assert matrix.status(v3.pk, party_b.pk) == AssessedStatus.NOT_ASSESSED


def test_matrix_lists_recommendations_in_report_order_and_parties_by_english_name(v17, v3, officer):
    matrix = compliance.compliance_matrix(user=officer, report=v3.report)
    assert [rec.number for rec in matrix.recommendations] == ["V-3", "V-17"]
    assert [party.code for party in matrix.parties] == ["FRA", "DEU", "RUS"]


def test_matrix_cells_carry_the_assessed_status(v3, officer, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY)
    matrix = compliance.compliance_matrix(user=officer, report=v3.report)
    assert matrix.status(v3.pk, party_a.pk) == AssessedStatus.PARTLY


def test_matrix_rows_give_each_partys_statuses_in_column_order(v3, v17, officer, party_a, party_b):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY)
    matrix = compliance.compliance_matrix(user=officer, report=v3.report)
    rows = {row.party.code: row for row in matrix.rows()}
    assert rows["FRA"].cells == [AssessedStatus.PARTLY, AssessedStatus.NOT_ASSESSED]
    assert rows["RUS"].cells == [AssessedStatus.NOT_ASSESSED, None]  # V-17 is not addressed to it


def test_matrix_keeps_its_statuses_where_the_garbage_collector_does_not_look(v3, v17, officer):
    # Tens of thousands of cells as tracked objects made every other dashboard pay a full collection.
    matrix = compliance.compliance_matrix(user=officer, report=v3.report)
    assert matrix.statuses and not any(gc.is_tracked(column) for column in matrix.statuses.values())


def test_matrix_counts_statuses_overall_per_party_and_per_recommendation(v3, v17, officer, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.IMPLEMENTED)
    matrix = compliance.compliance_matrix(user=officer, report=v3.report)
    assert matrix.counts == {AssessedStatus.NOT_ASSESSED: 4, AssessedStatus.IMPLEMENTED: 1}
    assert matrix.counts_by_party[party_a.pk] == {
        AssessedStatus.NOT_ASSESSED: 1,
        AssessedStatus.IMPLEMENTED: 1,
    }
    assert matrix.counts_by_recommendation[v17.pk] == {AssessedStatus.NOT_ASSESSED: 2}


def test_matrix_leaves_out_parties_no_longer_addressed(v17, officer, party_c):
    v17.addressees.remove(party_c)
    services.recommendation_sync_follow_ups(recommendation=v17)
    matrix = compliance.compliance_matrix(user=officer, report=v17.report)
    assert party_c not in matrix.parties


def test_matrix_filters_by_urgency(v3, chapter, officer):
    RecommendationFactory(chapter=chapter, number="V-9", urgency=Urgency.INVITE, addressed_to_all=True)
    matrix = compliance.compliance_matrix(user=officer, urgency=Urgency.INVITE)
    assert [rec.number for rec in matrix.recommendations] == ["V-9"]


def test_matrix_filters_by_chapter(v3, report, officer):
    other = RecommendationFactory(chapter=ChapterFactory(report=report), addressed_to_all=True)
    matrix = compliance.compliance_matrix(user=officer, chapter=other.chapter)
    assert matrix.recommendations == [other]


def test_matrix_filters_by_theme(v3, chapter, officer):
    theme = ThemeFactory()
    themed = RecommendationFactory(chapter=chapter, addressed_to_all=True, themes=[theme])
    matrix = compliance.compliance_matrix(user=officer, theme=theme)
    assert matrix.recommendations == [themed]


def test_matrix_filtered_on_a_party_keeps_what_is_addressed_to_it(v3, v17, officer, party_b):
    matrix = compliance.compliance_matrix(user=officer, party=party_b)
    assert matrix.recommendations == [v3]
    assert matrix.parties == [party_b]


def test_matrix_of_a_state_user_holds_only_their_own_party(v3, v17, coordinator_a, party_a):
    matrix = compliance.compliance_matrix(user=coordinator_a)
    assert matrix.parties == [party_a]


def test_compliance_report_gives_each_party_its_latest_assessment_and_updates(v3, officer, party_a):
    follow_up = v3.follow_ups.get(party=party_a)
    _assess(follow_up, officer, AssessedStatus.PARTLY, reasoning="First look.")
    _assess(follow_up, officer, AssessedStatus.IMPLEMENTED, reasoning="Law adopted.")
    line = compliance.compliance_report(user=officer, recommendation=v3).lines[0]  # France, the first
    assert (line.party, line.latest_reasoning, line.updates) == (party_a, "Law adopted.", 0)
    assert line.follow_up.assessed_status == AssessedStatus.IMPLEMENTED


def test_compliance_report_counts_updates_of_each_party(v3, party_a, coordinator_a, officer):
    follow_up = v3.follow_ups.get(party=party_a)
    for _ in range(2):
        services.update_submit(follow_up=follow_up, by=coordinator_a, text="Done.", reported_status="done")
    lines = {
        line.party.code: line for line in compliance.compliance_report(user=officer, recommendation=v3).lines
    }
    assert (lines["FRA"].updates, lines["RUS"].updates) == (2, 0)
    assert lines["FRA"].follow_up.reported_status == "done"


def test_compliance_report_marks_overdue_parties(v3, officer, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.IMPLEMENTED)
    report = compliance.compliance_report(user=officer, recommendation=v3, today=AFTER_DEADLINES)
    assert {line.party.code: line.overdue for line in report.lines} == {
        "FRA": False,
        "DEU": True,
        "RUS": True,
    }


def test_non_compliant_lists_parties_past_the_deadline_grouped_by_party(v3, v17, officer, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.DEALT_WITH)
    groups = compliance.non_compliant_after_deadline(user=officer, today=AFTER_DEADLINES)
    assert [(group.party.code, group.numbers) for group in groups] == [
        ("FRA", ["V-17"]),
        ("DEU", ["V-3", "V-17"]),
        ("RUS", ["V-3"]),
    ]


def test_non_compliant_is_empty_before_the_deadline(v3, officer):
    deadline = v3.report.deadline_require_request
    assert compliance.non_compliant_after_deadline(user=officer, today=deadline) == []


def test_non_compliant_counts_not_applicable_as_compliant(v3, officer, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.NOT_APPLICABLE)
    groups = compliance.non_compliant_after_deadline(user=officer, report=v3.report, today=AFTER_DEADLINES)
    assert "FRA" not in [group.party.code for group in groups]


def test_non_compliant_keeps_partly_implemented_follow_ups(v3, officer, party_a):
    _assess(v3.follow_ups.get(party=party_a), officer, AssessedStatus.PARTLY)
    groups = compliance.non_compliant_after_deadline(user=officer, report=v3.report, today=AFTER_DEADLINES)
    assert "FRA" in [group.party.code for group in groups]


def test_non_compliant_of_another_report_is_left_out(v3, officer):
    other = RecommendationFactory(addressees=[PartyFactory()])
    groups = compliance.non_compliant_after_deadline(user=officer, report=other.report, today=AFTER_DEADLINES)
    assert [group.numbers for group in groups] == [[other.number]]


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx"])
def test_spreadsheet_safe_neutralises_formulae(value):
    assert compliance.spreadsheet_safe(value) == "'" + value


def test_spreadsheet_safe_keeps_plain_text_and_numbers():
    assert (compliance.spreadsheet_safe("V-17"), compliance.spreadsheet_safe(-3)) == ("V-17", -3)


def _many(parties: int, recommendations: int):
    party_list = [PartyFactory() for _ in range(parties)]
    rec = RecommendationFactory(addressees=party_list)
    for _ in range(recommendations - 1):
        RecommendationFactory(chapter=rec.chapter, addressees=party_list)
    return rec.report


@pytest.mark.parametrize(("parties", "recommendations"), [(3, 2), (12, 8)])
def test_matrix_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries, officer, parties, recommendations
):
    report = _many(parties, recommendations)
    # The recommendations, the active follow-ups, the Parties concerned.
    with django_assert_max_num_queries(3):
        matrix = compliance.compliance_matrix(user=officer, report=report)
    assert len(matrix.cells) == parties * recommendations


@pytest.mark.parametrize(("parties", "recommendations"), [(3, 2), (12, 8)])
def test_non_compliant_runs_two_queries(django_assert_max_num_queries, officer, parties, recommendations):
    report = _many(parties, recommendations)
    # The late follow-ups with their recommendation's number, their Parties.
    with django_assert_max_num_queries(2):
        groups = compliance.non_compliant_after_deadline(user=officer, report=report, today=AFTER_DEADLINES)
    assert len(groups) == parties


@pytest.mark.parametrize("parties", [3, 12])
def test_compliance_report_runs_one_query(django_assert_max_num_queries, officer, parties):
    report = _many(parties, 1)
    recommendation = report.recommendations.get()
    # The follow-ups with their Party, latest assessment and update count.
    with django_assert_max_num_queries(1):
        result = compliance.compliance_report(user=officer, recommendation=recommendation)
    assert len(result.lines) == parties
