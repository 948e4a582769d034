"""Deadline reminders for awaited submissions, sent once each (run daily by `send_reminders`).

For every submission still awaited (draft, or returned for clarification) of a round that is
collecting replies: a "before the deadline" e-mail when the effective deadline is near, an
"overdue" e-mail once it has passed. Each reminder is recorded (Reminder), and the unique
constraint (submission, kind, deadline) makes sure it is never sent twice; an extended
deadline is a new deadline, so it re-arms both reminders.
"""

import datetime
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    """E-mail addresses of the active State coordinators by Party, and of stakeholders by organisation."""
    people = User.objects.filter(is_active=True).exclude(email="").order_by("email")
    coordinators = people.filter(
        role=Role.STATE_COORDINATOR, party__in={s.party_id for s in submissions if not s.organisation_id}
    )
    contributors = people.filter(
        role=Role.STAKEHOLDER_CONTRIBUTOR, organisation__in={s.organisation_id for s in submissions}
    )
    found: dict[tuple[str, int], list[str]] = {}
    for user in coordinators:
        found.setdefault(("party", user.party_id), []).append(user.email)
    for user in contributors:
        found.setdefault(("organisation", user.organisation_id), []).append(user.email)
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


def _text(outcome: Outcome, language: str) -> tuple[str, str]:
    """Subject and body of the reminder in one language."""
    submission = outcome.submission
    with translation.override(language):
        values = {
            "submission": str(submission),
            "round": submission.round.title,
            "deadline": date_format(outcome.deadline, "DATE_FORMAT"),
        }
        if outcome.kind == Kind.OVERDUE:
            subject = _("Overdue: %(submission)s") % values
            body = _(
                "The deadline for %(submission)s (%(round)s) was %(deadline)s, and it has not been "
                "sent yet. Please send it as soon as possible, or ask the Secretariat for an extension."
            )
        else:
            subject = _("Reminder: %(submission)s is due on %(deadline)s") % values
            body = _(
                "This is a reminder that %(submission)s (%(round)s) is due on %(deadline)s. "
                "Please send it before the deadline, or ask the Secretariat for an extension."
            )
        greeting, signature = _("Dear colleague,"), _("The Secretariat of the Lanzarote Committee")
        return subject, f"{greeting}\n\n{body % values}\n\n{signature}"


def message(outcome: Outcome) -> EmailMessage:
    """The reminder e-mail, in English then French in one body."""
    subject_en, body_en = _text(outcome, "en")
    subject_fr, body_fr = _text(outcome, "fr")
    return EmailMessage(
        subject=f"{subject_en} / {subject_fr}",
        body=f"{body_en}\n\n— — —\n\n{body_fr}\n",
        to=outcome.recipients,
    )


def _send(outcome: Outcome) -> None:
    # The record and the e-mail succeed or fail together; a concurrent run that recorded the
    # same reminder first makes this one give up (the unique constraint), so none goes twice.
    try:
        with transaction.atomic():
            Reminder.objects.create(
                submission=outcome.submission,
                kind=outcome.kind,
                deadline=outcome.deadline,
                recipients=", ".join(outcome.recipients),
            )
            message(outcome).send()
    except IntegrityError:
        outcome.error = "already sent"
    except OSError as error:  # SMTP and connection errors: not recorded, so retried tomorrow
        outcome.error = str(error) or type(error).__name__
    else:
        outcome.sent = True


def send_reminders(
    *, today: datetime.date | None = None, days_before: int = DEFAULT_DAYS_BEFORE, dry_run: bool = False
) -> list[Outcome]:
    """Send every reminder due today; a submission without recipients is reported, not recorded.

    Unrecorded, it is tried again on the next run (someone may have added a coordinator).
    """
    today = today or timezone.localdate()
    outcomes = due_reminders(today=today, days_before=days_before)
    for outcome in outcomes:
        if outcome.has_recipients and not dry_run:
            _send(outcome)
    return outcomes
