"""Closing follow-ups by a meeting's decision (`services.follow_up_close`, the decision kind
`close_follow_ups`): what is closed is no longer overdue, late or proposed for escalation, and says
"closed on … by decision of meeting N" in the admin, the portal and the API. And the escalation
ladder on the compliance dashboard."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import escalation, meeting_items, services
from recommendations.models import EscalationStep
from secretariat import meetings
from secretariat.models import AgendaItem, Case, Decision, Meeting
from tests.factories import PartyFactory

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 8)  # after the "require" deadline of the reports' factory (2026-06-30)


@pytest.fixture
def meeting():
    return Meeting.objects.create(number=47, starts_on=DAY, ends_on=DAY)


def _item(meeting, *, subject=None, party=None) -> AgendaItem:
    item = AgendaItem(meeting=meeting, order=1, title_en="Follow-up", title_fr="Suivi", party=party)
    item.subject = subject
    item.save()
    return item


def _close(meeting, follow_ups, officer, *, subject, party=None) -> Decision:
    return meetings.decision_record(
        _item(meeting, subject=subject, party=party),
        kind="close_follow_ups",
        text_en="The Committee closes the follow-up.",
        details={"follow_ups": follow_ups},
        by=officer,
    )


# --- the service -----------------------------------------------------------------------------------


def test_closing_a_follow_up_names_the_day_and_is_in_its_history(follow_up_a, officer):
    services.follow_up_close(follow_up=follow_up_a, by=officer, closed_on=DAY)

    follow_up_a.refresh_from_db()
    assert (follow_up_a.closed_on, follow_up_a.closing_decision) == (DAY, None)
    assert follow_up_a.history.first().history_user == officer


def test_a_closed_follow_up_is_not_closed_again(follow_up_a, officer):
    services.follow_up_close(follow_up=follow_up_a, by=officer, closed_on=DAY)

    with pytest.raises(ValidationError, match="already closed"):
        services.follow_up_close(follow_up=follow_up_a, by=officer, closed_on=DAY)


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_closes_follow_ups(request, follow_up_a, persona):
    with pytest.raises(PermissionDenied):
        services.follow_up_close(follow_up=follow_up_a, by=request.getfixturevalue(persona), closed_on=DAY)


def test_a_closed_follow_up_is_no_longer_overdue_nor_late(follow_up_a, follow_up_b, officer, meeting):
    assert follow_up_a.is_overdue(DAY)
    services.follow_up_close(follow_up=follow_up_a, by=officer, closed_on=DAY)
    follow_up_a.refresh_from_db()

    [late] = [p for p in meetings.agenda_proposals(meeting, user=officer) if p.proposer == "late_updates"]

    assert not follow_up_a.is_overdue(DAY)
    assert late.notes == follow_up_b.party.name_en  # France's follow-up is closed: only Russia is late


def test_closing_the_last_open_follow_up_closes_the_party_s_case(follow_up_a, report, party_a, officer):
    services.follow_up_close(follow_up=follow_up_a, by=officer, closed_on=DAY)

    case = Case.objects.get(kind="follow_up", subject_id=report.pk, party=party_a)
    assert case.closed_at is not None


def test_a_party_whose_follow_ups_are_closed_is_not_proposed_for_escalation(
    follow_up_a, report, party_a, officer, meeting
):
    escalation.escalation_open_next(report=report, party=party_a, by=officer, opened_on=DAY)
    services.follow_up_close(follow_up=follow_up_a, by=officer, closed_on=DAY)

    assert not [p for p in meetings.agenda_proposals(meeting, user=officer) if p.proposer == "escalation"]
    with pytest.raises(ValidationError, match="closed"):
        escalation.escalation_open_next(report=report, party=party_a, by=officer, opened_on=DAY)


# --- the decision ----------------------------------------------------------------------------------


def test_the_decision_closes_the_follow_ups_chosen_and_names_itself(
    follow_up_a, follow_up_b, report, officer, meeting
):
    decision = _close(meeting, [follow_up_a], officer, subject=report)

    follow_up_a.refresh_from_db()
    follow_up_b.refresh_from_db()
    assert (follow_up_a.closed_on, follow_up_a.closing_decision) == (DAY, decision)
    assert follow_up_b.closed_on is None
    assert decision.details == {"follow_ups": [follow_up_a.pk]}
    assert "1 follow-up closed" in decision.outcome


def test_the_choice_is_limited_to_the_open_follow_ups_of_the_item_s_report_and_party(
    follow_up_a, follow_up_b, report, party_a, officer, meeting
):
    elsewhere = RecommendationFactory(addressees=[party_a]).follow_ups.get()
    item = _item(meeting, subject=report, party=party_a)

    choices = meeting_items.closable_follow_ups(item, officer)

    assert list(choices) == [follow_up_a]
    with pytest.raises(ValidationError):  # Russia's follow-up, or another report's, is not for this item
        _close(meeting, [follow_up_b, elsewhere], officer, subject=report, party=party_a)
    assert not Decision.objects.exists()


def test_an_item_naming_no_report_nor_party_closes_nothing(officer, meeting, follow_up_a):
    with pytest.raises(ValidationError):
        _close(meeting, [follow_up_a], officer, subject=None)


def test_a_follow_up_already_closed_cannot_be_chosen_again(follow_up_a, report, officer, meeting):
    _close(meeting, [follow_up_a], officer, subject=report)

    with pytest.raises(ValidationError):
        _close(meeting, [follow_up_a], officer, subject=report)
    assert Decision.objects.count() == 1


def test_the_officer_closes_follow_ups_from_the_decision_page(
    client_for, follow_up_a, report, officer, meeting
):
    item = _item(meeting, subject=report)
    response = client_for(officer).post(
        reverse("admin:secretariat_decision_record", args=[item.pk]),
        {"kind": "close_follow_ups", "text_en": "Closed.", "close_follow_ups-follow_ups": [follow_up_a.pk]},
    )

    assert response.status_code == 302
    follow_up_a.refresh_from_db()
    assert follow_up_a.closed_on == DAY


# --- where a closed follow-up shows ---------------------------------------------------------------

CLOSED = "Closed on March 8, 2027 by decision of meeting 47"


def test_the_admin_says_when_and_by_which_meeting_it_was_closed(
    client_for, follow_up_a, report, officer, meeting
):
    _close(meeting, [follow_up_a], officer, subject=report)

    page = client_for(officer).get(reverse("admin:recommendations_followup_change", args=[follow_up_a.pk]))

    assert CLOSED in page.text


def test_the_portal_says_it_to_the_state(client_for, follow_up_a, report, officer, coordinator_a, meeting):
    _close(meeting, [follow_up_a], officer, subject=report)

    page = client_for(coordinator_a).get(reverse("follow_up:detail", args=[follow_up_a.pk]))

    assert CLOSED in page.text
    assert 'class="overdue"' not in page.text


def test_the_api_gives_the_day_and_the_meeting(
    follow_up_a, follow_up_b, report, officer, coordinator_a, meeting
):
    _close(meeting, [follow_up_a], officer, subject=report)
    client = APIClient()
    client.force_login(coordinator_a)

    [row] = client.get("/api/v1/follow-ups/").json()["results"]

    assert (row["closed_on"], row["closed_by_meeting"]) == ("2027-03-08", 47)


# --- escalation on the compliance dashboard --------------------------------------------------------

DASHBOARD = reverse("recommendations_dashboard")


def _steps(report, party, officer, count):
    for _ in range(count):
        escalation.escalation_open_next(report=report, party=party, by=officer, opened_on=DAY)


def test_the_dashboard_shows_each_party_s_current_step_and_outcome(
    client_for, recommendation, report, party_a, party_b, officer
):
    _steps(report, party_a, officer, 2)
    _steps(report, party_b, officer, 1)
    step = EscalationStep.objects.get(party=party_b)
    escalation.escalation_record_outcome(step=step, by=officer, outcome="Russia replied.", closed_on=DAY)

    page = client_for(officer).get(DASHBOARD)

    steps = {(step.party, step.step) for step in page.context["escalation"]}
    assert steps == {(party_a, 2), (party_b, 1)}
    table = page.text.split('id="escalation-steps"')[1]
    assert "Formal request" in table and "Russia replied." in table


def test_the_dashboard_filters_the_parties_at_a_step_or_higher(
    client_for, recommendation, report, party_a, party_b, officer
):
    _steps(report, party_a, officer, 3)
    _steps(report, party_b, officer, 1)

    page = client_for(officer).get(f"{DASHBOARD}?report={report.pk}&step=3")

    assert [step.party for step in page.context["escalation"]] == [party_a]
    assert [row.party for row, _cells in page.context["rows"]] == [party_a]


@pytest.mark.parametrize("parties", [2, 12])
def test_the_dashboard_s_escalation_runs_a_fixed_number_of_queries(
    client_for, report, officer, parties, django_assert_max_num_queries
):
    party_list = [PartyFactory() for _ in range(parties)]
    RecommendationFactory(chapter__report=report, addressees=party_list)
    for party in party_list:
        _steps(report, party, officer, 2)
    client = client_for(officer)

    with django_assert_max_num_queries(20):
        page = client.get(f"{DASHBOARD}?report={report.pk}&step=2")

    assert len(page.context["escalation"]) == parties
