"""The escalation ladder: steps opened one above the other on an adopted report, from the admin
or from a meeting's decision, closed with their outcome, and who sees them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import escalation
from recommendations.models import EscalationStep, ImplementationReport
from secretariat import access, meetings
from secretariat.models import AgendaItem, Decision, Meeting
from tests.factories import PartyFactory

from .factories import ReportFactory

pytestmark = pytest.mark.django_db

Step = EscalationStep.Step
DAY = datetime.date(2027, 1, 15)


def _open(report, party, officer, on=DAY):
    return escalation.escalation_open_next(report=report, party=party, by=officer, opened_on=on)


def test_the_ladder_starts_with_a_reminder_and_climbs_a_step_at_a_time(
    recommendation, report, party_a, officer
):
    steps = [_open(report, party_a, officer).step for _ in range(5)]

    assert steps == [Step.REMINDER, Step.FORMAL_REQUEST, Step.HEAD_OF_DELEGATION, Step.REPORT_STATEMENT, 5]
    with pytest.raises(ValidationError, match="last step"):
        _open(report, party_a, officer)
    assert EscalationStep.objects.get(step=1).history.get().history_user == officer


def test_no_step_on_a_report_in_preparation(party_a, officer, report):
    draft = ReportFactory(
        round=report.round, status=ImplementationReport.Status.IN_PREPARATION, reference="D"
    )

    with pytest.raises(ValidationError, match="adopted report"):
        _open(draft, party_a, officer)


def test_no_step_towards_a_party_the_report_does_not_address(recommendation, report, officer):
    with pytest.raises(ValidationError, match="no recommendation"):
        _open(report, PartyFactory(code="ITA"), officer)


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_records_steps(request, recommendation, report, party_a, persona):
    with pytest.raises(PermissionDenied):
        _open(report, party_a, request.getfixturevalue(persona))


def test_a_step_ends_with_its_outcome_never_before_it_began(recommendation, report, party_a, officer):
    step = _open(report, party_a, officer)

    with pytest.raises(ValidationError):
        escalation.escalation_record_outcome(
            step=step, by=officer, outcome="x", closed_on=DAY - datetime.timedelta(1)
        )
    escalation.escalation_record_outcome(step=step, by=officer, outcome="The State replied.", closed_on=DAY)

    step.refresh_from_db()
    assert (step.outcome, step.closed_on) == ("The State replied.", DAY)


def test_a_state_sees_the_steps_towards_its_party_only(
    recommendation, report, party_a, party_b, officer, coordinator_a
):
    own = _open(report, party_a, officer)
    _open(report, party_b, officer)

    assert list(access.scoped(EscalationStep, coordinator_a)) == [own]


def test_the_latest_step_of_each_party_and_report(recommendation, report, party_a, party_b, officer):
    _open(report, party_a, officer)
    second = _open(report, party_a, officer)
    other = _open(report, party_b, officer)

    assert {step.pk for step in escalation.latest_steps(officer)} == {second.pk, other.pk}


# --- from a meeting --------------------------------------------------------------------------------


@pytest.fixture
def meeting():
    return Meeting.objects.create(number=50, starts_on=DAY, ends_on=DAY)


def test_a_meeting_is_proposed_the_next_step_of_each_party_on_the_ladder(
    recommendation, report, party_a, officer, meeting
):
    _open(report, party_a, officer)

    [proposal] = [p for p in meetings.agenda_proposals(meeting, user=officer) if p.proposer == "escalation"]

    assert (proposal.party, proposal.subject) == (party_a, report)
    assert proposal.notes == "Reminder"


def test_the_committee_s_decision_opens_the_next_step_and_names_itself(
    recommendation, report, party_a, officer, meeting
):
    _open(report, party_a, officer)
    proposals = [p for p in meetings.agenda_proposals(meeting, user=officer) if p.proposer == "escalation"]
    [item] = meetings.agenda_add(meeting, proposals, by=officer)

    decision = meetings.decision_record(
        item, kind="escalate", text_en="A formal request is sent.", by=officer
    )

    step = EscalationStep.objects.get(step=Step.FORMAL_REQUEST)
    assert (step.decision, step.opened_on) == (decision, DAY)
    assert "Formal request" in decision.outcome


def test_an_escalation_decision_on_an_item_without_its_party_is_refused(meeting, officer, report):
    item = AgendaItem.objects.create(meeting=meeting, order=1, title_en="Escalation", proposal="escalation")

    with pytest.raises(ValidationError):
        meetings.decision_record(item, kind="escalate", text_en="Go up.", by=officer)
    assert not Decision.objects.exists()


# --- the admin, the profile, the case file ---------------------------------------------------------


def test_the_officer_opens_the_first_step_from_the_admin(
    client_for, recommendation, report, party_a, officer
):
    response = client_for(officer).post(
        reverse("admin:recommendations_escalationstep_add"),
        {"report": report.pk, "party": party_a.pk, "opened_on": DAY.isoformat()},
    )

    assert response.status_code == 302
    assert EscalationStep.objects.get().step == Step.REMINDER


def test_the_admin_says_why_a_step_cannot_be_opened(client_for, report, officer):
    response = client_for(officer).post(
        reverse("admin:recommendations_escalationstep_add"),
        {"report": report.pk, "party": PartyFactory(code="ITA").pk, "opened_on": DAY.isoformat()},
    )

    assert response.status_code == 200
    assert "The report addresses no recommendation to this Party." in response.text


def test_the_list_filters_the_parties_at_step_3_or_higher(
    client_for, recommendation, report, party_a, party_b, officer
):
    for _ in range(3):
        _open(report, party_a, officer)
    _open(report, party_b, officer)

    page = client_for(officer).get(
        reverse("admin:recommendations_escalationstep_changelist") + "?step_at_least=3"
    )

    assert page.context["cl"].result_count == 1


def test_the_party_s_profile_and_case_file_show_its_steps(
    client_for, recommendation, report, party_a, officer
):
    _open(report, party_a, officer)
    client = client_for(officer)

    profile = client.get(reverse("recommendations_party_profile", args=[party_a.code])).text
    case_file = client.get(reverse("admin:secretariat_party_case_file", args=[party_a.pk])).text

    assert "Reminder" in profile.split('id="escalation-steps"')[1]
    assert "Escalation steps" in case_file and "Reminder" in case_file


@pytest.mark.parametrize("size", [1, 10])
def test_the_steps_list_runs_a_fixed_number_of_queries(
    client_for, recommendation, report, officer, size, django_assert_max_num_queries
):
    for _ in range(size):
        party = PartyFactory()
        EscalationStep.objects.create(report=report, party=party, step=1, opened_on=DAY)
    client = client_for(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:recommendations_escalationstep_changelist")).status_code == 200


# --- the API ---------------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_lists_the_steps_a_state_reads_its_own_only(
    recommendation, report, party_a, party_b, officer, coordinator_a
):
    own = _open(report, party_a, officer)
    _open(report, party_b, officer)
    _open(report, party_b, officer)

    staff = _api(officer).get("/api/v1/escalation-steps/?step_at_least=2").json()["results"]
    state = _api(coordinator_a).get("/api/v1/escalation-steps/").json()["results"]

    assert [(row["party"], row["step"]) for row in staff] == [("RUS", 2)]
    assert [row["id"] for row in state] == [own.pk]


def test_the_admin_refuses_a_closing_day_before_the_opening_one(
    client_for, recommendation, report, party_a, officer
):
    step = _open(report, party_a, officer)

    response = client_for(officer).post(
        reverse("admin:recommendations_escalationstep_change", args=[step.pk]),
        {"outcome": "Replied.", "closed_on": (DAY - datetime.timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 200
    assert "A step cannot end before it was opened." in response.text
    step.refresh_from_db()
    assert step.closed_on is None
