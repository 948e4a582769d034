"""Notification e-mails: sent by the worker through Django's mail backends, once, retried when the
mail server fails, gathered in a daily digest for those who chose it, and logged as correspondence."""

import io
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from monitoring.models import Submission
from secretariat import events, notifications
from secretariat.models import Correspondence, Document, Notification, Role
from secretariat.notifications import EventType
from tests.factories import DocumentFactory, ReplyFactory, SubmissionFactory, UserFactory, build_round
from tests.secretariat.import_helpers import run_worker

pytestmark = pytest.mark.django_db
Email = Notification.Email


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers, then refuses to deliver."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"try again later")


@pytest.fixture
def mail_server_down(settings):
    """Django's mailer pointed at a refusing server; `up()` puts the test's outbox back."""
    working = settings.MAILERS

    class Switch:
        def up(self):
            settings.MAILERS = working

    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    return Switch()


@pytest.fixture
def event_type(monkeypatch):
    told = []

    def text(event, user):
        return f"Subject {event.occurrence}", f"Body {event.occurrence}", "/portal/"

    event_type = EventType("test.mailed", "Test", lambda event: told, text)
    monkeypatch.setitem(notifications._TYPES, event_type.key, event_type)
    return told


def _emit(party=None, occurrence="1"):
    subject = Document.objects.first() or DocumentFactory()
    return events.emit("test.mailed", subject=subject, party=party, occurrence=occurrence)


def test_a_pending_notification_is_e_mailed_once_with_its_link(
    event_type, coordinator_a, mailoutbox, settings
):
    event_type.append(coordinator_a)
    _emit()
    notifications.send_pending_emails()
    notifications.send_pending_emails()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert (message.to, message.subject) == ([coordinator_a.email], "Subject 1")
    assert f"{settings.SITE_URL}/portal/" in message.body
    notification = Notification.objects.get()
    assert notification.email == Email.SENT
    assert notification.emailed_at is not None


def test_an_e_mail_to_a_partys_people_is_logged_in_its_correspondence(
    event_type, party_a, coordinator_a, officer, mailoutbox
):
    event_type += [coordinator_a, officer]
    _emit(party=party_a)
    notifications.send_pending_emails()
    assert len(mailoutbox) == 2
    entry = Correspondence.objects.get()  # the officer's e-mail is internal, not the Party's correspondence
    sent_to_coordinator = Notification.objects.get(recipient=coordinator_a)
    assert (entry.party, entry.kind, entry.notification) == (
        party_a,
        Correspondence.Kind.EMAIL_SENT,
        sent_to_coordinator,
    )
    assert entry.recipients == coordinator_a.email
    assert entry.subject == "Subject 1"
    assert "Body 1" in entry.body


def test_a_failing_mail_server_leaves_the_e_mail_queued_and_the_next_run_sends_it(
    event_type, party_a, coordinator_a, mail_server_down, mailoutbox
):
    event_type.append(coordinator_a)
    _emit(party=party_a)
    report = notifications.send_pending_emails()
    notification = Notification.objects.get()
    assert (report.sent, report.failed) == (0, 1)
    assert (notification.email, notification.email_attempts) == (Email.RETRYING, 1)
    assert "try again later" in notification.email_error
    assert not Correspondence.objects.exists()
    mail_server_down.up()
    notifications.retry_failed_emails()
    notification.refresh_from_db()
    assert (notification.email, notification.email_attempts, notification.email_error) == (Email.SENT, 2, "")
    assert len(mailoutbox) == 1
    assert Correspondence.objects.count() == 1


def test_the_page_that_caused_it_succeeds_though_the_mail_server_is_down(
    client_for,
    party_a,
    coordinator_a,
    officer,
    mail_server_down,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    round_ = build_round(parties=[party_a])
    submission = SubmissionFactory(round=round_, party=party_a)
    ReplyFactory(submission=submission, questions=[round_.questions.get(ref="1")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator_a).post(
            reverse("portal:submit", args=[round_.number]), {"confirmed": "yes"}
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    run_worker()  # the worker tries, and fails
    told = Notification.objects.get(recipient=officer)
    assert told.email == Email.RETRYING
    mail_server_down.up()
    call_command("run_scheduled", stdout=io.StringIO())  # what cron runs: the retry of failed e-mails
    told.refresh_from_db()
    assert told.email == Email.SENT
    assert [message.to for message in mailoutbox] == [[officer.email]]


def test_the_daily_digest_gathers_a_persons_notifications_in_one_e_mail(
    event_type, party_a, coordinator_a, mailoutbox
):
    coordinator_a.email_frequency = "daily"
    coordinator_a.save()
    event_type.append(coordinator_a)
    _emit(party=party_a, occurrence="1")
    _emit(party=party_a, occurrence="2")
    notifications.send_pending_emails()
    assert mailoutbox == []  # not one e-mail per event
    report = notifications.send_digests()
    assert report.sent == 1
    assert len(mailoutbox) == 1
    assert "Subject 1" in mailoutbox[0].body and "Subject 2" in mailoutbox[0].body
    assert set(Notification.objects.values_list("email", flat=True)) == {Email.SENT}
    entry = Correspondence.objects.get()
    assert (entry.party, entry.notification) == (party_a, None)
    assert "Subject 2" in entry.body
    notifications.send_digests()
    assert len(mailoutbox) == 1


def test_the_digest_is_in_the_recipients_language(event_type, coordinator_a, mailoutbox):
    coordinator_a.email_frequency, coordinator_a.language = "daily", "fr"
    coordinator_a.save()
    event_type.append(coordinator_a)
    _emit()
    notifications.send_digests()
    assert "notification" in mailoutbox[0].subject
    assert "Lanzarote" in mailoutbox[0].subject


def test_a_failed_digest_waits_and_the_retry_sends_it(
    event_type, coordinator_a, mail_server_down, mailoutbox
):
    coordinator_a.email_frequency = "daily"
    coordinator_a.save()
    event_type.append(coordinator_a)
    _emit()
    assert notifications.send_digests().failed == 1
    notification = Notification.objects.get()
    assert (notification.email, notification.email_attempts) == (Email.DIGEST, 1)
    mail_server_down.up()
    notifications.retry_failed_emails()
    notification.refresh_from_db()
    assert notification.email == Email.SENT
    assert len(mailoutbox) == 1


def test_the_send_digests_command(event_type, mailoutbox):
    user = UserFactory(username="daily", role=Role.SECRETARIAT_OFFICER, email_frequency="daily")
    event_type.append(user)
    _emit()
    call_command("send_digests")
    assert [message.to for message in mailoutbox] == [[user.email]]


def test_a_recipient_without_an_address_any_more_is_not_e_mailed(event_type, officer, mailoutbox):
    event_type.append(officer)
    _emit()
    officer.email = ""
    officer.save()
    notifications.send_pending_emails()
    assert mailoutbox == []
    assert Notification.objects.get().email == Email.NOT_SENT
