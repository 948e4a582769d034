"""Compliance reports: prepared on a recommendation of an adopted report, adopted with a snapshot of
each Party's assessed status (from the admin or a meeting's decision), frozen once adopted, and
read by States once adopted only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recommendations import access as rules
from recommendations import compliance_reports, services
from recommendations.compliance_reports import (
    compliance_report_adopt,
    compliance_report_prepare,
    compliance_report_save,
)
from recommendations.models import ComplianceReport, ImplementationReport
from secretariat import access, meetings
from secretariat.models import AgendaItem, Decision, Meeting
from tests.personas import SECRETARIAT, allowed

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 8)  # after the fixture report's deadline for "require" (2026-06-30)
ADOPTED = ComplianceReport.Status.ADOPTED


def _assess(follow_up, officer, status="partly"):
    services.follow_up_assess(follow_up=follow_up, by=officer, status=status, reasoning="Seen.")


@pytest.fixture
def assessed(recommendation, follow_up_a, follow_up_b, officer):
    """Both Parties' follow-ups of the recommendation assessed."""
    _assess(follow_up_a, officer, "partly")
    _assess(follow_up_b, officer, "implemented")
    return recommendation


@pytest.fixture
def prepared(assessed, officer) -> ComplianceReport:
    return compliance_report_prepare(recommendation=assessed, by=officer, text_en="Progress is slow.")


# --- write rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        rules.may_prepare_compliance_report,
        rules.may_edit_compliance_report,
        rules.may_adopt_compliance_report,
    ],
    ids=lambda rule: rule.__name__,
)
def test_only_the_secretariat_prepares_edits_and_adopts_compliance_reports(rule):
    assert allowed(rule) == SECRETARIAT


def test_nobody_edits_an_adopted_compliance_report():
    assert allowed(rules.may_edit_compliance_report, ComplianceReport(status=ADOPTED)) == set()


# --- preparing and writing ------------------------------------------------------------------------


def test_the_secretariat_prepares_a_report_in_the_history_with_its_author(prepared, officer):
    assert prepared.status == ComplianceReport.Status.IN_PREPARATION
    assert prepared.history.get().history_user == officer


def test_one_report_in_preparation_at_a_time(prepared, officer):
    with pytest.raises(ValidationError, match="already has a compliance report in preparation"):
        compliance_report_prepare(recommendation=prepared.recommendation, by=officer)


def test_no_report_on_a_recommendation_of_a_report_in_preparation(report, officer):
    draft = ReportFactory(
        round=report.round, status=ImplementationReport.Status.IN_PREPARATION, reference="D"
    )
    recommendation = RecommendationFactory(chapter=ChapterFactory(report=draft))

    with pytest.raises(ValidationError, match="adopted report"):
        compliance_report_prepare(recommendation=recommendation, by=officer)
    assert not ComplianceReport.objects.exists()


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_prepares(request, recommendation, persona):
    with pytest.raises(PermissionDenied):
        compliance_report_prepare(recommendation=recommendation, by=request.getfixturevalue(persona))


def test_the_conclusions_are_written_in_both_languages(prepared, officer):
    compliance_report_save(report=prepared, by=officer, text_en="Slow.", text_fr="Lent.")

    prepared.refresh_from_db()
    assert (prepared.text_en, prepared.text_fr) == ("Slow.", "Lent.")
    assert prepared.translated


# --- adoption -------------------------------------------------------------------------------------


def test_adoption_keeps_each_party_s_assessed_status(prepared, officer, party_a, party_b):
    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)

    prepared.refresh_from_db()
    assert (prepared.status, prepared.adopted_on) == (ADOPTED, DAY)
    assert prepared.statuses == {str(party_a.pk): "partly", str(party_b.pk): "implemented"}
    assert prepared.history.latest().history_user == officer


def test_the_snapshot_stays_when_the_follow_ups_move_on(prepared, officer, follow_up_a, party_a):
    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)
    _assess(follow_up_a, officer, "implemented")

    prepared.refresh_from_db()
    assert prepared.statuses[str(party_a.pk)] == "partly"


def test_an_adopted_report_is_frozen(prepared, officer):
    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)

    with pytest.raises(ValidationError, match="can no longer change"):
        compliance_report_save(report=prepared, by=officer, text_en="Changed.", text_fr="")
    with pytest.raises(ValidationError, match="already adopted"):
        compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)
    prepared.refresh_from_db()
    assert prepared.text_en == "Progress is slow."


def test_adoption_is_refused_while_a_party_is_not_yet_assessed(recommendation, follow_up_a, officer):
    _assess(follow_up_a, officer)
    report = compliance_report_prepare(recommendation=recommendation, by=officer, text_en="Slow.")

    with pytest.raises(ValidationError, match="not yet assessed: Russian Federation"):
        compliance_report_adopt(report=report, by=officer, adopted_on=DAY)
    report.refresh_from_db()
    assert (report.status, report.statuses, report.adopted_on) == (
        ComplianceReport.Status.IN_PREPARATION,
        {},
        None,
    )


def test_adoption_needs_conclusions(assessed, officer):
    report = compliance_report_prepare(recommendation=assessed, by=officer)

    with pytest.raises(ValidationError, match="conclusions"):
        compliance_report_adopt(report=report, by=officer, adopted_on=DAY)


