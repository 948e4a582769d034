"""A meeting's agenda and its list of decisions, as DOCX and PDF, in English or in French.

Both are built from what the requesting user may see (`access.scoped`), in the house layout of
the letters and case files (`printing`): the Committee's name, the meeting, its dates and place,
then the items in order (with, for the list of decisions, each decision's text under its item,
and what matters of its details: `meetings.summary`).
"""

import io
from dataclasses import dataclass

import docx
from django.utils import formats, translation
from django.utils.translation import gettext as _
from docx.shared import Pt, RGBColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from . import access, meetings, printing
from .models import AgendaItem, Decision, Meeting, User

KINDS = ("agenda", "decisions")
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Entry:
    """An item of the agenda, with the decisions taken on it (for the list of decisions)."""

    number: str
    title: str
    notes: str
    decisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Printed:
    committee: str
    title: str
    when_and_where: str
    entries: tuple[Entry, ...]
    empty: str
    language: str


def _dates(meeting: Meeting) -> str:
    first = formats.date_format(meeting.starts_on, "DATE_FORMAT")
    if meeting.ends_on == meeting.starts_on:
        return first
    return _("%(first)s to %(last)s") % {
        "first": first,
        "last": formats.date_format(meeting.ends_on, "DATE_FORMAT"),
    }


def build(meeting: Meeting, *, kind: str, user: User, language: str) -> Printed:
    """The agenda or the list of decisions of `meeting`, as `user` may read it, in `language`."""
    with translation.override(language):
        items = list(access.scoped(AgendaItem, user).filter(meeting=meeting).order_by("order", "pk"))
        decided: dict[int, list[str]] = {}
        if kind == "decisions":
            decisions = (
                access.scoped(Decision, user).filter(item__meeting=meeting).order_by("recorded_at", "pk")
            )
            for decision in decisions:
                # The text as the Committee took it, then what matters of its details (a reason …).
                texts = decided.setdefault(decision.item_id, [])
                texts.append(decision.text)
                if summary := meetings.summary(decision):
                    texts.append(summary)
            items = [item for item in items if item.pk in decided]
        entries = tuple(
            Entry(
                str(index),
                item.title,
                item.notes if kind == "agenda" else "",
                tuple(decided.get(item.pk, ())),
            )
            for index, item in enumerate(items, start=1)
        )
        title = _("Agenda") if kind == "agenda" else _("List of decisions")
        where = f", {meeting.place}" if meeting.place else ""
        return Printed(
            committee=_("Lanzarote Committee"),
            title=f"{meeting} – {title}",
            when_and_where=_dates(meeting) + where,
            entries=entries,
            empty=_("No item yet.") if kind == "agenda" else _("No decision recorded yet."),
            language=language,
        )


def to_docx(printed: Printed) -> bytes:
    document = docx.Document()
    document.core_properties.title = printing.clean(printed.title)
    document.core_properties.language = printed.language
    banner = document.add_paragraph().add_run(printing.clean(printed.committee))
    banner.bold, banner.font.size = True, Pt(12)
    banner.font.color.rgb = RGBColor(0x00, 0x33, 0x66)
    document.add_heading(printing.clean(printed.title), level=1)
    document.add_paragraph(printing.clean(printed.when_and_where))
    if not printed.entries:
        document.add_paragraph(printed.empty)
    for entry in printed.entries:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{entry.number}. {printing.clean(entry.title)}").bold = True
        if entry.notes:
            document.add_paragraph(printing.clean(entry.notes))
        for text in entry.decisions:
            document.add_paragraph(printing.clean(text))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def to_pdf(printed: Printed) -> bytes:
    styles = printing.styles()
    output = io.BytesIO()
    pdf = SimpleDocTemplate(
        output,
        pagesize=A4,
        title=printing.clean(printed.title),
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    flowables = [
        Paragraph(printing.markup(printed.committee), styles["sender"]),
        Spacer(1, 0.4 * cm),
        Paragraph(printing.markup(printed.title), styles["title"]),
        Paragraph(printing.markup(printed.when_and_where), styles["body"]),
        Spacer(1, 0.4 * cm),
    ]
    if not printed.entries:
        flowables.append(Paragraph(printing.markup(printed.empty), styles["body"]))
    for entry in printed.entries:
        flowables.append(Paragraph(printing.markup(f"{entry.number}. {entry.title}"), styles["subheading"]))
        if entry.notes:
            flowables.append(Paragraph(printing.markup(entry.notes), styles["body"]))
        flowables += [Paragraph(printing.markup(text), styles["body"]) for text in entry.decisions]
    pdf.build(flowables)
    return output.getvalue()


def file_name(meeting: Meeting, kind: str, language: str, format: str) -> str:
    return f"meeting-{meeting.number}-{kind}-{language}.{format}"
