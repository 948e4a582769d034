"""The Committee's plenary meetings: an agenda proposed from the state of the work, a decision on
each item carried out by the service it names.

The core knows no report, round or follow-up: the apps register, from their AppConfig.ready(),
- proposers (`register_proposer`): a function of the meeting (and of the Secretariat user, whose
  scope it reads) giving the items the state of their
  work calls for (a round's state of play, Parties late with their replies, a report ready for
  adoption …), each a `Proposal` naming what it is about;
- decision kinds (`register_decision_kind`): a name, a label and the service that carries the
  decision out (adopt a report, open an escalation step …), which returns what it did in a line.
  `decision_record` runs it in the transaction that records the decision: a decision whose service
  fails is not recorded, and nothing the service began is kept. A kind may ask for details beside
  the decision's text (`fields`: a reason, the letter to send, the follow-ups to close): the
  service validates them with those form fields and keeps them, JSON-safe, in `Decision.details`,
  where the kind's `carry_out` reads them.
"""

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .history import set_author
from .models import AgendaItem, Decision, Meeting, Party, User


@dataclass(frozen=True)
class Proposal:
    """An item the state of the work calls for; `subject` is the record it is about."""

    proposer: str
    title_en: str
    title_fr: str
    subject: Model | None = None
    party: Party | None = None
    notes: str = ""

    @property
    def key(self) -> tuple[str, int | None, int | None]:
        """What identifies it on an agenda: its proposer and its subject."""
        if self.subject is None:
            return (self.proposer, None, None)
        return (self.proposer, ContentType.objects.get_for_model(self.subject).pk, self.subject.pk)


def in_both_languages(text: Promise, **values: Any) -> tuple[str, str]:
    """A proposal's title (or notes) in English and in French, whatever the page's language.

    A value is the same in both languages, or an (English, French) pair such as `names(party)`:
    the French title names a Party by its French name."""
    english_values = {name: value[0] if isinstance(value, tuple) else value for name, value in values.items()}
    french_values = {name: value[1] if isinstance(value, tuple) else value for name, value in values.items()}
    with translation.override("en"):
        english = str(text) % english_values
    with translation.override("fr"):
        french = str(text) % french_values
    return english, french


def names(record: Model, field: str = "name") -> tuple[str, str]:
    """`record`'s English and French `field` (`name_en`, `name_fr`), for `in_both_languages`; the
    English one where the French is missing."""
    english = getattr(record, f"{field}_en")
    return english, getattr(record, f"{field}_fr") or english


#: the items a meeting calls for, from what the user (the Secretariat) sees
Proposer = Callable[[Meeting, User], list[Proposal]]


#: the form fields of a kind's details for an item, as the user (the Secretariat) may fill them
DetailFields = Callable[[AgendaItem, User], dict[str, forms.Field]]


@dataclass(frozen=True)
class DecisionKind:
    name: str
    label: str | Promise
    #: carries the decision out as `by`; returns what it did in a line; raises ValidationError to refuse
    carry_out: Callable[[Decision, User], str] | None = None
    #: the proposers whose items this decision answers (empty: any item)
    answers: tuple[str, ...] = field(default_factory=tuple)
    #: the details the decision asks for beside its text (validated, kept in `Decision.details`)
    fields: DetailFields | None = None
    #: what of the details the list of decisions prints under the decision, in the active
    #: language ("" for nothing); reads `decision.details` only, no query
    summary: Callable[[Decision], str] | None = None

    def detail_fields(self, item: AgendaItem, user: User) -> dict[str, forms.Field]:
        return self.fields(item, user) if self.fields is not None else {}


PROPOSERS: dict[str, Proposer] = {}
DECISION_KINDS: dict[str, DecisionKind] = {}


def register_proposer(name: str, proposer: Proposer) -> None:
    if PROPOSERS.get(name, proposer) is not proposer:
        raise ValueError(f"The agenda proposer {name!r} is already registered.")
    PROPOSERS[name] = proposer


def register_decision_kind(kind: DecisionKind) -> None:
    if DECISION_KINDS.get(kind.name, kind) is not kind:
        raise ValueError(f"The decision kind {kind.name!r} is already registered.")
    DECISION_KINDS[kind.name] = kind


