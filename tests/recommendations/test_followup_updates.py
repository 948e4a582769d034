"""States report on the measures taken; stakeholders inform; the Secretariat asks for more."""

import pytest
from django.core.exceptions import PermissionDenied

from recommendations import services
from recommendations.access import may_report
from recommendations.models import FollowUpUpdate, ReportedStatus

pytestmark = pytest.mark.django_db


def _submit(follow_up, by, reported_status=ReportedStatus.IN_PROGRESS, text="A national action plan."):
    return services.update_submit(follow_up=follow_up, by=by, text=text, reported_status=reported_status)


def test_coordinator_update_sets_the_reported_status(follow_up_a, coordinator_a):
    update = _submit(follow_up_a, coordinator_a, ReportedStatus.DONE)
    follow_up_a.refresh_from_db()
    assert follow_up_a.reported_status == ReportedStatus.DONE
    assert (update.author, update.organisation, update.status) == (coordinator_a, None, "submitted")


def test_contributor_may_not_report(follow_up_a, contributor_a):
    assert may_report(contributor_a, follow_up_a) is False
    with pytest.raises(PermissionDenied):
        _submit(follow_up_a, contributor_a)
    assert not FollowUpUpdate.objects.exists()


def test_coordinator_may_not_report_for_another_party(follow_up_b, coordinator_a):
    assert may_report(coordinator_a, follow_up_b) is False


def test_coordinator_may_not_report_on_a_retired_follow_up(follow_up_a, coordinator_a):
    recommendation = follow_up_a.recommendation
    recommendation.addressed_to_all = False
    recommendation.save()
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    follow_up_a.refresh_from_db()
    assert may_report(coordinator_a, follow_up_a) is False


def test_stakeholder_update_does_not_change_the_reported_status(follow_up_b, stakeholder_b):
    update = _submit(follow_up_b, stakeholder_b, ReportedStatus.DONE)
    follow_up_b.refresh_from_db()
    assert follow_up_b.reported_status == ReportedStatus.NOT_REPORTED
    assert update.organisation == stakeholder_b.organisation


def test_secretariat_asks_for_more_information(follow_up_a, coordinator_a, officer):
    update = _submit(follow_up_a, coordinator_a)
    services.update_request_information(update=update, by=officer, message="Which law?")
    update.refresh_from_db()
    assert (update.status, update.review_comment) == (FollowUpUpdate.Status.MORE_INFORMATION, "Which law?")


def test_request_for_information_needs_a_message(follow_up_a, coordinator_a, officer):
    update = _submit(follow_up_a, coordinator_a)
    with pytest.raises(services.InvalidAssessment):
        services.update_request_information(update=update, by=officer, message=" ")


def test_only_the_secretariat_asks_for_more_information(follow_up_a, coordinator_a):
    update = _submit(follow_up_a, coordinator_a)
    with pytest.raises(services.InvalidAssessment):
        services.update_request_information(update=update, by=coordinator_a, message="Really?")
