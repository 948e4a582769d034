"""A Party's case file: everything the Secretariat and the Committee know of one Party, on one page
and in one PDF for a meeting — its submissions and their history, its replies by round, its
follow-ups, the correspondence, the internal notes and the open cases with their handlers.

The core gathers sections; each feature app registers its own (`register_section`) from its
AppConfig.ready(), as the core cannot read the apps' models. A section's `build(party, user)`
returns parts (`Text`, `Table`, `Markdown`), printed the same way on the page and in the PDF; it
reads rows through `access.scoped` and runs a fixed number of queries, whatever the Party's history.
"""

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from . import access, cases, printing
from .models import Case, Correspondence, Note, Party, User, localized
from .text import plain_text

# --- what a section holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url: str = ""

    def __str__(self) -> str:
        return self.text


Cell = str | Link


@dataclass(frozen=True)
class Text:
    """A line of text, linked if `url`; `strong` for a sub-heading."""

    text: str
    url: str = ""
    strong: bool = False
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Table:
    headers: Sequence[Any]
    rows: Sequence[Sequence[Cell]]
    caption: str = ""
    empty: str = field(default_factory=lambda: _("None."))
    kind: ClassVar[str] = "table"

    def body_html(self) -> SafeString:
        """The rows as HTML, each cell escaped here: the page's template would look up a link's
        address on every cell of tables of hundreds of rows."""
        return mark_safe("".join(f"<tr>{''.join(map(_cell_html, row))}</tr>" for row in self.rows))  # noqa: S308


def _cell_html(cell: Cell) -> str:
    if isinstance(cell, Link) and cell.url:
        return f'<td><a href="{conditional_escape(cell.url)}">{conditional_escape(cell.text)}</a></td>'
    return f"<td>{conditional_escape(cell)}</td>"


@dataclass(frozen=True)
class Markdown:
    """Text written in Markdown (a note), with who wrote it and when, printed sanitised."""

    text: str
    byline: str = ""
    kind: ClassVar[str] = "markdown"


Part = Text | Table | Markdown
Build = Callable[[Party, User], list[Part]]


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    order: int
    build: Build
    template: str = "admin/case_file/section.html"


@dataclass(frozen=True)
class BuiltSection:
    key: str
    title: str
    parts: list[Part]
    template: str


_SECTIONS: dict[str, Section] = {}


