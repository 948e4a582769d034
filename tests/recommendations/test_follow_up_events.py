"""The follow-up's events tell the right people, in their language, and nobody of another Party."""

import datetime

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import AssessedStatus, ReportedStatus
from secretariat.models import Notification, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _submit(follow_up, by):
    return services.update_submit(
        follow_up=follow_up, by=by, text="A national action plan.", reported_status=ReportedStatus.IN_PROGRESS
    )


def _told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def test_an_update_sent_tells_the_secretariat(follow_up_a, coordinator_a, officer, coordinator_b):
    update = _submit(follow_up_a, coordinator_a)
    notification = Notification.objects.get(event="follow_up.update_sent")
    assert notification.recipient == officer
    assert notification.url == reverse("admin:recommendations_followupupdate_change", args=[update.pk])
    assert follow_up_a.recommendation.number in notification.subject


def test_information_requested_tells_the_author_and_the_coordinators_with_message_and_date(
    follow_up_a, coordinator_a, party_a, officer, coordinator_b
):
    other = UserFactory(username="coord-a-2", role=Role.STATE_COORDINATOR, party=party_a)
    update = _submit(follow_up_a, coordinator_a)
    services.update_request_information(
        update=update, by=officer, message="Which budget?", due=datetime.date(2027, 3, 1)
    )
    requested = Notification.objects.filter(event="follow_up.information_requested")
    assert {n.recipient for n in requested} == {coordinator_a, other}
    assert all("Which budget?" in n.body and "March 1, 2027" in n.body for n in requested)
    assert all(n.url == reverse("follow_up:detail", args=[follow_up_a.pk]) for n in requested)


def test_information_requested_from_a_stakeholder_is_not_told_to_the_state(
    recommendation, party_b, stakeholder_b, coordinator_b, officer
):
    follow_up_b = recommendation.follow_ups.get(party=party_b)
    update = _submit(follow_up_b, stakeholder_b)
    services.update_request_information(update=update, by=officer, message="Your source?")
    assert _told("follow_up.information_requested") == {stakeholder_b.username}


def test_a_french_speaking_coordinator_reads_the_request_in_french(follow_up_a, coordinator_a, officer):
    coordinator_a.language = "fr"
    coordinator_a.save()
    update = _submit(follow_up_a, coordinator_a)
    services.update_request_information(
        update=update, by=officer, message="Quel budget ?", due=datetime.date(2027, 3, 1)
    )
    notification = Notification.objects.get(event="follow_up.information_requested")
    assert "1 mars 2027" in notification.body


def test_a_published_assessment_tells_the_partys_coordinators(
    follow_up_a, coordinator_a, officer, coordinator_b
):
    services.follow_up_assess(
        follow_up=follow_up_a,
        by=officer,
        status=AssessedStatus.PARTLY,
        reasoning="Some steps.",
        published=True,
    )
    assert _told("follow_up.assessed") == {coordinator_a.username}


def test_an_unpublished_assessment_tells_nobody(follow_up_a, coordinator_a, officer):
    services.follow_up_assess(
        follow_up=follow_up_a, by=officer, status=AssessedStatus.PARTLY, reasoning="Some steps."
    )
    assert not Notification.objects.filter(event="follow_up.assessed").exists()
