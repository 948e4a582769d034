"""My work: what waits on a user now, oldest and most overdue first, each one click from where it is handled.

- Secretariat users: the cases waiting on the Secretariat (submissions to register or to look at
  again, updates to assess), the cases waiting on a Party past their due date (requests for
  information left unanswered, Parties late against a deadline: the Secretariat chases them), and
  their own imports finished or failed lately. `scope` picks the cases: "mine" (handled by the user),
  "unassigned" or "everyone" (the whole Secretariat's).
- Committee members: the cases waiting on the Committee that they work on as rapporteurs.
- State users and stakeholders: their own cases waiting on them (what the Secretariat waits for).

A fixed number of queries whatever the number of cases (the list is capped at `LIMIT` rows; the
counts are over every case). The admin's home page, the portal's home page and the API read it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, cases
from .models import Case, ImportJob, User

SCOPES = ("mine", "unassigned", "everyone")
LIMIT = 200
#: How long a finished import stays in its author's work.
RECENT_IMPORTS = datetime.timedelta(days=7)
FINISHED_IMPORTS = (
    ImportJob.Status.CHECKED,
    ImportJob.Status.DONE,
    ImportJob.Status.UNCHANGED,
    ImportJob.Status.REJECTED,
    ImportJob.Status.FAILED,
)

WaitingOn = Case.WaitingOn


@dataclass(frozen=True)
class Item:
    """One line of work: a case, or one of the user's imports."""

    category: str
    title: str
    url: str
    since: datetime.datetime
    due_date: datetime.date | None = None
    overdue: bool = False
    case: Case | None = None
    import_job: ImportJob | None = None

    @property
    def waiting_on_label(self) -> str:
        return self.case.get_waiting_on_display() if self.case else ""


def scope_labels() -> list[tuple[str, str]]:
    return [("mine", _("Mine")), ("unassigned", _("Unassigned")), ("everyone", _("Everyone's"))]


def normalise_scope(scope: str | None) -> str:
    """A scope from a query string: anything unknown reads as "mine"."""
    return scope if scope in SCOPES else "mine"


def _waiting(user: User, today: datetime.date) -> Q:
    """The open cases waiting on `user`'s side."""
    if access.is_secretariat(user):
        return Q(waiting_on=WaitingOn.SECRETARIAT) | Q(waiting_on=WaitingOn.PARTY, due_date__lt=today)
    if access.is_committee(user):
        return Q(waiting_on=WaitingOn.COMMITTEE) & access.committee_cases(user)
    if access.is_respondent(user):
        return Q(waiting_on=WaitingOn.PARTY)
    return Q(pk__in=[])


def cases_for(user: User, scope: str = "mine", *, today: datetime.date | None = None) -> QuerySet:
    """The open cases waiting on `user` (on the Secretariat, for the scope), most overdue and oldest first."""
    today = today or timezone.localdate()
    queryset = access.scoped(Case, user).filter(_waiting(user, today), closed_at__isnull=True)
    if access.is_secretariat(user):
        scope = normalise_scope(scope)
        if scope == "mine":
            queryset = queryset.filter(handler=user)
        elif scope == "unassigned":
            queryset = queryset.filter(handler__isnull=True)
    return queryset.order_by(F("due_date").asc(nulls_last=True), "waiting_since", "pk")


def _finished_imports(user: User) -> QuerySet:
    since = timezone.now() - RECENT_IMPORTS
    jobs = access.scoped(ImportJob, user).filter(status__in=FINISHED_IMPORTS)
    return jobs.alias(ended=Coalesce("finished_at", "checked_at")).filter(ended__gte=since)


def _label(kind: str, state: str, late: bool) -> str:
    """ "Submission: to register", "Follow-up: awaiting the Party's report, overdue" ..."""
    kind_label, state_label = cases.labels(kind, state)
    label = _("%(kind)s: %(state)s") % {"kind": kind_label, "state": state_label}
    return _("%(category)s, overdue") % {"category": label} if late else label


def category_of(case: Case, today: datetime.date | None = None) -> str:
    late = case.waiting_on == WaitingOn.PARTY and case.is_overdue(today)
    return _label(case.kind, case.state, late)


def _case_url(case: Case) -> str:
    try:
        return cases.kind_of(case).handled_at(case)
    except KeyError:  # a kind no app registers any more: its case page at least
        return reverse("admin:secretariat_case_change", args=[case.pk])


def items_for(user: User, scope: str = "mine", *, limit: int = LIMIT) -> list[Item]:
    """What waits on `user` now: cases first (most overdue, then oldest), then finished imports."""
    today = timezone.localdate()
    rows = cases_for(user, scope, today=today).select_related("party", "handler")[:limit]
    items = [
        Item(
            category=category_of(case, today),
            title=str(case),
            url=_case_url(case),
            since=case.waiting_since,
            due_date=case.due_date,
            overdue=case.is_overdue(today),
            case=case,
        )
        for case in rows
    ]
    if access.is_secretariat(user) and normalise_scope(scope) != "unassigned":
        for job in _finished_imports(user)[:limit]:
            items.append(
                Item(
                    category=_("Import: %(status)s") % {"status": job.get_status_display()},
                    title=job.file_name,
                    url=job.get_absolute_url(),
                    since=job.finished_at or job.checked_at or job.created_at,
                    import_job=job,
                )
            )
    return items


def counts(user: User, scope: str = "mine") -> dict[str, int]:
    """How many items of each category wait on `user` (every case, not only the listed ones): two queries."""
    today = timezone.localdate()
    tally: dict[str, int] = {}
    grouped = (
        cases_for(user, scope, today=today)
        .order_by()
        .values("kind", "state", "waiting_on")
        .annotate(late=Count("pk", filter=Q(due_date__lt=today)), total=Count("pk"))
    )
    for row in grouped:
        for late, number in ((True, row["late"]), (False, row["total"] - row["late"])):
            if not number:
                continue
            label = _label(row["kind"], row["state"], late and row["waiting_on"] == WaitingOn.PARTY)
            tally[label] = tally.get(label, 0) + number
    if access.is_secretariat(user) and normalise_scope(scope) != "unassigned":
        for status, number in (
            _finished_imports(user).order_by().values_list("status").annotate(number=Count("pk"))
        ):
            label = _("Import: %(status)s") % {"status": ImportJob.Status(status).label}
            tally[label] = tally.get(label, 0) + number
    return dict(sorted(tally.items()))


def scope_totals(user: User) -> dict[str, int]:
    """For the Secretariat: how many cases wait in each scope (the tabs of the page), one query."""
    if not access.is_secretariat(user):
        return {}
    today = timezone.localdate()
    waiting = access.scoped(Case, user).filter(_waiting(user, today), closed_at__isnull=True)
    return waiting.aggregate(
        mine=Count("pk", filter=Q(handler=user)),
        unassigned=Count("pk", filter=Q(handler__isnull=True)),
        everyone=Count("pk"),
    )