def register_section(
    key: str, title: Any, order: int, build: Build, template: str = "admin/case_file/section.html"
) -> None:
    """Add a section to every Party's case file (`order` places it among the others)."""
    section = Section(key, title, order, build, template)
    if key in _SECTIONS and _SECTIONS[key].build is not build:
        raise ValueError(f"The case file section {key} is already registered.")
    _SECTIONS[key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def case_file(party: Party, user: User) -> list[BuiltSection]:
    """The case file of `party` as `user` may read it (staff only: the admin's users)."""
    return [
        BuiltSection(section.key, str(section.title), section.build(party, user), section.template)
        for section in sections()
    ]


# --- helpers for the sections --------------------------------------------------------------------


def admin_url(name: str, *args: Any, query: str = "") -> str:
    """The admin page's address, or "" when that page is not installed."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def admin_change_url(name: str) -> Callable[[Any], str]:
    """The change page of an object of the admin changelist `name`, by its primary key ("" when that
    page is not installed): one reverse() for a table of hundreds of rows."""
    changelist = admin_url(name)
    return lambda pk: f"{changelist}{pk}/change/" if changelist else ""


def day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _case_link(case: Case) -> Link:
    try:
        url = cases.kind_of(case).handled_at(case)
    except KeyError:
        url = ""
    return Link(localized(case, "title"), url)


def _state(case: Case) -> str:
    try:
        return cases.kind_of(case).state_label(case.state)
    except KeyError:
        return case.state


# --- the core's sections -------------------------------------------------------------------------


def open_cases(party: Party, user: User) -> list[Part]:
    rows = (
        access.scoped(Case, user)
        .filter(party=party, closed_at__isnull=True)
        .select_related("handler", "organisation")
        .order_by("due_date", "waiting_since")
    )
    writes_letters = access.is_secretariat(user)
    headers = [_("case"), _("state"), _("waiting on"), _("since"), _("due"), _("handled by")]
    table_rows: list[list[Cell]] = []
    for case in rows:
        row: list[Cell] = [
            _case_link(case),
            _state(case),
            case.get_waiting_on_display(),
            day(case.waiting_since),
            day(case.due_date),
            person(case.handler) or _("unassigned"),
        ]
        if writes_letters:
            row.append(Link(_("write a letter"), admin_url("admin:secretariat_case_letter", case.pk)))
        table_rows.append(row)
    if writes_letters:
        headers.append(_("letter"))
    return [Table(headers, table_rows, empty=_("No open case."))]


CORRESPONDENCE_SHOWN = 100


def correspondence(party: Party, user: User) -> list[Part]:
    items = list(
        access.scoped(Correspondence, user)
        .filter(party=party)
        .select_related("case", "document", "recorded_by")
        .order_by("-date", "-pk")[: CORRESPONDENCE_SHOWN + 1]
    )
    parts: list[Part] = [
        Table(
            [_("date"), _("kind"), _("subject"), _("from"), _("case"), _("document")],
            [
                [
                    day(item.date),
                    item.get_kind_display(),
                    Link(item.subject, admin_url("admin:secretariat_correspondence_change", item.pk)),
                    item.sender,
                    localized(item.case, "title") if item.case else "",
                    Link(item.document.reference, item.document.link) if item.document else "",
                ]
                for item in items[:CORRESPONDENCE_SHOWN]
            ],
            empty=_("No correspondence recorded."),
        )
    ]
    if len(items) > CORRESPONDENCE_SHOWN:
        url = admin_url("admin:secretariat_correspondence_changelist", query=f"party__id__exact={party.pk}")
        parts.append(
            Text(_("The %(count)d latest items; the log has more.") % {"count": CORRESPONDENCE_SHOWN}, url)
        )
    return parts


def notes(party: Party, user: User) -> list[Part]:
    """The internal notes on the Party's cases that `user` may read (none for a State user)."""
    thread = (
        access.scoped(Note, user)
        .filter(case__party=party)
        .select_related("author", "case")
        .order_by("-created_at", "-pk")
    )
    parts: list[Part] = [
        Markdown(
            note.text,
            _("%(author)s, %(date)s – %(case)s")
            % {
                "author": person(note.author),
                "date": day(note.created_at),
                "case": localized(note.case, "title"),
            },
        )
        for note in thread
    ]
    return parts or [Text(_("No internal note."))]


register_section("open_cases", gettext_lazy("Open cases and their handlers"), 10, open_cases)
register_section("correspondence", gettext_lazy("Correspondence"), 80, correspondence)
register_section("notes", gettext_lazy("Internal notes (never shown to States)"), 90, notes)


# --- the PDF for a meeting -----------------------------------------------------------------------


def case_file_pdf(party: Party, user: User) -> bytes:
    """The case file as `user` reads it, one A4 PDF."""
    styles = printing.styles()
    title = _("Case file: %(party)s") % {"party": localized(party, "name")}
    output = io.BytesIO()
    pdf = SimpleDocTemplate(
        output,
        pagesize=A4,
        title=printing.clean(title),
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    flowables: list[Flowable] = [
        Paragraph(printing.markup(title), styles["title"]),
        Paragraph(
            printing.markup(_("As of %(date)s") % {"date": day(timezone.localdate())}),
            styles["small"],
        ),
    ]
    for section in case_file(party, user):
        flowables.append(Paragraph(printing.markup(section.title), styles["heading"]))
        for part in section.parts:
            flowables += _pdf_part(part, pdf.width)

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(printing.REGULAR, 8)
        canvas.drawRightString(A4[0] - 1.8 * cm, A4[1] - 1.2 * cm, printing.clean(title))
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(document.page))
        canvas.restoreState()

    pdf.build(flowables, onFirstPage=decorate, onLaterPages=decorate)
    return output.getvalue()


#: About the width of a character of a table cell, in points (DejaVu Sans at the cells' size).
CELL_CHARACTER = 5.0
CELL_PADDING = 12.0


def _column_widths(part: "Table", width: float) -> list[float]:
    """Each column wide enough for its longest word (a date, a number), then the width left shared
    in proportion to how much text the column holds (a recommendation's text gets the room)."""
    floors, texts = [], []
    for index, header in enumerate(part.headers):
        cells = [str(row[index]) for row in part.rows if index < len(row)]
        longest_word = max((len(word) for text in cells for word in text.split()), default=4)
        header_word = max((len(word) for word in str(header).split()), default=4)
        floors.append(max(longest_word, min(header_word, 12)) * CELL_CHARACTER + CELL_PADDING)
        texts.append(sum(len(cell) for cell in cells) / max(len(cells), 1))
    left = width - sum(floors)
    if left <= 0:
        return [width * floor / sum(floors) for floor in floors]
    return [floor + left * text / (sum(texts) or 1) for floor, text in zip(floors, texts, strict=True)]


def _pdf_part(part: Part, width: float) -> list[Flowable]:
    styles = printing.styles()
    if isinstance(part, Text):
        return [Paragraph(printing.markup(part.text), styles["subheading" if part.strong else "body"])]
    if isinstance(part, Markdown):
        flowables = [Paragraph(printing.markup(part.byline), styles["small"])] if part.byline else []
        return [*flowables, Paragraph(printing.markup(plain_text(part.text)), styles["body"])]
    flowables = [Paragraph(printing.markup(part.caption), styles["subheading"])] if part.caption else []
    if not part.rows:
        return [*flowables, Paragraph(printing.markup(part.empty), styles["body"])]
    data = [[Paragraph(printing.markup(str(header)), styles["cell_head"]) for header in part.headers]]
    data += [[Paragraph(printing.markup(str(cell)), styles["cell"]) for cell in row] for row in part.rows]
    table = LongTable(data, colWidths=_column_widths(part, width), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [*flowables, table, Spacer(1, 0.3 * cm)]
