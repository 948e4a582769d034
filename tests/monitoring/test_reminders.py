"""Deadline reminders (`send_reminders`, run daily): each sent once, to the right people."""

import datetime
import io
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from monitoring.models import MonitoringRound, Reminder, Submission
from secretariat import notifications
from secretariat.models import Notification, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = Submission.Status
DEADLINE = datetime.date(2026, 12, 31)  # the round's reply deadline (RoundFactory)


def _run(today: str, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", "--today", today, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def draft_a(round_, party_a, coordinator_a, make_submission):
    return make_submission(round_, party_a, Status.DRAFT)


def test_before_deadline_reminder_goes_to_the_coordinators_once(draft_a, coordinator_a, mailoutbox):
    _run("2026-12-20")
    _run("2026-12-21")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [coordinator_a.email]
    assert mailoutbox[0].subject.startswith("Reminder:")
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.deadline, reminder.recipients) == (
        "before",
        DEADLINE,
        coordinator_a.email,
    )


def test_nothing_is_sent_long_before_the_deadline(draft_a, mailoutbox):
    _run("2026-12-01")
    assert mailoutbox == []


def test_days_before_option_moves_the_first_reminder(draft_a, mailoutbox):
    _run("2026-12-01", "--days-before", "30")
    assert len(mailoutbox) == 1


def test_overdue_reminder_is_sent_after_the_deadline(draft_a, mailoutbox):
    _run("2027-01-05")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Overdue:")
    assert Reminder.objects.get().kind == Reminder.Kind.OVERDUE


def test_the_deadline_day_itself_is_not_overdue(draft_a, mailoutbox):
    _run("2026-12-31")
    assert Reminder.objects.get().kind == Reminder.Kind.BEFORE_DEADLINE


def test_an_extension_rearms_the_reminders(draft_a, mailoutbox):
    _run("2027-01-05")
    draft_a.extended_deadline = datetime.date(2027, 1, 31)
    draft_a.save()
    _run("2027-01-20")
    _run("2027-02-02")
    kinds = list(Reminder.objects.order_by("sent_at", "pk").values_list("kind", "deadline"))
    assert kinds == [
        ("overdue", DEADLINE),
        ("before", datetime.date(2027, 1, 31)),
        ("overdue", datetime.date(2027, 1, 31)),
    ]
    assert len(mailoutbox) == 3


def test_returned_submission_is_still_awaited(round_, party_a, coordinator_a, make_submission, mailoutbox):
    make_submission(round_, party_a, Status.RETURNED)
    _run("2027-01-05")
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.RESUBMITTED, Status.REGISTERED])
def test_submissions_already_sent_get_no_reminder(
    round_, party_a, coordinator_a, make_submission, mailoutbox, status
):
    make_submission(round_, party_a, status)
    _run("2027-01-05")
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_rounds_not_collecting_replies_get_no_reminder(draft_a, round_, mailoutbox):
    round_.status = MonitoringRound.Status.ANALYSIS
    round_.save()
    _run("2027-01-05")
    assert mailoutbox == []


def test_only_active_coordinators_with_an_address_are_written_to(
    draft_a, party_a, coordinator_a, contributor_a, mailoutbox
):
    UserFactory(username="former", role=Role.STATE_COORDINATOR, party=party_a, is_active=False)
    UserFactory(username="no-mail", role=Role.STATE_COORDINATOR, party=party_a, email="")
    _run("2027-01-05")
    assert mailoutbox[0].to == [coordinator_a.email]


def test_stakeholder_comments_remind_the_stakeholder_contributors(
    round_, party_b, organisation_b, stakeholder_b, coordinator_b, make_submission, mailoutbox
):
    make_submission(round_, party_b, organisation=organisation_b)
    _run("2027-01-05")
    assert [message.to for message in mailoutbox] == [[stakeholder_b.email]]


def test_party_without_coordinator_is_reported_and_the_others_are_still_reminded(
    draft_a, round_, party_b, make_submission, mailoutbox
):
    orphan = make_submission(round_, party_b)
    _out, err = _run("2027-01-05")
    assert "No recipient" in err
    assert str(orphan) in err
    assert len(mailoutbox) == 1
    # Not recorded: it is tried again tomorrow, once someone has added a coordinator.
    assert not Reminder.objects.filter(submission=orphan).exists()


def test_dry_run_sends_and_records_nothing(draft_a, coordinator_a, mailoutbox):
    out, _err = _run("2027-01-05", "--dry-run")
    assert "Would send overdue reminder" in out
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_the_message_is_in_each_coordinators_language(draft_a, round_, coordinator_a, party_a, mailoutbox):
    # Once one bilingual e-mail to all; now each coordinator reads it in their own language.
    coordinator_a.language = "fr"
    coordinator_a.save()
    english = UserFactory(username="coord-a-en", role=Role.STATE_COORDINATOR, party=party_a, language="en")
    _run("2026-12-20")
    by_address = {message.to[0]: message for message in mailoutbox}
    french, in_english = by_address[coordinator_a.email], by_address[english.email]
    assert round_.title_fr in french.body
    assert "31 décembre 2026" in french.body
    assert round_.title_en in in_english.body
    assert "Dec. 31, 2026" in in_english.body


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server down")


def test_a_failing_mail_server_is_reported_and_the_e_mail_kept_for_the_retry(draft_a, settings, mailoutbox):
    # The reminder was not recorded when its e-mail failed; it is now a notification (recorded
    # once), whose e-mail stays queued and is sent by the next retry: still never lost nor doubled.
    mailers = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    _out, err = _run("2027-01-05")
    assert "mail server down" in err
    assert Reminder.objects.count() == 1
    assert Notification.objects.get().email == Notification.Email.RETRYING
    settings.MAILERS = mailers
    _run("2027-01-06")
    notifications.retry_failed_emails()
    assert len(mailoutbox) == 1
    assert Notification.objects.get().email == Notification.Email.SENT


def test_today_must_be_a_date():
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "tomorrow")
