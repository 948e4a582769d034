"""The monitoring's events and who is told of each (secretariat.notifications).

Emitted by `services` (a submission sent, sent again, registered, returned) and by `reminders`
(a deadline near, or passed). Each text is called in the recipient's language; the link goes to
where the recipient acts on it: the admin's submission for the Secretariat, the questionnaire in
the portal for the Party's people.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import notifications
from secretariat.events import Event
from secretariat.models import Role, User
from secretariat.notifications import EventType, Text, when

from .models import Submission


def _admin_url(submission: Submission) -> str:
    return reverse("admin:monitoring_submission_change", args=[submission.pk])


def _portal_url(submission: Submission) -> str:
    return reverse("portal:questionnaire", args=[submission.round.number])


def _values(event: Event) -> dict:
    submission: Submission = event.subject
    return {
        "submission": str(submission),
        "round": submission.round.title,
        "by": (event.by.get_full_name() or event.by.username) if event.by else _("the Secretariat"),
    }


# --- recipients ----------------------------------------------------------------------------------


def respondents(submission: Submission) -> QuerySet[User]:
    """Everyone who replies for the submission: the Party's coordinators and contributors, or
    the stakeholder organisation's contributors (never the State for a stakeholder's comments)."""
    if submission.organisation_id:
        return notifications.organisation_people(submission.organisation_id)
    return notifications.party_people(submission.party_id)


def coordinators(submission: Submission) -> QuerySet[User]:
    """Who answers for the submission: the Party's coordinators, or the organisation's contributors."""
    if submission.organisation_id:
        return notifications.organisation_people(submission.organisation_id)
    return notifications.party_coordinators(submission.party_id)


def _respondents(event: Event) -> Iterable[User]:
    return respondents(event.subject)


def _coordinators_and_writers(event: Event) -> Iterable[User]:
    """The coordinators, and the contributors who wrote the submission's replies."""
    submission: Submission = event.subject
    if submission.organisation_id:
        return respondents(submission)
    writers = submission.replies.filter(updated_by__role=Role.STATE_CONTRIBUTOR).values("updated_by")
    return notifications.party_coordinators(submission.party_id) | notifications.party_people(
        submission.party_id
    ).filter(pk__in=writers)


def _coordinators(event: Event) -> Iterable[User]:
    return coordinators(event.subject)


# --- texts ---------------------------------------------------------------------------------------


def _submitted(event: Event, user: User) -> Text:
    values = _values(event)
    return (
        _("Sent to the Secretariat: %(submission)s") % values,
        _("%(by)s sent %(submission)s (%(round)s). Register it, or return it for clarification.") % values,
        _admin_url(event.subject),
    )


def _resubmitted(event: Event, user: User) -> Text:
    values = _values(event)
    return (
        _("Sent again after clarification: %(submission)s") % values,
        _(
            "%(by)s sent %(submission)s (%(round)s) again after its return for clarification. Register it, "
            "or return it again."
        )
        % values,
        _admin_url(event.subject),
    )


def _registered(event: Event, user: User) -> Text:
    values = _values(event)
    return (
        _("Registered: %(submission)s") % values,
        _("The Secretariat registered %(submission)s (%(round)s). Thank you: it can no longer be changed.")
        % values,
        _portal_url(event.subject),
    )


def _returned(event: Event, user: User) -> Text:
    values = {**_values(event), "message": event.context.get("message", "")}
    return (
        _("Returned for clarification: %(submission)s") % values,
        _(
            "The Secretariat returned %(submission)s (%(round)s) for clarification, with this message:"
            "\n\n%(message)s\n\nPlease complete it and send it again."
        )
        % values,
        _portal_url(event.subject),
    )


def _deadline_values(event: Event) -> dict:
    return {**_values(event), "deadline": when(event.context["deadline"])}


def _deadline_approaching(event: Event, user: User) -> Text:
    values = _deadline_values(event)
    return (
        _("Reminder: %(submission)s is due on %(deadline)s") % values,
        _(
            "This is a reminder that %(submission)s (%(round)s) is due on %(deadline)s. "
            "Please send it before the deadline, or ask the Secretariat for an extension."
        )
        % values,
        _portal_url(event.subject),
    )


