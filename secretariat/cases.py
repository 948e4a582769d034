"""Cases: the work the Secretariat runs with each Party, who handles it and what it waits on.

A feature app declares its kinds of case (`CaseKind`) and registers them from its AppConfig.ready():
which model a case is about, how the subject's state reads as a case (state, waiting on whom, due
date, title), where it is handled and which events change it. The core keeps one `Case` row per
subject and Party, refreshed by the events (`events.emit`) and by `sync_all()` for existing data;
the handler is the one thing people set by hand (`assign`).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import events
from .history import set_author
from .models import SECRETARIAT_ROLES, Case, Organisation, Party, User

WaitingOn = Case.WaitingOn


@dataclass(frozen=True)
class CaseState:
    """How a subject reads as a case now."""

    state: str
    waiting_on: str
    title_en: str
    title_fr: str
    due_date: datetime.date | None = None
    closed: bool = False
    organisation: Organisation | None = None


@dataclass(frozen=True)
class CaseKind:
    key: str
    label: str | Promise
    model: type[Model]
    #: state code → label, in the order of the cycle
    states: Mapping[str, str | Promise]
    #: the case's state now, from its subject (of the kind's own model) and Party
    describe: Callable[[Any, Party], CaseState]
    #: the admin page where the case is handled
    handled_at: Callable[[Case], str]
    #: which cases an event changes: (subject, Party) pairs, none when the event is not about this kind
    concerns: Callable[[events.Event], Iterable[tuple[Model, Party]]]
    #: every (subject, Party) pair that is a case today, for `sync_all`
    everything: Callable[[], Iterable[tuple[Model, Party]]]
    #: the cases of this kind a Committee member works on (as rapporteur); None: none
    for_committee_member: Callable[[User], Q] | None = None

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))


_KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> None:
    if _KINDS.get(kind.key, kind) is not kind:
        raise ValueError(f"The case kind {kind.key} is already registered.")
    _KINDS[kind.key] = kind


def kinds() -> list[CaseKind]:
    return list(_KINDS.values())


def kind_of(case: Case) -> CaseKind:
    return _KINDS[case.kind]


def labels(kind: str, state: str) -> tuple[str, str]:
    """The kind's name and the state's label; their codes for a kind no app registers (any more)."""
    registered = _KINDS.get(kind)
    return (str(registered.label), registered.state_label(state)) if registered else (kind, state)


def kind_label(case: Case) -> str:
    return labels(case.kind, case.state)[0]


def state_label(case: Case) -> str:
    return labels(case.kind, case.state)[1]


def case_of(kind: str, subject: Model, party: Party) -> Case | None:
    return Case.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, party=party
    ).first()


# Its row lock needs a transaction (PostgreSQL) when its caller opened none; inside the caller's,
# no savepoint of its own: a failure undoes the caller's whole change, as it should.
@transaction.atomic(savepoint=False)
def refresh(kind: CaseKind, subject: Model, party: Party, *, by: User | None = None) -> Case:
    """Bring the case of `subject` for `party` in step with it (created the first time)."""
    now = timezone.now()
    described = kind.describe(subject, party)
    subject_type = ContentType.objects.get_for_model(subject)
    case = (
        Case.objects.select_for_update()
        .filter(kind=kind.key, subject_type=subject_type, subject_id=subject.pk, party=party)
        .first()
    )
    if case is None:
        case = Case(
            kind=kind.key, subject_type=subject_type, subject_id=subject.pk, party=party, opened_at=now
        )
    moved = case.pk is None or (case.state, case.waiting_on) != (described.state, described.waiting_on)
    values = {
        "organisation": described.organisation,
        "title_en": described.title_en[:300],
        "title_fr": (described.title_fr or described.title_en)[:300],
        "state": described.state,
        "waiting_on": WaitingOn.NOBODY if described.closed else described.waiting_on,
        "due_date": None if described.closed else described.due_date,
    }
    changed = moved or any(getattr(case, name) != value for name, value in values.items())
    if not changed:
        return case
    for name, value in values.items():
        setattr(case, name, value)
    if moved:
        case.waiting_since = now
    case.closed_at = (case.closed_at or now) if described.closed else None
    set_author(case, by, _("now: %(state)s") % {"state": kind.state_label(described.state)})
    case.save()
    return case


def _refresh_on_event(event: events.Event) -> None:
    for kind in _KINDS.values():
        for subject, party in kind.concerns(event):
            case = refresh(kind, subject, party, by=event.by)
            event.cases.append(case)


events.listen(_refresh_on_event)


@transaction.atomic
def sync_all(*, by: User | None = None) -> int:
    """Create or update the case of every subject of every kind (existing data, after an import)."""
    count = 0
    for kind in _KINDS.values():
        for subject, party in kind.everything():
            refresh(kind, subject, party, by=by)
            count += 1
    return count


def may_handle(user: User | None) -> bool:
    """Who may be given cases: active Secretariat users."""
    return bool(user and user.is_active and user.role in SECRETARIAT_ROLES)


@transaction.atomic
def assign(cases: Iterable[Case], *, handler: User | None, by: User) -> int:
    """Give `cases` to `handler` (None: unassigned), each change in its case's history.

    Returns how many cases changed hands."""
    from .access import may_assign_cases

    if not may_assign_cases(by):
        raise PermissionDenied(_("Only the Secretariat assigns cases."))
    if handler is not None and not may_handle(handler):
        raise ValidationError(_("Cases are handled by active Secretariat users."))
    changed = 0
    for case in cases:
        if case.handler_id == (handler.pk if handler else None):
            continue
        case.handler = handler
        reason = (
            _("assigned to %(handler)s") % {"handler": handler.get_full_name() or handler.username}
            if handler
            else _("unassigned")
        )
        set_author(case, by, reason)
        case.save(update_fields=["handler"])
        changed += 1
    return changed
