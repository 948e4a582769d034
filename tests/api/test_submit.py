"""Sending a submission through the API: services.submission_submit decides, 409 when out of order."""

import pytest

from monitoring.models import Submission, Transition

pytestmark = pytest.mark.django_db

Status = Submission.Status


def _submit(client, submission, **data):
    return client.post(f"/api/v1/submissions/{submission.pk}/submit/", data, format="json")


def test_coordinator_submits_its_draft(api_for, world, coordinator_a):
    response = _submit(api_for(coordinator_a), world.submission_a, comment="Here it is.")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.SUBMITTED
    transition = Transition.objects.get(submission=world.submission_a)
    assert (transition.to_status, transition.by, transition.comment) == (
        Status.SUBMITTED,
        coordinator_a,
        "Here it is.",
    )


def test_comment_is_optional(api_for, world, coordinator_a):
    assert _submit(api_for(coordinator_a), world.submission_a).status_code == 200


def test_contributor_may_not_submit(api_for, world, contributor_a):
    response = _submit(api_for(contributor_a), world.submission_a)
    assert response.status_code == 409
    assert "may not" in response.json()["detail"]
    world.submission_a.refresh_from_db()
    assert world.submission_a.status == Status.DRAFT


def test_a_submission_without_replies_cannot_be_submitted(api_for, world, coordinator_a):
    world.reply_a.delete()
    response = _submit(api_for(coordinator_a), world.submission_a)
    assert response.status_code == 409
    assert response.json() == {"detail": "There is no reply to submit yet."}


def test_a_registered_submission_cannot_be_submitted_again(api_for, world, coordinator_b):
    response = _submit(api_for(coordinator_b), world.submission_b)
    assert response.status_code == 409
    assert Transition.objects.count() == 0


def test_state_user_gets_404_submitting_another_party_submission(api_for, world, coordinator_a):
    assert _submit(api_for(coordinator_a), world.submission_b).status_code == 404
    world.submission_b.refresh_from_db()
    assert world.submission_b.status == Status.REGISTERED


def test_overlong_comment_is_refused(api_for, world, coordinator_a):
    response = _submit(api_for(coordinator_a), world.submission_a, comment="x" * 5001)
    assert response.status_code == 400
    world.submission_a.refresh_from_db()
    assert world.submission_a.status == Status.DRAFT