def _overdue(event: Event, user: User) -> Text:
    values = _deadline_values(event)
    return (
        _("Overdue: %(submission)s") % values,
        _(
            "The deadline for %(submission)s (%(round)s) was %(deadline)s, and it has not been "
            "sent yet. Please send it as soon as possible, or ask the Secretariat for an extension."
        )
        % values,
        _portal_url(event.subject),
    )


EVENT_TYPES = (
    EventType(
        "submission.submitted",
        gettext_lazy("Submission sent"),
        notifications.handlers_or_secretariat,
        _submitted,
    ),
    EventType(
        "submission.resubmitted",
        gettext_lazy("Submission sent again"),
        notifications.handlers_or_secretariat,
        _resubmitted,
    ),
    EventType(
        "submission.registered", gettext_lazy("Submission registered"), _coordinators_and_writers, _registered
    ),
    EventType(
        "submission.returned", gettext_lazy("Submission returned for clarification"), _respondents, _returned
    ),
    EventType(
        "submission.deadline_approaching",
        gettext_lazy("Deadline approaching"),
        _coordinators,
        _deadline_approaching,
    ),
    EventType("submission.overdue", gettext_lazy("Submission overdue"), _coordinators, _overdue),
)


# --- children's views: the Secretariat is told when a contribution arrives, its organisation of
# what became of it; never a State (the notifications' party filter keeps them to the Party's
# people and the Secretariat, and these recipients are neither State users nor other organisations).


def _participation_values(event: Event) -> dict:
    contribution = event.subject
    return {
        "contribution": contribution.title,
        "organisation": contribution.organisation.name,
        "round": contribution.round.short_name,
        "message": event.context.get("message", ""),
    }


def _url_or(name: str, args: tuple, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page is not there yet (an older deployment): where the list is
        return reverse(fallback)


def _participation_admin_url(event: Event) -> str:
    return _url_or("admin:monitoring_childparticipation_change", (event.subject.pk,), "admin:index")


def _participation_portal_url(event: Event) -> str:
    return _url_or("portal:participation", (event.subject.pk,), "portal:home")


def _participation_sent(event: Event, user: User) -> Text:
    values = _participation_values(event)
    return (
        _("Children's views received: %(contribution)s") % values,
        _(
            "%(organisation)s sent its child participation contribution “%(contribution)s” (%(round)s). "
            "Decide on what the safeguarding check found, then register it or return it."
        )
        % values,
        _participation_admin_url(event),
    )


def _participation_registered(event: Event, user: User) -> Text:
    values = _participation_values(event)
    return (
        _("Children's views registered: %(contribution)s") % values,
        _(
            "The Secretariat registered “%(contribution)s” (%(round)s). Thank you: "
            "it can no longer be changed."
        )
        % values,
        _participation_portal_url(event),
    )


def _participation_returned(event: Event, user: User) -> Text:
    values = _participation_values(event)
    return (
        _("Children's views returned: %(contribution)s") % values,
        _(
            "The Secretariat returned “%(contribution)s” (%(round)s) with this message:\n\n%(message)s\n\n"
            "Please complete it and send it again."
        )
        % values,
        _participation_portal_url(event),
    )


def _secretariat(event: Event) -> Iterable[User]:
    return notifications.secretariat_officers()


def _organisation(event: Event) -> Iterable[User]:
    return notifications.organisation_people(event.subject.organisation_id)


PARTICIPATION_EVENT_TYPES = (
    EventType(
        "participation.submitted", gettext_lazy("Children's views sent"), _secretariat, _participation_sent
    ),
    EventType(
        "participation.resubmitted",
        gettext_lazy("Children's views sent again"),
        _secretariat,
        _participation_sent,
    ),
    EventType(
        "participation.registered",
        gettext_lazy("Children's views registered"),
        _organisation,
        _participation_registered,
    ),
    EventType(
        "participation.returned",
        gettext_lazy("Children's views returned"),
        _organisation,
        _participation_returned,
    ),
)


def register_events() -> None:
    for event_type in (*EVENT_TYPES, *PARTICIPATION_EVENT_TYPES):
        notifications.register_event(event_type)
