"""Notifications: every event of the cycle told to the people concerned, in their language.

A feature app declares, for each event it emits, an `EventType` (who is told, what they read) in
its own `events.py` and registers it from its AppConfig.ready() with `register_event`. When the
event is emitted, `notify` (a listener of `events`, after the cases') writes one `Notification`
per recipient, in the recipient's language; the e-mails are sent by the background worker
(`tasks.send_notification_emails`, or the daily digest), never in the request that caused them.

Two guarantees live here rather than in each event type: the same event never notifies anyone
twice (the notification's key is the event's identity, unique per recipient), and the people told
about a Party's event are only that Party's people and the Secretariat, whatever an event type says.
"""

import datetime
import hashlib
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import cases as _cases  # noqa: F401  (its listener first: it fills `event.cases`)
from . import events, task_queue
from .events import Event
from .models import (
    SECRETARIAT_ROLES,
    STATE_ROLES,
    Case,
    Correspondence,
    EmailFrequency,
    Notification,
    Party,
    Role,
    User,
)

logger = logging.getLogger(__name__)

Email = Notification.Email
#: The e-mail states the sender picks up.
QUEUED = (Email.PENDING, Email.RETRYING)
#: What an e-mail failure looks like (connection refused, timeouts, SMTP errors).
SEND_ERRORS = (OSError, smtplib.SMTPException)

#: subject, body and the link (a path on this site) of one notification
Text = tuple[str, str, str]


@dataclass(frozen=True)
class EventType:
    """What happens when an event is emitted: who is told (`recipients`), and what each reads
    (`text`, called in the recipient's language)."""

    key: str
    label: str
    recipients: Callable[[Event], Iterable[User]]
    text: Callable[[Event, User], Text]
    deliver_by_email: bool = True


_TYPES: dict[str, EventType] = {}


def register_event(event_type: EventType) -> None:
    if _TYPES.get(event_type.key, event_type) is not event_type:
        raise ValueError(f"The event type {event_type.key} is already registered.")
    _TYPES[event_type.key] = event_type


def event_types() -> list[EventType]:
    return list(_TYPES.values())


# --- recipients: the helpers event types are built from ----------------------------------------------


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def secretariat_officers() -> QuerySet[User]:
    """The active Secretariat officers: told what nobody handles yet."""
    return active_users().filter(role=Role.SECRETARIAT_OFFICER)


def handlers_or_secretariat(event: Event) -> Iterable[User]:
    """The handlers of the cases the event changed; all the Secretariat officers when none is
    assigned (or the event changed no case)."""
    handler_ids = {case.handler_id for case in event.cases if case.handler_id}
    handlers = active_users().filter(pk__in=handler_ids)
    return handlers if handler_ids and handlers.exists() else secretariat_officers()


def party_coordinators(party: Party | int) -> QuerySet[User]:
    return active_users().filter(role=Role.STATE_COORDINATOR, party=party)


def party_people(party: Party | int) -> QuerySet[User]:
    """The Party's coordinators and contributors."""
    return active_users().filter(role__in=STATE_ROLES, party=party)


def organisation_people(organisation_id: int) -> QuerySet[User]:
    """The contributors of a stakeholder organisation."""
    return active_users().filter(role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation_id)


def may_be_told_about(party: Party) -> Q:
    """Who may read about `party`'s events: the Secretariat, and that Party's own people (its State
    users and the contributors of the organisations working on it). Nobody else, ever."""
    return (
        Q(is_superuser=True)
        | Q(role__in=SECRETARIAT_ROLES)
        | Q(role__in=STATE_ROLES, party=party)
        | Q(role=Role.STAKEHOLDER_CONTRIBUTOR, organisation__party=party)
    )


def site_url(path: str) -> str:
    """An absolute link for an e-mail (sent outside any request)."""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


# --- the listener --------------------------------------------------------------------------------


def _key(event: Event) -> str:
    identity = event.identity
    if len(identity) <= 200:
        return identity
    return f"{identity[:150]}#{hashlib.sha256(identity.encode()).hexdigest()[:40]}"


def _email_state(user: User, event_type: EventType) -> str:
    if not event_type.deliver_by_email or not user.email or user.email_frequency == EmailFrequency.NEVER:
        return Email.NOT_SENT
    return Email.DIGEST if user.email_frequency == EmailFrequency.DAILY else Email.PENDING


def _case(event: Event) -> Case | None:
    """The case the notification names: the event's Party's, if the event changed several."""
    for case in event.cases:
        if event.party is None or case.party_id == event.party.pk:
            return case
    return None


