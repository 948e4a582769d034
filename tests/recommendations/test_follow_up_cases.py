"""A Party's follow-up of a report as a case: updates to assess, information requested, awaiting report."""

import datetime

import pytest

from recommendations import cases as follow_up_cases
from recommendations import services
from recommendations.models import AssessedStatus, FollowUpUpdate, ReportedStatus
from secretariat import cases
from secretariat.models import Case

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db
WaitingOn = Case.WaitingOn


def case_for(report, party) -> Case:
    return cases.case_of("follow_up", report, party)


def _submit(follow_up, by):
    return services.update_submit(
        follow_up=follow_up, by=by, text="A national plan.", reported_status=ReportedStatus.IN_PROGRESS
    )


def test_an_addressed_party_is_awaited_until_the_earliest_deadline(recommendation, report, party_a, chapter):
    RecommendationFactory(chapter=chapter, addressed_to_all=True, urgency="invite")
    case = case_for(report, party_a)
    assert (case.state, case.waiting_on) == (follow_up_cases.AWAITING_REPORT, WaitingOn.PARTY)
    assert case.due_date == report.deadline_require_request


def test_an_update_sent_waits_on_the_secretariat(follow_up_a, report, party_a, coordinator_a):
    _submit(follow_up_a, coordinator_a)
    case = case_for(report, party_a)
    assert (case.state, case.waiting_on, case.due_date) == (
        follow_up_cases.TO_ASSESS,
        WaitingOn.SECRETARIAT,
        None,
    )


def test_information_requested_waits_on_the_party_by_the_date_given(
    follow_up_a, report, party_a, coordinator_a, officer
):
    update = _submit(follow_up_a, coordinator_a)
    due = datetime.date(2031, 2, 1)
    services.update_request_information(update=update, by=officer, message="Which plan?", due=due)
    case = case_for(report, party_a)
    assert (case.state, case.waiting_on, case.due_date) == (
        follow_up_cases.INFORMATION_REQUESTED,
        WaitingOn.PARTY,
        due,
    )


def test_an_answer_to_a_request_for_information_waits_on_the_secretariat(
    follow_up_a, report, party_a, coordinator_a, officer
):
    update = _submit(follow_up_a, coordinator_a)
    services.update_request_information(update=update, by=officer, message="Which plan?")
    _submit(follow_up_a, coordinator_a)
    assert case_for(report, party_a).state == follow_up_cases.TO_ASSESS


def test_the_case_closes_when_every_recommendation_is_complied_with(follow_up_a, report, party_a, officer):
    services.follow_up_assess(
        follow_up=follow_up_a, by=officer, status=AssessedStatus.IMPLEMENTED, reasoning="Done."
    )
    case = case_for(report, party_a)
    assert (case.state, case.waiting_on, case.is_open) == (follow_up_cases.CLOSED, WaitingOn.NOBODY, False)


def test_each_party_has_its_own_case(recommendation, report, party_a, party_b, follow_up_a, coordinator_a):
    _submit(follow_up_a, coordinator_a)
    assert case_for(report, party_a).waiting_on == WaitingOn.SECRETARIAT
    assert case_for(report, party_b).waiting_on == WaitingOn.PARTY


def test_new_deadlines_move_the_due_dates(recommendation, report, party_a):
    report.deadline_require_request = datetime.date(2032, 3, 1)
    report.save()
    services.report_refresh_deadlines(report=report)
    assert case_for(report, party_a).due_date == datetime.date(2032, 3, 1)


def test_the_bulk_assessment_refreshes_the_cases(follow_up_a, report, party_a, officer):
    pending = services.PendingAssessment(
        follow_up=follow_up_a, status=AssessedStatus.DEALT_WITH, reasoning="Dealt with.", published=False
    )
    services.follow_ups_assess_bulk(assessments=[pending], by=officer)
    assert case_for(report, party_a).waiting_on == WaitingOn.NOBODY


def test_the_handled_at_page_lists_the_partys_follow_ups_of_the_report(report, party_a, recommendation):
    case = case_for(report, party_a)
    url = cases.kind_of(case).handled_at(case)
    assert f"recommendation__report__id__exact={report.pk}" in url and f"party__id__exact={party_a.pk}" in url


def test_a_stakeholder_update_is_also_to_assess(follow_up_b, report, party_b, stakeholder_b):
    _submit(follow_up_b, stakeholder_b)
    assert FollowUpUpdate.objects.get().organisation is not None
    assert case_for(report, party_b).state == follow_up_cases.TO_ASSESS


def test_a_deadline_edited_in_the_admin_moves_the_due_date_at_once(follow_up_a, report, party_a):
    follow_up_a.deadline = datetime.date(2031, 6, 30)
    follow_up_a.save()  # as the admin's form saves it: every field
    assert case_for(report, party_a).due_date == datetime.date(2031, 6, 30)


def test_the_case_names_the_report_by_its_round_not_its_reference(report, follow_up_a):
    case = case_for(report, follow_up_a.party)
    assert report.reference not in case.title_en
    assert case.title_en == (
        f"Follow-up by {follow_up_a.party.name_en} of the round {report.round.number} implementation report"
    )
