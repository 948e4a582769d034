"""Who may edit, send, register and return a submission: monitoring.access's write rules, by persona."""

import pytest

from monitoring import access as rules
from monitoring.models import ChildParticipation, Submission
from tests.personas import ORGANISATION_A, PARTY_A, SECRETARIAT, allowed

Status = Submission.Status


def state_submission(status: str) -> Submission:
    return Submission(pk=1, party=PARTY_A, status=status)


def stakeholder_comments(status: str) -> Submission:
    return Submission(pk=2, party=PARTY_A, organisation=ORGANISATION_A, status=status)


@pytest.mark.parametrize(
    ("submission", "expected"),
    [
        (state_submission(Status.DRAFT), {"coordinator_a", "contributor_a"}),
        (state_submission(Status.RETURNED), {"coordinator_a", "contributor_a"}),
        (state_submission(Status.SUBMITTED), set()),
        (state_submission(Status.RESUBMITTED), set()),
        (state_submission(Status.REGISTERED), set()),
        (stakeholder_comments(Status.DRAFT), {"stakeholder_a"}),
        (stakeholder_comments(Status.REGISTERED), set()),
    ],
    ids=lambda value: (
        f"{(value.organisation_id and 'comments') or 'replies'}-{value.status}"
        if isinstance(value, Submission)
        else ""
    ),
)
def test_who_may_edit(submission, expected):
    assert allowed(rules.may_edit, submission) == expected


@pytest.mark.parametrize(
    ("submission", "expected"),
    [
        (state_submission(Status.DRAFT), {"coordinator_a"}),
        (state_submission(Status.RETURNED), {"coordinator_a"}),
        (state_submission(Status.SUBMITTED), set()),
        (state_submission(Status.REGISTERED), set()),
        (stakeholder_comments(Status.DRAFT), {"stakeholder_a"}),
        (stakeholder_comments(Status.SUBMITTED), set()),
    ],
    ids=lambda value: (
        f"{(value.organisation_id and 'comments') or 'replies'}-{value.status}"
        if isinstance(value, Submission)
        else ""
    ),
)
def test_who_may_submit(submission, expected):
    assert allowed(rules.may_submit, submission) == expected


@pytest.mark.parametrize("rule", [rules.may_register, rules.may_return], ids=lambda rule: rule.__name__)
def test_only_the_secretariat_registers_and_returns(rule):
    assert allowed(rule, state_submission(Status.SUBMITTED)) == SECRETARIAT


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (Status.SUBMITTED, {"coordinator_a"}),
        (Status.RESUBMITTED, {"coordinator_a"}),
        (Status.REGISTERED, SECRETARIAT),
        (Status.RETURNED, SECRETARIAT),
    ],
)
def test_each_move_of_the_workflow_has_its_rule(to, expected):
    # The workflow (Submission.TRANSITIONS) says when; MOVERS say who, whatever the status.
    assert allowed(rules.MOVERS[to], state_submission(Status.SUBMITTED)) == expected


def test_every_status_a_submission_moves_to_has_a_rule():
    targets = {status for following in Submission.TRANSITIONS.values() for status in following}
    assert targets == set(rules.MOVERS)


# --- children's views ---------------------------------------------------------------------------


def contribution(status: str) -> ChildParticipation:
    """Organisation A's contribution on Party A (never a State's to write, whatever its Party)."""
    return ChildParticipation(pk=3, party=PARTY_A, organisation=ORGANISATION_A, status=status)


def test_who_may_open_a_contribution_for_an_organisation():
    assert allowed(rules.may_create_participation, ORGANISATION_A) == SECRETARIAT | {"stakeholder_a"}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, SECRETARIAT | {"stakeholder_a"}),
        (Status.RETURNED, SECRETARIAT | {"stakeholder_a"}),
        (Status.SUBMITTED, SECRETARIAT),
        (Status.RESUBMITTED, SECRETARIAT),
        (Status.REGISTERED, set()),
    ],
)
def test_who_may_edit_a_contribution(status, expected):
    assert allowed(rules.may_edit_participation, contribution(status)) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, {"stakeholder_a"}),
        (Status.RETURNED, {"stakeholder_a"}),
        (Status.SUBMITTED, set()),
        (Status.REGISTERED, set()),
    ],
)
def test_who_may_send_a_contribution(status, expected):
    assert allowed(rules.may_submit_participation, contribution(status)) == expected


def test_only_the_secretariat_reviews_contributions():
    assert allowed(rules.may_review_participation, contribution(Status.SUBMITTED)) == SECRETARIAT


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (Status.SUBMITTED, {"stakeholder_a"}),
        (Status.RESUBMITTED, {"stakeholder_a"}),
        (Status.REGISTERED, SECRETARIAT),
        (Status.RETURNED, SECRETARIAT),
    ],
)
def test_each_move_of_a_contribution_has_its_rule(to, expected):
    assert allowed(rules.PARTICIPATION_MOVERS[to], contribution(Status.SUBMITTED)) == expected


def test_every_status_a_contribution_moves_to_has_a_rule():
    targets = {status for following in ChildParticipation.TRANSITIONS.values() for status in following}
    assert targets == set(rules.PARTICIPATION_MOVERS)