def test_a_new_report_may_be_prepared_once_the_last_is_adopted(prepared, officer):
    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)

    again = compliance_report_prepare(recommendation=prepared.recommendation, by=officer)

    assert again.pk != prepared.pk


# --- who reads them -------------------------------------------------------------------------------


def test_a_state_reads_adopted_compliance_reports_only(
    prepared, assessed, officer, coordinator_a, committee_member
):
    assert list(access.scoped(ComplianceReport, coordinator_a)) == []
    assert list(access.scoped(ComplianceReport, committee_member)) == [prepared]

    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)

    assert list(access.scoped(ComplianceReport, coordinator_a)) == [prepared]


def test_a_state_reads_its_own_party_s_status_in_the_report(prepared, officer, coordinator_a, party_a):
    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)

    statuses = compliance_reports.party_statuses(prepared, coordinator_a)

    assert [(row.party, row.status) for row in statuses] == [(party_a, "partly")]


# --- from a meeting -------------------------------------------------------------------------------


@pytest.fixture
def meeting():
    return Meeting.objects.create(number=51, starts_on=DAY, ends_on=DAY)


def _proposals(meeting, officer):
    return [
        p for p in meetings.agenda_proposals(meeting, user=officer) if p.proposer == "compliance_reports_due"
    ]


def test_a_meeting_is_proposed_the_adoption_of_each_report_in_preparation(prepared, meeting, officer):
    [proposal] = _proposals(meeting, officer)

    assert proposal.subject == prepared
    assert (
        proposal.title_en
        == f"Adoption of the compliance report on recommendation {prepared.recommendation.number}"
    )
    assert proposal.notes == "Every Party concerned is assessed."


def test_the_notes_name_the_parties_still_to_assess(recommendation, follow_up_a, meeting, officer):
    _assess(follow_up_a, officer)
    compliance_report_prepare(recommendation=recommendation, by=officer, text_en="Slow.")

    [proposal] = _proposals(meeting, officer)

    assert proposal.notes == "Parties not yet assessed: Russian Federation."


def test_a_report_is_proposed_as_due_once_the_deadline_passed_and_every_party_is_assessed(
    assessed, meeting, officer
):
    [proposal] = _proposals(meeting, officer)

    assert proposal.subject == assessed
    assert proposal.title_en == f"Compliance report due on recommendation {assessed.number}"


def test_no_report_is_due_before_the_deadline(assessed, officer):
    early = Meeting.objects.create(number=40, starts_on=datetime.date(2026, 6, 30), ends_on=DAY)

    assert _proposals(early, officer) == []


def test_no_report_is_due_while_a_party_is_not_yet_assessed(recommendation, follow_up_a, meeting, officer):
    _assess(follow_up_a, officer)

    assert _proposals(meeting, officer) == []


def test_no_report_is_due_once_one_is_adopted(prepared, meeting, officer):
    compliance_report_adopt(report=prepared, by=officer, adopted_on=DAY)

    assert _proposals(meeting, officer) == []


def test_the_committee_s_decision_adopts_the_report_on_the_meeting_s_first_day(prepared, meeting, officer):
    [item] = meetings.agenda_add(meeting, _proposals(meeting, officer), by=officer)

    decision = meetings.decision_record(item, kind="adopt_compliance_report", text_en="Adopted.", by=officer)

    prepared.refresh_from_db()
    assert (prepared.status, prepared.adopted_on, prepared.decision) == (ADOPTED, DAY, decision)
    assert (
        decision.outcome
        == f"Compliance report on recommendation {prepared.recommendation.number} adopted on 2027-03-08."
    )


def test_a_decision_on_a_due_report_prepares_and_adopts_it_with_the_decision_s_text(
    assessed, meeting, officer
):
    [item] = meetings.agenda_add(meeting, _proposals(meeting, officer), by=officer)

    meetings.decision_record(
        item, kind="adopt_compliance_report", text_en="Most comply.", text_fr="La plupart.", by=officer
    )

    report = ComplianceReport.objects.get(recommendation=assessed)
    assert (report.status, report.text_en, report.text_fr) == (ADOPTED, "Most comply.", "La plupart.")


def test_a_refused_adoption_records_no_decision(recommendation, follow_up_a, meeting, officer):
    _assess(follow_up_a, officer)
    report = compliance_report_prepare(recommendation=recommendation, by=officer, text_en="Slow.")
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, title_en="Compliance", proposal="compliance_reports_due", subject=report
    )

    with pytest.raises(ValidationError, match="not yet assessed"):
        meetings.decision_record(item, kind="adopt_compliance_report", text_en="Adopted.", by=officer)
    assert not Decision.objects.exists()
    report.refresh_from_db()
    assert report.status == ComplianceReport.Status.IN_PREPARATION


def test_a_decision_on_a_due_report_adopted_meanwhile_is_refused(assessed, meeting, officer):
    [item] = meetings.agenda_add(meeting, _proposals(meeting, officer), by=officer)
    report = compliance_report_prepare(recommendation=assessed, by=officer, text_en="Most comply.")
    compliance_report_adopt(report=report, by=officer, adopted_on=DAY)

    with pytest.raises(ValidationError, match="already adopted"):
        meetings.decision_record(item, kind="adopt_compliance_report", text_en="Adopted.", by=officer)
    assert ComplianceReport.objects.count() == 1