def notify(event: Event) -> list[Notification]:
    """Tell the people concerned by `event` (a listener of `events`): one notification each.

    Returns the notifications made now; none for a repeat of an event already told."""
    event_type = _TYPES.get(event.key)
    if event_type is None:
        return []
    ids = {user.pk for user in event_type.recipients(event)}
    if event.by is not None:
        ids.discard(event.by.pk)  # nobody needs telling what they did themselves
    people = active_users().filter(pk__in=ids)
    if event.party is not None:
        people = people.filter(may_be_told_about(event.party))
    key, case = _key(event), _case(event)
    already = set(Notification.objects.filter(key=key, recipient__in=ids).values_list("recipient", flat=True))
    notifications = []
    for user in people.exclude(pk__in=already).order_by("pk"):
        with translation.override(user.language):
            subject, body, url = event_type.text(event, user)
        notifications.append(
            Notification(
                recipient=user,
                event=event.key,
                key=key,
                case=case,
                party=event.party,
                subject=str(subject)[:300],
                body=str(body),
                url=url[:500],
                email=_email_state(user, event_type),
            )
        )
    # A concurrent repeat of the same event is stopped by the unique constraint (recipient, key).
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    if any(notification.email == Email.PENDING for notification in notifications):
        transaction.on_commit(_enqueue_sending, robust=True)
    return notifications


# After the cases' listener (imported first, so registered first): a notification names its case.
events.listen(notify)


def _enqueue_sending() -> None:
    from .tasks import send_notification_emails

    task_queue.enqueue(send_notification_emails)


# --- reading and marking -------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """The bell's count: loaded with the user (auth_backends.BackOfficeBackend), else one query."""
    if not user.is_authenticated:
        return 0
    loaded = getattr(user, "unread_notification_count", None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(notifications: QuerySet[Notification], *, by: User) -> int:
    """Mark `by`'s own notifications among `notifications` read; returns how many changed."""
    return notifications.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


# --- e-mail --------------------------------------------------------------------------------------


@dataclass
class Sending:
    """What one run of the sender did."""

    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.sent} e-mail(s) sent, {self.failed} failed"


def _locked(queryset: QuerySet) -> QuerySet:
    # Two workers never take the same row: the second skips it (PostgreSQL); SQLite writes one at a time.
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def _signature(user: User) -> str:
    return _(
        "The Secretariat of the Lanzarote Committee\n\n"
        "You receive this e-mail because of your notification settings: %(preferences)s"
    ) % {"preferences": site_url(_preferences_path(user))}


def _preferences_path(user: User) -> str:
    from django.urls import reverse

    staff = user.is_superuser or user.role in (*SECRETARIAT_ROLES, Role.COMMITTEE_MEMBER)
    return reverse("admin_notifications:preferences" if staff else "portal_notifications:preferences")


def notification_message(notification: Notification) -> EmailMessage:
    """The e-mail of one notification, in its recipient's language."""
    user = notification.recipient
    with translation.override(user.language):
        link = f"\n\n{site_url(notification.url)}" if notification.url else ""
        body = f"{notification.body}{link}\n\n-- \n{_signature(user)}\n"
        return EmailMessage(subject=notification.subject, body=body, to=[user.email])


def _records_correspondence(notification: Notification) -> bool:
    """An e-mail to a Party's own State users is part of that Party's correspondence; one to the
    Secretariat is internal, and one to a stakeholder is the stakeholder's, not the State's."""
    user = notification.recipient
    return bool(notification.party_id and user.role in STATE_ROLES and user.party_id == notification.party_id)


def _record(notifications: list[Notification], message: EmailMessage, *, single: bool) -> None:
    by_party: dict[int, list[Notification]] = {}
    for notification in notifications:
        if notification.party_id is not None and _records_correspondence(notification):
            by_party.setdefault(notification.party_id, []).append(notification)
    for party_id, concerned in by_party.items():
        first = concerned[0]
        if single:
            subject, body = message.subject, str(message.body)
        else:  # a digest: each Party's log holds only what concerns that Party
            subject = message.subject
            body = "\n\n".join(f"{item.subject}\n{item.body}\n{site_url(item.url)}" for item in concerned)
        Correspondence.objects.create(
            party_id=party_id,
            case=first.case if single else None,
            kind=Correspondence.Kind.EMAIL_SENT,
            date=timezone.localdate(),
            subject=subject[:300],
            body=body,
            sender=message.from_email or settings.DEFAULT_FROM_EMAIL,
            recipients="\n".join(message.to),
            language=first.recipient.language,
            notification=first if single else None,
        )


