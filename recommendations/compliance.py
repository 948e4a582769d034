"""Selectors on compliance with the recommendations: the dashboard matrix, one recommendation's
report, one Party's profile, and the Parties still not in compliance after the deadline.

Every read goes through `secretariat.access`, and each selector runs a fixed number of queries
whatever the number of Parties, recommendations and assessments (the docstrings list them).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import tablib
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from monitoring.models import Submission
from secretariat import access, rendering
from secretariat.models import Party
from secretariat.spreadsheets import safe_dataset, spreadsheet_safe  # noqa: F401 - spreadsheet_safe re-exported

from . import escalation
from .models import (
    AssessedStatus,
    Assessment,
    EscalationStep,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Recommendation,
    overdue_q,
)

# The key of a cell whose Party the recommendation does not address (or no longer addresses).
NOT_ADDRESSED = "not_addressed"
NOT_ADDRESSED_LABEL = _("Not addressed")
STATUSES: tuple[str, ...] = tuple(AssessedStatus.values)


def _recommendations(
    user, *, report=None, chapter=None, urgency=None, theme=None, party=None, visible_follow_ups=None
) -> QuerySet:
    """The recommendations matching the filters, in report then report order."""
    # Only adopted reports are followed up: a draft recommendation has no follow-up to show.
    queryset = access.scoped(Recommendation, user).filter(report__status=ImplementationReport.Status.ADOPTED)
    if report is not None:
        queryset = queryset.filter(report=report)
    if chapter is not None:
        queryset = queryset.filter(chapter=chapter)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    if theme is not None:
        queryset = queryset.filter(themes=theme)
    if party is not None:
        # Filtering on a Party keeps what is addressed to it.
        addressed = visible_follow_ups.filter(recommendation=OuterRef("pk"), party=party)
        queryset = queryset.filter(Exists(addressed))
    return queryset.order_by("-report__adoption_date", "report__reference", "order", "pk")


def _ordered_counts(counter: Counter) -> list[int]:
    return [counter.get(status, 0) for status in STATUSES]


@dataclass(frozen=True)
class MatrixRow:
    party: Party
    cells: list[str | None]  # each recommendation's status, in column order; None: not addressed
    counts: list[int]  # per status, in STATUSES order
    addressed: int


@dataclass(frozen=True)
class Matrix:
    """Recommendations × Parties concerned, with each active follow-up's assessed status.

    The statuses are kept as plain dicts of ids and strings, which the garbage collector does not
    track: a full report is tens of thousands of cells, and as tuples or objects they made every
    other request of the dashboard pay a full collection."""

    recommendations: list[Recommendation]
    parties: list[Party]
    statuses: dict[int, dict[int, str]]  # recommendation id -> {party id -> status}: the addressed cells
    counts: Counter = field(default_factory=Counter)  # per status, all cells
    counts_by_party: dict[int, Counter] = field(default_factory=dict)
    counts_by_recommendation: dict[int, Counter] = field(default_factory=dict)

    def status(self, recommendation_id: int, party_id: int) -> str | None:
        return self.statuses.get(recommendation_id, {}).get(party_id)

    @property
    def cells(self) -> dict[tuple[int, int], str | None]:
        """(recommendation id, party id) -> status for every cell, None if not addressed."""
        return {
            (rec.pk, party.pk): self.status(rec.pk, party.pk)
            for rec in self.recommendations
            for party in self.parties
        }

    @property
    def addressed(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[MatrixRow]:
        """One row per Party, one cell per recommendation (the dashboard's layout)."""
        columns = [self.statuses.get(rec.pk, {}) for rec in self.recommendations]
        rows = []
        for party in self.parties:
            party_id, counts = party.pk, self.counts_by_party.get(party.pk, Counter())
            row_cells = [column.get(party_id) for column in columns]
            rows.append(MatrixRow(party, row_cells, _ordered_counts(counts), sum(counts.values())))
        return rows

    def status_totals(self) -> list[tuple[str, str | Promise, int]]:
        """(status, label, count) for each status, in the order of AssessedStatus."""
        return [(s, AssessedStatus(s).label, self.counts.get(s, 0)) for s in STATUSES]

    def recommendation_totals(self) -> list[tuple[str, str | Promise, list[int]]]:
        """(status, label, counts per recommendation in column order) for each status."""
        return [
            (
                s,
                AssessedStatus(s).label,
                [self.counts_by_recommendation[rec.pk].get(s, 0) for rec in self.recommendations],
            )
            for s in STATUSES
        ]


def compliance_matrix(
    *, user, report=None, chapter=None, urgency=None, theme=None, party=None, step=None
) -> Matrix:
    """The active follow-ups `user` may see, as a matrix of recommendations × Parties concerned
    (`step`: of the Parties at that escalation step or higher on the report).

    Queries: the recommendations, the active follow-ups (status only), the Parties concerned — three.
    """
    follow_ups = at_step_or_higher(access.scoped(FollowUp, user).filter(active=True), user=user, step=step)
    if party is not None:
        follow_ups = follow_ups.filter(party=party)
    recommendations = list(
        _recommendations(
            user,
            report=report,
            chapter=chapter,
            urgency=urgency,
            theme=theme,
            party=party,
            visible_follow_ups=follow_ups,
        )
    )
    ids = [rec.pk for rec in recommendations]
    statuses: dict[int, dict[int, str]] = {rec_id: {} for rec_id in ids}
    if ids:
        rows = follow_ups.filter(recommendation__in=ids).order_by()
        for rec_id, party_id, status in rows.values_list("recommendation_id", "party_id", "assessed_status"):
            statuses[rec_id][party_id] = status
    party_ids = {party_id for column in statuses.values() for party_id in column}
    parties = list(access.parties_for(user).filter(pk__in=party_ids).order_by("name_en")) if party_ids else []
    # Follow-ups of Parties the user may not see (none today) stay out of the matrix and its counts.
    visible = {p.pk for p in parties}
    if visible != party_ids:
        statuses = {
            rec_id: {p: s for p, s in column.items() if p in visible} for rec_id, column in statuses.items()
        }
    counts: Counter = Counter()
    by_party: dict[int, Counter] = {pk: Counter() for pk in visible}
    by_recommendation: dict[int, Counter] = {}
    for rec_id, column in statuses.items():
        by_recommendation[rec_id] = Counter(column.values())
        counts.update(by_recommendation[rec_id])
        for party_id, status in column.items():
            by_party[party_id][status] += 1
    return Matrix(recommendations, parties, statuses, counts, by_party, by_recommendation)


@dataclass(frozen=True)
class ReportLine:
    """One Party concerned by a recommendation."""

    follow_up: FollowUp
    overdue: bool
    latest_reasoning: str  # Markdown, for the exports
    latest_reasoning_html: str  # the page's
    latest_assessed_at: datetime.datetime | None
    updates: int

    @property
    def party(self) -> Party:
        return self.follow_up.party


@dataclass(frozen=True)
class ComplianceReport:
    recommendation: Recommendation
    lines: list[ReportLine]
    counts: Counter

    def status_totals(self) -> list[tuple[str, str | Promise, int]]:
        return [(s, AssessedStatus(s).label, self.counts.get(s, 0)) for s in STATUSES]


def _latest_assessments(user) -> QuerySet:
    return access.scoped(Assessment, user).filter(follow_up=OuterRef("pk")).order_by("-assessed_at", "-pk")


def _update_count(user) -> Coalesce:
    updates = (
        access.scoped(FollowUpUpdate, user)
        .filter(follow_up=OuterRef("pk"))
        .order_by()
        .values("follow_up")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(updates, output_field=IntegerField()), 0)


def compliance_report(
    *, user, recommendation: Recommendation, today: datetime.date | None = None
) -> ComplianceReport:
    """Every Party concerned by `recommendation`: statuses, deadline, latest assessment, updates.

    Queries: one (the follow-ups with their Party, the latest assessment and the update count
    as subqueries).
    """
    today = today or timezone.localdate()
    latest = _latest_assessments(user)
    follow_ups = (
        access.scoped(FollowUp, user)
        .filter(recommendation=recommendation, active=True, party__in=access.parties_for(user))
        .select_related("party")
        .annotate(
            latest_reasoning=Subquery(latest.values("reasoning")[:1]),
            latest_reasoning_html=Subquery(latest.values("reasoning_html")[:1]),
            latest_assessed_at=Subquery(latest.values("assessed_at")[:1]),
            update_count=_update_count(user),
        )
        .order_by("party__name_en")
    )
    lines = [
        ReportLine(
            follow_up=follow_up,
            overdue=follow_up.is_overdue(today),
            latest_reasoning=follow_up.latest_reasoning or "",
            # Stored sanitised by Assessment.reasoning_html (an annotation reads it as a plain str).
            latest_reasoning_html=mark_safe(follow_up.latest_reasoning_html or ""),  # noqa: S308
            latest_assessed_at=follow_up.latest_assessed_at,
            updates=follow_up.update_count,
        )
        for follow_up in follow_ups
    ]
    counts = Counter(line.follow_up.assessed_status for line in lines)
    return ComplianceReport(recommendation, lines, counts)


@dataclass(frozen=True)
class Treaty:
    name: str
    status: str
    date: datetime.date | None


@dataclass(frozen=True)
class RollupLine:
    """One recommendation addressed to the Party, with its follow-up and its assessments."""

    follow_up: FollowUp
    overdue: bool
    assessments: list[Assessment]  # newest first

    @property
    def recommendation(self) -> Recommendation:
        return self.follow_up.recommendation


@dataclass(frozen=True)
class PartyRollup:
    party: Party
    lines: list[RollupLine]
    history: list[Assessment]  # every assessment of the Party's follow-ups, newest first
    treaties: list[Treaty]
    submissions: list[Submission]
    counts: Counter

    def status_totals(self) -> list[tuple[str, str | Promise, int]]:
        return [(s, AssessedStatus(s).label, self.counts.get(s, 0)) for s in STATUSES]


def treaty_statuses(party: Party) -> list[Treaty]:
    """The Party's status towards each treaty, as recorded on the Party (no query)."""
    return [
        Treaty(
            name=str(Party._meta.get_field(f"{treaty}_status").verbose_name),  # type: ignore[union-attr]
            status=getattr(party, f"get_{treaty}_status_display")(),
            date=getattr(party, f"{treaty}_date"),
        )
        for treaty in Party.TREATIES
    ]


_HISTORY_FIELDS = (
    "follow_up",
    "assessed_at",
    "previous_status",
    "status",
    "reasoning_html",
    "assessed_by__username",
    "assessed_by__first_name",
    "assessed_by__last_name",
)


def party_rollup(*, user, party: Party, today: datetime.date | None = None) -> PartyRollup:
    """Everything addressed to `party` across reports and rounds, as far as `user` may see it.

    The caller resolves `party` through `access.parties_for(user)` (404 outside the scope).
    Queries: the follow-ups with their recommendation and report, the assessments with their
    author and recommendation's number (`recommendation_number`), the Party's own monitoring
    submissions with their round — three.
    """
    today = today or timezone.localdate()
    follow_ups = (
        access.scoped(FollowUp, user)
        .filter(party=party, active=True)
        .select_related("recommendation__report")
        # The profile names recommendations by number: none of their texts.
        .defer(*rendering.text_columns(Recommendation, path="recommendation"))
        .order_by(
            "-recommendation__report__adoption_date",
            "recommendation__report__reference",
            "recommendation__order",
            "recommendation__pk",
        )
    )
    history = list(
        access.scoped(Assessment, user)
        .filter(follow_up__party=party, follow_up__active=True)
        .select_related("assessed_by")
        # The page shows the recommendation's number: no follow-up and recommendation per assessment.
        .annotate(recommendation_number=F("follow_up__recommendation__number"))
        .only(*_HISTORY_FIELDS)
        .order_by("-assessed_at", "-pk")
    )
    by_follow_up: dict[int, list[Assessment]] = {}
    for assessment in history:
        by_follow_up.setdefault(assessment.follow_up_id, []).append(assessment)
    lines = [
        RollupLine(follow_up, follow_up.is_overdue(today), by_follow_up.get(follow_up.pk, []))
        for follow_up in follow_ups
    ]
    submissions = list(
        access.scoped(Submission, user)
        .filter(party=party, organisation__isnull=True)
        .select_related("round")
        .order_by("-round__number")
    )
    counts = Counter(line.follow_up.assessed_status for line in lines)
    return PartyRollup(party, lines, history, treaty_statuses(party), submissions, counts)


class LateFollowUp(NamedTuple):
    """A follow-up still not in compliance after its deadline (the fields the list shows)."""

    follow_up_id: int
    recommendation_id: int
    number: str
    deadline: datetime.date
    status: str

    @property
    def status_label(self) -> str:
        return str(AssessedStatus(self.status).label)


@dataclass(frozen=True)
class NonCompliance:
    """A Party with the recommendations it still does not comply with after their deadline."""

    party: Party
    follow_ups: list[LateFollowUp]

    @property
    def numbers(self) -> list[str]:
        return [follow_up.number for follow_up in self.follow_ups]


def non_compliant_after_deadline(
    *,
    user,
    report=None,
    today: datetime.date | None = None,
    chapter=None,
    urgency=None,
    theme=None,
    step=None,
) -> list[NonCompliance]:
    """Parties still not in compliance after the deadline, grouped by Party (English name order);
    `step`: those at that escalation step or higher on the report.

    For the Committee's decision on what to do next. Queries: the late follow-ups, their
    Parties — two.
    """
    today = today or timezone.localdate()
    recommendations = _recommendations(user, report=report, chapter=chapter, urgency=urgency, theme=theme)
    parties = access.parties_for(user)
    late = at_step_or_higher(access.scoped(FollowUp, user), user=user, step=step)
    follow_ups = late.filter(
        overdue_q(today), recommendation__in=recommendations.order_by().values("pk"), party__in=parties
    )
    # Tuples, not model instances: at the scale of a whole report the list holds thousands of
    # rows, and building a FollowUp, a Recommendation and a Party for each is most of the time.
    rows = follow_ups.order_by(
        "recommendation__report__reference", "recommendation__order", "recommendation__pk"
    ).values_list(
        "party_id", "pk", "recommendation_id", "recommendation__number", "deadline", "assessed_status"
    )
    by_party: dict[int, list[LateFollowUp]] = {}
    for party_id, *fields in rows:
        by_party.setdefault(party_id, []).append(LateFollowUp(*fields))
    if not by_party:
        return []
    return [
        NonCompliance(party, by_party[party.pk])
        for party in parties.filter(pk__in=by_party).order_by("name_en")
    ]


def at_step_or_higher(follow_ups: QuerySet, *, user, step: int | None) -> QuerySet:
    """The follow-ups of the Parties at escalation step `step` or higher on their report (None: all)."""
    if not step:
        return follow_ups
    reached = access.scoped(EscalationStep, user).filter(
        report=OuterRef("recommendation__report"), party=OuterRef("party"), step__gte=step
    )
    return follow_ups.filter(Exists(reached))


def escalation_steps(*, user, report=None, step: int | None = None) -> list[EscalationStep]:
    """Each Party's current escalation step on `report` (its highest, with the outcome once closed),
    at `step` or higher if given, by Party name. One query."""
    filters = {"report": report} if report is not None else {}
    steps = escalation.latest_steps(user, **filters)
    return sorted(
        (current for current in steps if not step or current.step >= step),
        key=lambda current: (current.party.name_en, current.report_id),
    )


# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
def _dataset(headers: list, rows: list[list], title: str) -> tablib.Dataset:
    return safe_dataset(headers, rows, title)


def matrix_dataset(matrix: Matrix) -> tablib.Dataset:
    """The matrix for CSV or XLSX: one line per Party, one column per recommendation, then counts."""
    labels: dict[str | None, str] = {status: str(label) for status, label in AssessedStatus.choices}
    headers = [_("Party"), _("Code"), *(rec.number for rec in matrix.recommendations)]
    headers += [*labels.values(), _("Addressed")]
    labels[None] = ""  # not addressed
    rows = [
        [
            row.party.name_en,
            row.party.code,
            *(labels[status] for status in row.cells),
            *row.counts,
            row.addressed,
        ]
        for row in matrix.rows()
    ]
    return _dataset(headers, rows, title=str(_("Compliance")))


def _datetime(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_dataset(report: ComplianceReport) -> tablib.Dataset:
    """One recommendation's compliance report for CSV or XLSX: one line per Party concerned."""
    headers = [
        _("Party"),
        _("Code"),
        _("Assessed status"),
        _("Status reported by the State"),
        _("Deadline"),
        _("Overdue"),
        _("Last assessed"),
        _("Reasoning"),
        _("Updates"),
    ]
    rows = [
        [
            line.party.name_en,
            line.party.code,
            str(line.follow_up.get_assessed_status_display()),
            str(line.follow_up.get_reported_status_display()),
            line.follow_up.deadline.isoformat() if line.follow_up.deadline else "",
            str(_("yes") if line.overdue else _("no")),
            _datetime(line.latest_assessed_at),
            line.latest_reasoning,
            line.updates,
        ]
        for line in report.lines
    ]
    return _dataset(headers, rows, title=str(_("Compliance")))
