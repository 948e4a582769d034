"""The workflow the States' submissions and the organisations' child participation contributions share:
draft → submitted → (returned → resubmitted →) registered.

`Workflow.move` is the one writer of their `status`: it checks the reader's scope and the move's
rule, compare-and-sets the status (a concurrent move fails cleanly), records the move in the
record's history and as a transition row, and emits "<event>.<status>" for cases and notifications.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise

from secretariat import access, events
from secretariat.history import set_author
from secretariat.models import User

from .models import Submission

Status = Submission.Status


class InvalidTransition(Exception):
    """A workflow move that the user may not make, or that is out of order. Nothing changed."""


@dataclass(frozen=True)
class Workflow:
    model: type[Model]
    #: the rule of each move, by the status it leads to
    movers: Mapping[str, Callable[[User, Any], bool]]
    #: writes the transition row: (record, from, to, by, comment) -> row
    record_transition: Callable[[Any, str, str, User, str], Model]
    #: the events' prefix: "submission" emits "submission.registered"
    event: str
    #: the refusals, in the record's own words: "missing", "not_allowed" (%(status)s),
    #: "out_of_order" (%(old)s, %(new)s), "changed"
    refusals: Mapping[str, Promise]

    def lock(self, record: Any) -> Any:
        """Lock the record's row until the transaction ends and read its status again."""
        manager = self.model._default_manager
        record.status = manager.select_for_update().values_list("status", flat=True).get(pk=record.pk)
        return record

    @transaction.atomic
    def move(self, record: Any, *, to: str, by: User, comment: str = "", **fields) -> Any:
        if not access.scoped(self.model, by).filter(pk=record.pk).exists():
            raise InvalidTransition(self.refusals["missing"])
        self.lock(record)
        if not self.movers[to](by, record):
            raise InvalidTransition(self.refusals["not_allowed"] % {"status": Status(to).label})
        old = record.status
        if not record.can_move_to(to):
            raise InvalidTransition(
                self.refusals["out_of_order"] % {"old": Status(old).label, "new": Status(to).label}
            )
        # Compare-and-set: a concurrent move of the same record makes this one fail cleanly.
        manager = self.model._default_manager
        if manager.filter(pk=record.pk, status=old).update(status=to, **fields) != 1:
            raise InvalidTransition(self.refusals["changed"])
        record.refresh_from_db()
        # Record the move in the history too (the update above bypasses save()).
        set_author(record, by, f"{old} → {to}")
        record.save(update_fields=["status"])
        transition = self.record_transition(record, old, to, by, comment)
        events.emit(
            f"{self.event}.{to}",
            subject=record,
            party=record.party,
            by=by,
            occurrence=str(transition.pk),
            message=comment,
        )
        return record
