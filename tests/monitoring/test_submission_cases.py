"""A submission as a case: its workflow says what it waits on, and by when."""

import datetime

import pytest

from monitoring import services
from monitoring.cases import SUBMISSION, refresh_submissions
from monitoring.models import MonitoringRound, Submission
from secretariat import cases
from secretariat.models import Case
from tests.factories import ReplyFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db
Status = Submission.Status
WaitingOn = Case.WaitingOn


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b])


@pytest.fixture
def draft(round_, party_a, officer):
    submission = services.submission_create(round=round_, party=party_a, by=officer)
    ReplyFactory(submission=submission, questions=[round_.questions.get(ref="1")])
    return submission


def case_of(submission) -> Case:
    return cases.case_of("submission", submission, submission.party)


def test_an_opened_submission_waits_on_the_party_until_the_round_deadline(draft, round_):
    case = case_of(draft)
    assert (case.state, case.waiting_on, case.due_date) == (
        Status.DRAFT,
        WaitingOn.PARTY,
        round_.reply_deadline,
    )
    assert case.title_en == f"Replies of France, round {round_.number}"


def test_an_extended_deadline_is_the_due_date(draft, officer):
    draft.extended_deadline = datetime.date(2030, 1, 31)
    draft.save()
    case = cases.refresh(cases.kind_of(case_of(draft)), draft, draft.party)
    assert case.due_date == datetime.date(2030, 1, 31)


def test_a_sent_submission_waits_on_the_secretariat_to_register_it(draft, coordinator_a):
    services.submission_submit(submission=draft, by=coordinator_a)
    case = case_of(draft)
    assert (case.state, case.waiting_on, case.due_date) == (Status.SUBMITTED, WaitingOn.SECRETARIAT, None)
    assert cases.kind_of(case).state_label(case.state) == "to register"


def test_a_returned_submission_waits_on_the_party_then_on_the_secretariat_again(
    draft, coordinator_a, officer
):
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_return(submission=draft, by=officer, message="Question 1 is unclear.")
    case = case_of(draft)
    assert (case.waiting_on, case.due_date) == (WaitingOn.PARTY, draft.effective_deadline)
    services.submission_submit(submission=draft, by=coordinator_a)
    case = case_of(draft)
    assert (case.state, case.waiting_on) == (Status.RESUBMITTED, WaitingOn.SECRETARIAT)
    assert cases.kind_of(case).state_label(case.state) == "to look at again"


def test_a_registered_submission_is_closed_while_the_round_collects(draft, coordinator_a, officer):
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_register(submission=draft, by=officer)
    case = case_of(draft)
    assert (case.waiting_on, case.is_open) == (WaitingOn.NOBODY, False)


def test_a_registered_submission_waits_on_the_committee_while_the_round_is_in_analysis(
    draft, round_, coordinator_a, officer
):
    round_.status = MonitoringRound.Status.ANALYSIS
    round_.save()
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_register(submission=draft, by=officer)
    assert case_of(draft).waiting_on == WaitingOn.COMMITTEE


def test_stakeholder_comments_are_a_case_of_the_stakeholder(round_, party_b, organisation_b, officer):
    submission = services.submission_create(
        round=round_, party=party_b, organisation=organisation_b, by=officer
    )
    case = case_of(submission)
    assert case.organisation == organisation_b
    assert case.title_en.startswith("Comments of Stakeholder of B on Russian Federation")


def test_sync_all_makes_the_case_of_existing_submissions(round_, party_a):
    submission = SubmissionFactory(round=round_, party=party_a, status=Status.SUBMITTED)
    assert case_of(submission) is None
    cases.sync_all()
    assert case_of(submission).waiting_on == WaitingOn.SECRETARIAT