def decision_kinds_for(item: AgendaItem) -> list[DecisionKind]:
    """The decisions that may be taken on `item`: those answering its proposer, and the general ones."""
    return [kind for kind in DECISION_KINDS.values() if not kind.answers or item.proposal in kind.answers]


def _may_run_meetings(user: User) -> None:
    if not access.is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat prepares meetings and records decisions."))


def agenda_proposals(meeting: Meeting, *, user: User) -> list[Proposal]:
    """What the state of the work calls for, as `user` sees it, less what the agenda already holds."""
    _may_run_meetings(user)
    on_agenda = {
        (item.proposal, item.subject_type_id, item.subject_id)
        for item in meeting.agenda.only("proposal", "subject_type_id", "subject_id")
    }
    proposals = [proposal for proposer in PROPOSERS.values() for proposal in proposer(meeting, user)]
    return [proposal for proposal in proposals if proposal.key not in on_agenda]


@transaction.atomic
def agenda_add(meeting: Meeting, proposals: list[Proposal], *, by: User) -> list[AgendaItem]:
    """Put `proposals` at the end of the agenda, in the order given."""
    _may_run_meetings(by)
    last = meeting.agenda.aggregate(last=Max("order"))["last"] or 0
    items = []
    for order, proposal in enumerate(proposals, start=last + 1):
        item = AgendaItem(
            meeting=meeting,
            order=order,
            title_en=proposal.title_en,
            title_fr=proposal.title_fr,
            proposal=proposal.proposer,
            subject=proposal.subject,
            party=proposal.party,
            notes=proposal.notes,
        )
        set_author(item, by).save()
        items.append(item)
    return items


def _as_data(value: Any) -> Any:
    """A value as a form receives it: records by their key (a caller may pass the records)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return [_as_data(one) for one in value]
    return value


def _json_safe(value: Any) -> Any:
    """A cleaned value as `Decision.details` keeps it: records by their key, dates in ISO format."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return [_json_safe(one) for one in value]
    return value


def clean_details(
    decision_kind: DecisionKind, item: AgendaItem, data: Mapping[str, Any] | None, *, user: User
) -> dict[str, Any]:
    """The details of a decision of `decision_kind` on `item`, validated by the kind's fields and
    made JSON-safe; ValidationError naming the fields wrong."""
    fields = decision_kind.detail_fields(item, user)
    if not fields:
        return {}
    form = forms.Form(data={name: _as_data(value) for name, value in (data or {}).items()})
    form.fields.update(fields)
    if not form.is_valid():
        by_field = {name: errors for name, errors in form.errors.as_data().items() if name != "__all__"}
        raise ValidationError(by_field or list(form.non_field_errors()))
    return {name: _json_safe(value) for name, value in form.cleaned_data.items()}


@transaction.atomic
def decision_record(
    item: AgendaItem,
    *,
    kind: str,
    text_en: str,
    text_fr: str = "",
    published: bool = False,
    details: Mapping[str, Any] | None = None,
    by: User,
) -> Decision:
    """Record the Committee's decision on `item` and carry it out, all or nothing. `details` are
    the values of the kind's fields, as a form receives them (records or their keys)."""
    _may_run_meetings(by)
    decision_kind = DECISION_KINDS.get(kind)
    if decision_kind is None or decision_kind not in decision_kinds_for(item):
        raise ValidationError({"kind": _("This decision cannot be taken on this item.")})
    if not text_en.strip():
        raise ValidationError({"text_en": _("Write the decision as the Committee took it.")})
    cleaned = clean_details(decision_kind, item, details, user=by)
    decision = Decision(
        item=item,
        kind=kind,
        text_en=text_en,
        text_fr=text_fr,
        published=published,
        details=cleaned,
        recorded_by=by,
    )
    set_author(decision, by).save()
    if decision_kind.carry_out is not None:
        decision.outcome = decision_kind.carry_out(decision, by)
        set_author(decision, by).save(update_fields=["outcome"])
    return decision


def summary(decision: Decision) -> str:
    """What the list of decisions prints of the decision's details, in the active language."""
    kind = DECISION_KINDS.get(decision.kind)
    if kind is None or kind.summary is None or not decision.details:
        return ""
    return kind.summary(decision)


def _take_note(decision: Decision, by: User) -> str:
    return str(_("Noted."))


TAKE_NOTE = DecisionKind("take_note", gettext_lazy("Take note"), _take_note)
register_decision_kind(TAKE_NOTE)
