"""What happens in the cycle, said once by the service that makes it happen, heard by the mechanisms.

A service (submission sent, update assessed ...) calls `emit(...)` inside its transaction, once the
change is written. The listeners of the core then do their part: `cases` brings the case of the
subject up to date, `notifications` tells the people concerned. A feature app declares the events
it emits, with who is told and what they read, as `EventType`s in its own `events.py`, registered
from its `AppConfig.ready()` (see `notifications.register_event`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from .models import Party, User


@dataclass
class Event:
    """One occurrence: `key` names the event type ("submission.sent"), `subject` the record it is
    about (a Submission, a FollowUpUpdate ...), `by` who made it happen (None: the system)."""

    key: str
    subject: Model
    party: Party | None = None
    by: User | None = None
    #: Makes the occurrence unique (with `key` and the subject): e.g. the transition's id, a deadline.
    occurrence: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    #: The cases the event changed, filled in by `cases` (the first listener).
    cases: list[Any] = field(default_factory=list)

    @property
    def identity(self) -> str:
        """What makes this occurrence itself: a notification is never made twice for one identity."""
        label = self.subject._meta.label_lower
        return ":".join(part for part in (self.key, label, str(self.subject.pk), self.occurrence) if part)


Listener = Callable[[Event], object]  # what a listener returns is not used
_LISTENERS: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Call `listener(event)` for every event emitted (the core's mechanisms; order of registration)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def emit(
    key: str,
    *,
    subject: Model,
    party: Party | None = None,
    by: User | None = None,
    occurrence: str = "",
    **context: Any,
) -> Event:
    """Say that `key` happened to `subject`; each listener runs now, in the caller's transaction."""
    event = Event(key=key, subject=subject, party=party, by=by, occurrence=occurrence, context=context)
    for listener in _LISTENERS:
        listener(event)
    return event