def test_a_round_entering_analysis_sends_its_registered_replies_to_the_committee(
    draft, round_, coordinator_a, officer
):
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_register(submission=draft, by=officer)
    round_.status = MonitoringRound.Status.ANALYSIS
    round_.save()
    assert case_of(draft).waiting_on == WaitingOn.COMMITTEE


def test_a_deadline_extended_in_the_admin_moves_the_due_date_at_once(draft):
    draft.extended_deadline = datetime.date(2030, 1, 31)
    draft.save()  # as the admin's form saves it: every field
    assert case_of(draft).due_date == datetime.date(2030, 1, 31)


# --- a participating Party with no submission yet --------------------------------------------------


def _round_case(round_, party):
    return cases.case_of("submission", round_, party)


def test_a_party_that_has_not_started_is_awaited_by_the_round_deadline(round_, party_b):
    round_.status = MonitoringRound.Status.COLLECTING
    round_.save()
    case = _round_case(round_, party_b)
    assert (case.state, case.waiting_on, case.due_date) == (
        "not_started",
        WaitingOn.PARTY,
        round_.reply_deadline,
    )
    assert case.title_en == f"Replies of Russian Federation, round {round_.number}"


def test_its_first_submission_takes_the_case_over_with_its_handler(
    round_, party_b, officer, secretariat_admin
):
    round_.status = MonitoringRound.Status.COLLECTING
    round_.save()
    case = _round_case(round_, party_b)
    cases.assign([case], handler=officer, by=secretariat_admin)
    submission = services.submission_create(round=round_, party=party_b, by=officer)
    taken = case_of(submission)
    assert (taken.pk, taken.handler, taken.state) == (case.pk, officer, Status.DRAFT)
    assert _round_case(round_, party_b) is None


def test_stakeholder_comments_leave_the_party_s_case_alone(round_, party_b, organisation_b, officer):
    round_.status = MonitoringRound.Status.COLLECTING
    round_.save()
    services.submission_create(round=round_, party=party_b, organisation=organisation_b, by=officer)
    assert _round_case(round_, party_b).is_open


def test_the_cases_of_parties_that_never_started_close_with_the_collection(round_, party_b):
    round_.status = MonitoringRound.Status.COLLECTING
    round_.save()
    round_.status = MonitoringRound.Status.ANALYSIS
    round_.save()
    assert not _round_case(round_, party_b).is_open


def test_sync_opens_the_cases_of_parties_that_have_not_started(round_, party_a, party_b, draft):
    MonitoringRound.objects.filter(pk=round_.pk).update(status=MonitoringRound.Status.COLLECTING)
    cases.sync_all()
    assert _round_case(round_, party_b).waiting_on == WaitingOn.PARTY
    assert _round_case(round_, party_a) is None  # France has its draft: its case is the submission's


def _imported_submission(round_, party):
    """A submission as an import writes it: no service, no event; the import then refreshes its case."""
    submission = SubmissionFactory(round=round_, party=party, status=Status.REGISTERED)
    refresh_submissions([submission])
    return submission


def test_an_imported_submission_takes_over_the_not_started_case(round_, party_b):
    round_.status = MonitoringRound.Status.COLLECTING
    round_.save()
    case = _round_case(round_, party_b)
    submission = _imported_submission(round_, party_b)
    taken = case_of(submission)
    assert (taken.pk, taken.state, taken.is_open) == (case.pk, Status.REGISTERED, False)
    assert _round_case(round_, party_b) is None


def test_sync_closes_a_not_started_case_left_open_beside_the_party_s_submission(round_, party_b):
    round_.status = MonitoringRound.Status.COLLECTING
    round_.save()
    stale = _round_case(round_, party_b)
    submission = SubmissionFactory(round=round_, party=party_b, status=Status.REGISTERED)
    cases.refresh(SUBMISSION, submission, party_b)  # a second case, as imports made them before
    cases.sync_all()
    stale.refresh_from_db()
    assert not stale.is_open
    assert case_of(submission).waiting_on == WaitingOn.NOBODY