def _send_one(pk: int, report: Sending) -> None:
    with transaction.atomic():
        notification = (
            _locked(Notification.objects.filter(pk=pk, email__in=QUEUED)).select_related("recipient").first()
        )
        if notification is None:
            return  # sent meanwhile, or being sent by another worker
        # Compare-and-set on the attempt: whoever counts it sends it.
        claimed = Notification.objects.filter(
            pk=pk, email=notification.email, email_attempts=notification.email_attempts
        ).update(email_attempts=F("email_attempts") + 1)
        if not claimed:
            return
        notification.email_attempts += 1
        if not notification.recipient.email or not notification.recipient.is_active:
            Notification.objects.filter(pk=pk).update(email=Email.NOT_SENT)
            return
        message = notification_message(notification)
        try:
            message.send()
        except SEND_ERRORS as error:
            reason = (str(error) or type(error).__name__)[:300]
            Notification.objects.filter(pk=pk).update(email=Email.RETRYING, email_error=reason)
            report.failed += 1
            report.errors.append(f"{notification.recipient.email}: {reason}")
            logger.warning("Notification %s not e-mailed: %s", pk, reason)
            return
        Notification.objects.filter(pk=pk).update(email=Email.SENT, emailed_at=timezone.now(), email_error="")
        _record([notification], message, single=True)
        report.sent += 1


def send_pending_emails() -> Sending:
    """E-mail every notification waiting to be sent (new, or failed before); a failure leaves it
    RETRYING, for the next run. Safe to run in several workers at once: each e-mail goes once."""
    report = Sending()
    pending = Notification.objects.filter(email__in=QUEUED).order_by("pk").values_list("pk", flat=True)
    for pk in list(pending):
        _send_one(pk, report)
    return report


def digest_message(user: User, notifications: list[Notification]) -> EmailMessage:
    with translation.override(user.language):
        subject = _("Lanzarote Committee: %(count)d notification(s) since the last digest") % {
            "count": len(notifications)
        }
        items = "\n\n".join(
            f"* {item.subject}\n{item.body}" + (f"\n{site_url(item.url)}" if item.url else "")
            for item in notifications
        )
        body = f"{items}\n\n-- \n{_signature(user)}\n"
        return EmailMessage(subject=subject, body=body, to=[user.email])


def _send_digest(user_id: int, report: Sending, *, only_failed: bool) -> None:
    with transaction.atomic():
        rows = Notification.objects.filter(recipient=user_id, email=Email.DIGEST)
        notifications = list(_locked(rows).select_related("recipient").order_by("created_at", "pk"))
        if not notifications or (only_failed and not any(n.email_attempts for n in notifications)):
            return
        ids = [notification.pk for notification in notifications]
        if rows.filter(pk__in=ids).update(email_attempts=F("email_attempts") + 1) != len(ids):
            return  # another run took some of them
        user = notifications[0].recipient
        if not user.email or not user.is_active:
            rows.filter(pk__in=ids).update(email=Email.NOT_SENT)
            return
        message = digest_message(user, notifications)
        try:
            message.send()
        except SEND_ERRORS as error:
            # Kept for the digest: the next run (the e-mail retry, or tomorrow's digest) sends it.
            reason = (str(error) or type(error).__name__)[:300]
            rows.filter(pk__in=ids).update(email_error=reason)
            report.failed += 1
            report.errors.append(f"{user.email}: {reason}")
            return
        Notification.objects.filter(pk__in=ids).update(
            email=Email.SENT, emailed_at=timezone.now(), email_error=""
        )
        _record(notifications, message, single=False)
        report.sent += 1


def send_digests(*, only_failed: bool = False) -> Sending:
    """One e-mail per person with notifications waiting for the daily digest, then marked sent.

    `only_failed`: only the digests a failed attempt left waiting (the e-mail retry)."""
    report = Sending()
    waiting = Notification.objects.filter(email=Email.DIGEST)
    if only_failed:
        waiting = waiting.filter(email_attempts__gt=0)
    for user_id in sorted(set(waiting.values_list("recipient", flat=True))):
        _send_digest(user_id, report, only_failed=only_failed)
    return report


def retry_failed_emails() -> Sending:
    """The scheduled retry: the e-mails still waiting, and the digests a failure left behind."""
    report = send_pending_emails()
    digests = send_digests(only_failed=True)
    report.sent += digests.sent
    report.failed += digests.failed
    report.errors += digests.errors
    return report


def when(date: datetime.date | datetime.datetime) -> str:
    """A date as the recipient's language writes it (call inside their translation)."""
    from django.utils.formats import date_format

    if isinstance(date, datetime.datetime):
        date = timezone.localdate(date)
    return date_format(date, "DATE_FORMAT")
