"""Children's views in aggregate: how many children took part, where, of which ages and genders,
on which questions, and the quotes the report and the compilations may use.

Everything is read through `access.scoped` as the reader and counts registered contributions
only; the counts are summed in the database (a fixed number of queries whatever the number of
contributions). No count of 1 to 4 children is ever shown on its own (`SUPPRESSION_THRESHOLD`):

- a cell of 1 to 4 children is shown as "fewer than 5" (primary suppression); zero is shown as 0;
- a total is shown as it is, so that a suppressed cell cannot be worked out from it and the
  other cells of its row or column, the smallest other non-zero cell of that line is suppressed
  too whenever exactly one cell of the line would be (complementary suppression), repeated until
  no line has a single suppressed cell that a neighbour could give away;
- a total of 1 to 4 children (a single small contribution, say) is itself shown as "fewer than 5",
  and so is the headline's number of children.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from secretariat import access
from secretariat.models import User, localized

from .models import (
    AGE_BANDS,
    GENDERS,
    ChildParticipation,
    ChildQuote,
    MonitoringRound,
    Question,
    SafeguardingFlag,
    Submission,
)

#: Fewer children than this in a cell are never shown separately.
SUPPRESSION_THRESHOLD = 5


@dataclass(frozen=True)
class Count:
    """A number of children as it may be shown: `suppressed` ones print as "fewer than 5"."""

    value: int
    suppressed: bool = False

    def __str__(self) -> str:
        if self.suppressed:
            return _("fewer than %(threshold)d") % {"threshold": SUPPRESSION_THRESHOLD}
        return str(self.value)


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Count]
    total: Count | None = None


@dataclass(frozen=True)
class Table:
    """Rows × columns of counts with their suppression applied; `totals` per column and `total`
    (the whole table) when the table has them."""

    columns: list[str]
    rows: list[Row]
    totals: list[Count] | None = None
    total: Count | None = None


def suppressed(
    values: Sequence[Sequence[int]], *, row_totals: bool = False, column_totals: bool = False
) -> list[list[bool]]:
    """Which cells of `values` (rows of counts) to hide, when each row's total and each column's
    total (and the grand total, never hidden) are shown as asked.

    The result is as large as the table with its totals: row totals as a last column, column
    totals as a last row.
    """
    grid = [list(row) for row in values]
    if row_totals:
        grid = [[*row, sum(row)] for row in grid]
    if column_totals:
        width = len(grid[0]) if grid else 0
        grid.append([sum(row[column] for row in grid) for column in range(width)])
    height, width = len(grid), len(grid[0]) if grid else 0
    # Totals stay: they are never hidden, which is why a lone hidden cell needs a companion.
    fixed = {(height - 1, c) for c in range(width)} if column_totals else set()
    fixed |= {(r, width - 1) for r in range(height)} if row_totals else set()
    hidden = {
        (r, c)
        for r in range(height)
        for c in range(width)
        if 0 < grid[r][c] < SUPPRESSION_THRESHOLD and (r, c) not in fixed
    }
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            others = [
                cell for cell in line if cell not in hidden and cell not in fixed and grid[cell[0]][cell[1]]
            ]
            if others:
                hidden.add(min(others, key=lambda cell: (grid[cell[0]][cell[1]], cell)))
                changed = True
    return [[(r, c) in hidden for c in range(width)] for r in range(height)]


def table(
    labels: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[int]], *, totals: bool
) -> Table:
    """A table of `values` (one row per label) with its suppression; `totals`: each column's total
    and the whole table's shown below it (a one-column table's total is the whole table's)."""
    hidden = suppressed(values, column_totals=totals)
    rows = [
        Row(label, [Count(value, hidden[r][c]) for c, value in enumerate(row)])
        for r, (label, row) in enumerate(zip(labels, values, strict=True))
    ]
    if not totals:
        return Table(list(columns), rows)
    sums = [sum(row[c] for row in values) for c in range(len(columns))]
    return Table(list(columns), rows, [shown(value) for value in sums], shown(sum(sums)))


def shown(value: int) -> Count:
    """A total as it may be shown: suppressed when it is itself 1 to 4 children."""
    return Count(value, 0 < value < SUPPRESSION_THRESHOLD)


# --- the round's aggregates ------------------------------------------------------------------------


def registered_contributions(*, round: MonitoringRound | int, user: User) -> QuerySet:
    """The registered contributions of `round` that `user` sees (none for a State)."""
    return access.scoped(ChildParticipation, user).filter(round=round, status=Submission.Status.REGISTERED)


