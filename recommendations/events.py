"""The follow-up's events and who is told of each (secretariat.notifications).

Emitted by `services`: an update sent by a Party (or a stakeholder), information requested on an
update, an assessment recorded (told to the Party only once published). Each text is called in
the recipient's language; the link goes to where the recipient acts on it.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import notifications
from secretariat.events import Event
from secretariat.models import User
from secretariat.notifications import EventType, Text, when

from .models import Assessment, FollowUp, FollowUpUpdate


def _portal_url(follow_up: FollowUp) -> str:
    return reverse("follow_up:detail", args=[follow_up.pk])


def _values(follow_up: FollowUp) -> dict:
    return {
        "recommendation": follow_up.recommendation.number,
        "party": str(follow_up.party),
        "report": str(follow_up.recommendation.report),
    }


# --- recipients ----------------------------------------------------------------------------------


def _author_and_coordinators(event: Event) -> Iterable[User]:
    """The update's author and, for the State's own update, the Party's coordinators (a request to a
    stakeholder is the stakeholder's business, not the State's)."""
    update: FollowUpUpdate = event.subject
    people = notifications.active_users().filter(pk=update.author_id)
    if update.organisation_id is None:
        people = people | notifications.party_coordinators(update.follow_up.party_id)
    return people


def _coordinators_if_published(event: Event) -> Iterable[User]:
    if not event.context.get("published"):
        return []
    assessment: Assessment = event.subject
    return notifications.party_coordinators(assessment.follow_up.party_id)


# --- texts ---------------------------------------------------------------------------------------


def _update_sent(event: Event, user: User) -> Text:
    update: FollowUpUpdate = event.subject
    values = {
        **_values(update.follow_up),
        "by": update.organisation or update.author.get_full_name() or update.author.username,
    }
    return (
        _("Follow-up update from %(party)s on recommendation %(recommendation)s") % values,
        _(
            "%(by)s sent an update on recommendation %(recommendation)s (%(report)s) for %(party)s. "
            "Assess it, or ask for more information."
        )
        % values,
        reverse("admin:recommendations_followupupdate_change", args=[update.pk]),
    )


def _information_requested(event: Event, user: User) -> Text:
    update: FollowUpUpdate = event.subject
    due = event.context.get("due") or update.information_due
    values = {
        **_values(update.follow_up),
        "message": event.context.get("message", update.review_comment),
        "due": when(due) if due else "",
    }
    return (
        _("Information requested on recommendation %(recommendation)s, by %(due)s") % values,
        _(
            "The Secretariat asks for more information on the update about recommendation "
            "%(recommendation)s (%(report)s) for %(party)s:\n\n%(message)s\n\n"
            "Please answer with a new update by %(due)s."
        )
        % values,
        _portal_url(update.follow_up),
    )


def _assessed(event: Event, user: User) -> Text:
    assessment: Assessment = event.subject
    values = {**_values(assessment.follow_up), "status": assessment.get_status_display()}
    return (
        _("Assessment published: recommendation %(recommendation)s") % values,
        _(
            "The Committee's assessment of recommendation %(recommendation)s (%(report)s) for %(party)s "
            "is published: %(status)s."
        )
        % values,
        _portal_url(assessment.follow_up),
    )


EVENT_TYPES = (
    EventType(
        "follow_up.update_sent",
        gettext_lazy("Follow-up update sent"),
        notifications.handlers_or_secretariat,
        _update_sent,
    ),
    EventType(
        "follow_up.information_requested",
        gettext_lazy("Information requested on an update"),
        _author_and_coordinators,
        _information_requested,
    ),
    EventType(
        "follow_up.assessed", gettext_lazy("Assessment published"), _coordinators_if_published, _assessed
    ),
)


def register_events() -> None:
    for event_type in EVENT_TYPES:
        notifications.register_event(event_type)
