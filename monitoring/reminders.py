"""Deadline reminders for awaited submissions, each once (run daily: `send_reminders`, the schedule).

For every submission still awaited (draft, or returned for clarification) of a round that is
collecting replies: a "before the deadline" reminder when the effective deadline is near, an
"overdue" one once it has passed. Each is an event ("submission.deadline_approaching",
"submission.overdue", see `events`): its coordinators (or the stakeholder's contributors) are
notified like of any other event, in their language, in the application and by e-mail. Each
reminder is recorded (Reminder), and the unique constraint (submission, kind, deadline) makes sure
it is never sent twice; an extended deadline is a new deadline, so it re-arms both reminders.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat import events, notifications
from secretariat.models import Role, User

from .models import MonitoringRound, Reminder, Submission
from .state_of_play import with_due_date

DEFAULT_DAYS_BEFORE = 14
Kind = Reminder.Kind


@dataclass
class Outcome:
    """What happened, or would happen on a dry run, for one due reminder."""

    submission: Submission
    kind: str
    deadline: datetime.date
    recipients: list[str] = field(default_factory=list)
    sent: bool = False
    error: str = ""

    @property
    def has_recipients(self) -> bool:
        return bool(self.recipients)


def _kind_due(deadline: datetime.date, today: datetime.date, days_before: int) -> str | None:
    if today > deadline:
        return Kind.OVERDUE
    if (deadline - today).days <= days_before:
        return Kind.BEFORE_DEADLINE
    return None


def _awaited_submissions():
    submissions = Submission.objects.filter(
        round__status=MonitoringRound.Status.COLLECTING, status__in=Submission.AWAITED
    )
    submissions = with_due_date(submissions).filter(due_date__isnull=False)
    return submissions.select_related("round", "party", "organisation").order_by(
        "round", "party__name_en", "pk"
    )


def _recipients(submissions: list[Submission]) -> dict[tuple[str, int], list[str]]:
    """Who is reminded, by Party (its active State coordinators) and by organisation (its stakeholder
    contributors), as their e-mail addresses (their user names if they have none: told in the
    application only). The same people as the event types' (`events.coordinators`)."""
    people = User.objects.filter(is_active=True).order_by("email", "username")
    coordinators = people.filter(
        role=Role.STATE_COORDINATOR, party__in={s.party_id for s in submissions if not s.organisation_id}
    )
    contributors = people.filter(
        role=Role.STAKEHOLDER_CONTRIBUTOR, organisation__in={s.organisation_id for s in submissions}
    )
    found: dict[tuple[str, int], list[str]] = {}
    for user in coordinators:
        found.setdefault(("party", user.party_id), []).append(user.email or user.username)
    for user in contributors:
        found.setdefault(("organisation", user.organisation_id), []).append(user.email or user.username)
    return found


def due_reminders(*, today: datetime.date, days_before: int = DEFAULT_DAYS_BEFORE) -> list[Outcome]:
    """The reminders due today and not yet sent, with their recipients (none sent yet)."""
    awaited = _awaited_submissions()
    submissions = list(awaited)
    sent = Reminder.objects.filter(submission__in=awaited.values("pk"))
    already = set(sent.values_list("submission", "kind", "deadline"))
    recipients = _recipients(submissions)
    due = []
    for submission in submissions:
        kind = _kind_due(submission.due_date, today, days_before)
        if kind is None or (submission.pk, kind, submission.due_date) in already:
            continue
        key = (
            ("organisation", submission.organisation_id)
            if submission.organisation_id
            else ("party", submission.party_id)
        )
        due.append(Outcome(submission, kind, submission.due_date, recipients.get(key, [])))
    return due


EVENTS = {Kind.BEFORE_DEADLINE: "submission.deadline_approaching", Kind.OVERDUE: "submission.overdue"}


def _send(outcome: Outcome) -> None:
    # The record and the notifications are written together; a concurrent run that recorded the
    # same reminder first makes this one give up (the unique constraint), so none goes twice.
    submission = outcome.submission
    try:
        with transaction.atomic():
            Reminder.objects.create(
                submission=submission,
                kind=outcome.kind,
                deadline=outcome.deadline,
                recipients=", ".join(outcome.recipients),
            )
            events.emit(
                EVENTS[outcome.kind],
                subject=submission,
                party=submission.party,
                occurrence=outcome.deadline.isoformat(),
                deadline=outcome.deadline,
            )
    except IntegrityError:
        outcome.error = "already sent"
    else:
        outcome.sent = True


def send_reminders(
    *, today: datetime.date | None = None, days_before: int = DEFAULT_DAYS_BEFORE, dry_run: bool = False
) -> tuple[list[Outcome], notifications.Sending]:
    """Notify every reminder due today, then e-mail what is waiting (this runs in the worker or
    from cron, never in a request). A submission without recipients is reported, not recorded:
    it is tried again on the next run (someone may have added a coordinator). An e-mail that
    fails stays queued and is retried (`notifications.retry_failed_emails`); the reminder is done.
    """
    today = today or timezone.localdate()
    outcomes = due_reminders(today=today, days_before=days_before)
    for outcome in outcomes:
        if outcome.has_recipients and not dry_run:
            _send(outcome)
    sending = notifications.Sending()
    if any(outcome.sent for outcome in outcomes):
        sending = notifications.send_pending_emails()
    return outcomes, sending


def scheduled_job(day: datetime.date) -> str:
    """The daily job (secretariat.schedule): the reminders due on `day`."""
    outcomes, sending = send_reminders(today=day)
    sent = sum(outcome.sent for outcome in outcomes)
    return f"reminders: {sent} sent, {len(outcomes) - sent} not sent; {sending}"