def cleared_quotes(
    *, round: MonitoringRound | int, user: User, questions: Sequence[int] | None = None
) -> QuerySet:
    """The quotes of registered contributions of `round` with nothing left for the safeguarding
    check to decide, to `questions` (ids) when given, with their contribution's Party and
    organisation; the order the report reads them in (Party, organisation, the quotes' order)."""
    still_open = SafeguardingFlag.objects.filter(
        quote=OuterRef("pk"), decision=SafeguardingFlag.Decision.OPEN
    )
    quotes = (
        access.scoped(ChildQuote, user)
        .filter(contribution__in=registered_contributions(round=round, user=user).values("pk"))
        .exclude(Exists(still_open))
    )
    if questions is not None:
        quotes = quotes.filter(
            pk__in=ChildQuote.questions.through.objects.filter(question__in=list(questions)).values(
                "childquote"
            )
        )
    return quotes.select_related("contribution__party", "contribution__organisation").order_by(
        "contribution__party__name_en", "contribution__organisation__name", "contribution_id", "order", "pk"
    )


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes speaking to one question (`question` None: to none in particular)."""

    question: Question | None
    quotes: list[ChildQuote]


@dataclass(frozen=True)
class Aggregates:
    round: MonitoringRound
    children: int
    parties: list[str]  # the Parties' names, in the reader's language, alphabetically
    by_party: Table
    by_age: Table
    by_gender: Table
    by_question: Table
    quotes: list[QuoteGroup] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """ "306 children in 10 Parties", as the report's introduction says it."""
        if 0 < self.children < SUPPRESSION_THRESHOLD:
            children = _("fewer than %(threshold)d children") % {"threshold": SUPPRESSION_THRESHOLD}
        else:
            children = ngettext("%(count)d child", "%(count)d children", self.children) % {
                "count": self.children
            }
        parties = ngettext("%(count)d Party", "%(count)d Parties", len(self.parties)) % {
            "count": len(self.parties)
        }
        return _("%(children)s in %(parties)s") % {"children": children, "parties": parties}


def round_aggregates(*, round: MonitoringRound, user: User) -> Aggregates:
    """The round's children's views as `user` may read them (five queries)."""
    contributions = registered_contributions(round=round, user=user)
    per_party = list(
        contributions.values("party_id", "party__name_en", "party__name_fr")
        .annotate(children=Sum("children_count"))
        .order_by("party__name_en", "party_id")
    )
    names = [_party_name(row) for row in per_party]
    counts = [row["children"] or 0 for row in per_party]
    fields = [name for name, _label in (*AGE_BANDS, *GENDERS)]
    sums = contributions.aggregate(**{name: Sum(name) for name in fields})
    questions = list(
        access.scoped(Question, user)
        .filter(round=round, child_participations__in=contributions.values("pk"))
        .annotate(children_total=Sum("child_participations__children_count"))
        .only("pk", "ref", "order", "text_en", "text_fr")
        .order_by("order", "pk")
    )
    children = _("children")
    return Aggregates(
        round=round,
        children=sum(counts),
        parties=names,
        by_party=table(names, [children], [[count] for count in counts], totals=True),
        by_age=table(
            [str(label) for _name, label in AGE_BANDS],
            [children],
            [[sums[name] or 0] for name, _label in AGE_BANDS],
            totals=True,
        ),
        by_gender=table(
            [str(label) for _name, label in GENDERS],
            [children],
            [[sums[name] or 0] for name, _label in GENDERS],
            totals=True,
        ),
        by_question=table(
            [question_label(question) for question in questions],
            [children],
            [[question.children_total or 0] for question in questions],
            totals=False,  # a contribution speaking to several questions counts for each
        ),
        quotes=quotes_by_question(round=round, user=user),
    )


def quotes_by_question(*, round: MonitoringRound | int, user: User) -> list[QuoteGroup]:
    """The cleared quotes grouped by the questions they speak to, in the questionnaire's order (a
    quote under each of its questions), then those speaking to none (two queries)."""
    in_scope = (
        access.scoped(Question, user).only("pk", "ref", "order", "text_en", "text_fr").order_by("order")
    )
    quotes = cleared_quotes(round=round, user=user).prefetch_related(Prefetch("questions", queryset=in_scope))
    groups: dict[int | None, list[ChildQuote]] = defaultdict(list)
    seen: dict[int, Question] = {}
    for quote in quotes:
        speaks_to = list(quote.questions.all())
        for question in speaks_to:
            seen[question.pk] = question
            groups[question.pk].append(quote)
        if not speaks_to:
            groups[None].append(quote)
    ordered = sorted(seen.values(), key=lambda question: (question.order, question.pk))
    result = [QuoteGroup(question, groups[question.pk]) for question in ordered]
    if groups[None]:
        result.append(QuoteGroup(None, groups[None]))
    return result


def question_label(question: Question) -> str:
    """ "16. What measures…" in the reader's language, cut to a line."""
    text = (localized(question, "text") or "").strip().splitlines()
    first = text[0] if text else ""
    return f"{question.ref}. {first[:100]}{'…' if len(first) > 100 else ''}"


def _party_name(row: dict) -> str:
    """The Party's name in the reader's language, from a row of values (no Party loaded)."""
    if (get_language() or "en").startswith("fr"):
        return row["party__name_fr"] or row["party__name_en"]
    return row["party__name_en"]
