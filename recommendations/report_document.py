"""An implementation report printed as DOCX and PDF, in English or in French, with the
compilation's writers (monitoring.compilation.render: blocks in, a document out).

The document follows the Committee's reports: a title page (the Committee, the report's title,
its round, its reference, its adoption date or "Draft report"), the contents, the levels of
urgency, then each chapter: its findings (their stored, sanitised HTML, flattened by the writers
as the compilations' replies are: bold, lists and tables kept), each followed by the call marks
of the evidence it cites, the chapter's recommendations (number, urgency, addressees) and the
chapter's notes ("[1] See the reply of France to question 16.2."; children's words cited are
printed in their note: "[2] Views of children consulted by … in France (workshop, March 2026):
“…”", never with the contribution's counts or consent details). python-docx writes no
footnotes, so both formats print the notes at the end of each chapter, numbered from 1 in each.
Until the report is adopted every page says so: a "DRAFT" header line in DOCX, a diagonal
watermark in PDF.

Everything is read through `access.scoped` as the requesting user: a report in preparation
exists only for the Secretariat and the Committee (recommendations/access.py), so nobody else can
print one. `report_document` runs a fixed number of queries whatever the report's size.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Prefetch
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from monitoring.compilation.blocks import Block, Kind
from monitoring.compilation.render import write_docx, write_pdf
from monitoring.models import ChildQuote, Question, refs_as_written
from secretariat import access
from secretariat.models import Party, User, localized

from .factsheets import ALL_PARTIES, CONTENTS, SECTION_RECOMMENDATIONS, URGENCY_INTRODUCTION
from .models import (
    URGENCY_DEFINITIONS,
    Chapter,
    Finding,
    FindingCitation,
    ImplementationReport,
    Recommendation,
    Urgency,
)

LANGUAGES = ("en", "fr")
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

COMMITTEE = gettext_lazy(
    "Committee of the Parties to the Council of Europe Convention on the Protection of Children "
    "against Sexual Exploitation and Sexual Abuse (Lanzarote Committee)"
)
DRAFT_REPORT = gettext_lazy("Draft report")
WATERMARK = gettext_lazy("DRAFT")
URGENCY_HEADING = gettext_lazy("Levels of urgency of the recommendations")
TAKES_UP = gettext_lazy("Takes up recommendation %(number)s (%(report)s).")
NOTES = gettext_lazy("Notes")


@dataclass(frozen=True)
class ReportDocument:
    """What the writers print, in the language it was built in."""

    report: ImplementationReport
    language: str
    blocks: list[Block]

    @property
    def is_draft(self) -> bool:
        return not self.report.is_adopted


def report_document(*, report_id: int, user: User, language: str) -> ReportDocument:
    """The report as blocks, read in `user`'s scope (ImplementationReport.DoesNotExist for a
    report the user may not see: a draft for anyone but the Secretariat and the Committee)."""
    if language not in LANGUAGES:
        raise ValueError(f"No report document in {language!r}.")
    report = access.scoped(ImplementationReport, user).select_related("round").get(pk=report_id)
    chapters = list(access.scoped(Chapter, user).filter(report=report).order_by("order", "number", "pk"))
    findings = (
        access.scoped(Finding, user)
        .filter(chapter__report=report)
        .only("chapter_id", "order", "text_html_en", "text_html_fr")
        .order_by("chapter_id", "order", "pk")
    )
    questions = Prefetch("reply__questions", queryset=Question.objects.only("ref", "order").order_by("order"))
    citations = (
        access.scoped(FindingCitation, user)
        .filter(finding__chapter__report=report)
        .select_related(
            "party",
            "reply__submission__organisation",
            "document",
            "recommendation__report",
            "child_quote__contribution__organisation",
            "child_quote__contribution__party",
        )
        .defer("reply__text", "reply__text_html", "reply__text_excerpt")
        .prefetch_related(questions)
        .order_by("finding_id", "order", "pk")
    )
    recommendations = (
        access.scoped(Recommendation, user)
        .filter(report=report)
        .select_related("rests_on__report__round")
        .prefetch_related("addressees")
        .order_by("order", "pk")
    )
    with translation.override(language):
        blocks = _blocks(report, chapters, list(findings), list(citations), list(recommendations))
    return ReportDocument(report=report, language=language, blocks=blocks)


def write_report(document: ReportDocument, format: str, output: BinaryIO) -> None:
    """Write `document` as `format` (docx, pdf) to `output`; a draft's pages say so."""
    title = document.report.reference
    with translation.override(document.language):
        mark = str(WATERMARK) if document.is_draft else ""
    if format == "docx":
        write_docx(document.blocks, output, title=title, header=mark)
    elif format == "pdf":
        write_pdf(document.blocks, output, title=title, watermark=mark)
    else:
        raise ValueError(f"No report document as {format!r}.")


def render_report(document: ReportDocument, format: str) -> bytes:
    output = io.BytesIO()
    write_report(document, format, output)
    return output.getvalue()


def file_name(document: ReportDocument, format: str) -> str:
    """'T-ES(2022)11_en.pdf', '…_draft_fr.docx': the reference with anything unsafe replaced."""
    stem = re.sub(r"[^A-Za-z0-9().-]+", "_", document.report.reference).strip("_") or "report"
    draft = "_draft" if document.is_draft else ""
    return f"{stem}{draft}_{document.language}.{format}"


# --- the blocks -----------------------------------------------------------------------------------


def _blocks(
    report: ImplementationReport,
    chapters: list[Chapter],
    findings: list[Finding],
    citations: list[FindingCitation],
    recommendations: list[Recommendation],
) -> list[Block]:
    findings_of: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        findings_of[finding.chapter_id].append(finding)
    citations_of: dict[int, list[FindingCitation]] = defaultdict(list)
    for citation in citations:
        citations_of[citation.finding_id].append(citation)
    recommendations_of: dict[int, list[Recommendation]] = defaultdict(list)
    for recommendation in recommendations:
        recommendations_of[recommendation.chapter_id].append(recommendation)

    blocks = _title_page(report)
    blocks += [Block(Kind.PAGE_BREAK), Block(Kind.HEADING, str(CONTENTS), level=1)]
    blocks.append(Block(Kind.LIST_ITEM, str(URGENCY_HEADING)))
    blocks += [Block(Kind.LIST_ITEM, _chapter_heading(chapter)) for chapter in chapters]
    blocks += _urgency_blocks()
    for chapter in chapters:
        blocks += [Block(Kind.PAGE_BREAK), Block(Kind.HEADING, _chapter_heading(chapter), level=1)]
        notes: list[str] = []
        for finding in findings_of[chapter.pk]:
            marks = []
            for citation in citations_of[finding.pk]:
                notes.append(citation_note(citation))
                marks.append(len(notes))
            if html := _with_call_marks(localized(finding, "text_html"), marks):
                blocks.append(Block(Kind.HTML, html))
        blocks += _recommendation_blocks(recommendations_of[chapter.pk])
        if notes:
            blocks.append(Block(Kind.HEADING, str(NOTES), level=3))
            blocks += [Block(Kind.TEXT, f"[{number}] {note}") for number, note in enumerate(notes, 1)]
    return blocks


def _title_page(report: ImplementationReport) -> list[Block]:
    if report.is_adopted and report.adoption_date:
        status = _("Adopted by the Lanzarote Committee on %(date)s") % {
            "date": formats.date_format(report.adoption_date, "DATE_FORMAT")
        }
    elif report.is_adopted:
        status = ""
    else:
        status = str(DRAFT_REPORT)
    blocks = [Block(Kind.REFERENCE, report.reference)]
    if status:
        blocks.append(Block(Kind.REFERENCE, status, level=1))
    blocks += [
        Block(Kind.SUBTITLE, str(COMMITTEE)),
        Block(Kind.SUBTITLE, localized(report.round, "title")),
        Block(Kind.TITLE, localized(report, "title")),
    ]
    if status:
        blocks.append(Block(Kind.SUBTITLE, status))
    return blocks


def _chapter_heading(chapter: Chapter) -> str:
    return f"{chapter.number.rstrip('.')}. {localized(chapter, 'title')}"


def _urgency_blocks() -> list[Block]:
    blocks = [Block(Kind.HEADING, str(URGENCY_HEADING), level=1), Block(Kind.TEXT, str(URGENCY_INTRODUCTION))]
    blocks += [
        Block(
            Kind.LIST_ITEM,
            _("“%(term)s”: %(definition)s")
            % {"term": urgency.label, "definition": URGENCY_DEFINITIONS[urgency]},
        )
        for urgency in Urgency
    ]
    return blocks


def _recommendation_blocks(recommendations: list[Recommendation]) -> list[Block]:
    if not recommendations:
        return []
    blocks = [Block(Kind.HEADING, str(SECTION_RECOMMENDATIONS), level=2)]
    for recommendation in recommendations:
        heading = _("%(reference)s (%(urgency)s)") % {
            "reference": _("Recommendation %(number)s") % {"number": recommendation.number},
            "urgency": recommendation.get_urgency_display(),
        }
        blocks.append(Block(Kind.HEADING, heading, level=3))
        if html := localized(recommendation, "text_html"):
            blocks.append(Block(Kind.HTML, html))
        if recommendation.addressed_to_all:
            addressees = str(ALL_PARTIES)
        else:
            addressees = ", ".join(
                sorted(localized(party, "name") for party in recommendation.addressees.all())
            )
        blocks.append(
            Block(Kind.TEXT, _("Addressed to: %(addressees)s") % {"addressees": addressees or "—"}, level=1)
        )
        if earlier := recommendation.rests_on:
            # Continuity across rounds: the recommendation takes up an earlier round's.
            blocks.append(
                Block(
                    Kind.TEXT,
                    str(TAKES_UP % {"number": earlier.number, "report": earlier.report.title}),
                    level=1,
                )
            )
    return blocks


def _with_call_marks(html: str, marks: list[int]) -> str:
    """The finding's HTML with the call marks of its notes at the end of its last paragraph."""
    if not marks:
        return html if html.strip() else ""
    calls = " ".join(f"[{mark}]" for mark in marks)
    if html.rstrip().endswith("</p>"):
        html = html.rstrip()
        return f"{html[: -len('</p>')]} {calls}</p>"
    return f"{html}<p>{calls}</p>"


# --- the notes ------------------------------------------------------------------------------------


#: What a citation cites, by the field that holds it (the API's `kind`).
CITATION_KINDS = ("reply", "document", "recommendation", "child_quote")


def citation_kind(citation: FindingCitation) -> str:
    """ "reply", "document", "recommendation" or "child_quote": the one thing `citation` cites."""
    return next(kind for kind in CITATION_KINDS if getattr(citation, f"{kind}_id") is not None)


def citation_note(citation: FindingCitation) -> str:
    """What a note says of the evidence cited, in the active language ("See the reply of France to
    question 16.2.")."""
    if citation.reply_id is not None:
        reply = citation.reply
        refs = reply.refs
        organisation = reply.submission.organisation
        if organisation is not None:
            values = {"organisation": organisation.name, "party": localized(citation.party, "name")}
            if not refs:
                return _("See the comment of %(organisation)s (%(party)s).") % values
            return ngettext(
                "See the comment of %(organisation)s on question %(refs)s (%(party)s).",
                "See the comment of %(organisation)s on questions %(refs)s (%(party)s).",
                len(refs),
            ) % {**values, "refs": refs_as_written(refs)}
        if not refs:
            return _("See the reply %(of_party)s.") % {"of_party": of_party(citation.party)}
        return ngettext(
            "See the reply %(of_party)s to question %(refs)s.",
            "See the reply %(of_party)s to questions %(refs)s.",
            len(refs),
        ) % {"of_party": of_party(citation.party), "refs": refs_as_written(refs)}
    if citation.child_quote_id is not None:
        return child_quote_note(citation.child_quote)
    if citation.document_id is not None:
        document = citation.document
        return _("See %(title)s (%(reference)s).") % {
            "title": document.title,
            "reference": document.reference,
        }
    recommendation = citation.recommendation
    return _("See recommendation %(number)s of report %(reference)s.") % {
        "number": recommendation.number,
        "reference": recommendation.report.reference,
    }


def child_quote_label(quote: ChildQuote) -> str:
    """Who heard the children, where, how and when, in the active language: "Views of children
    consulted by Children's Voices in France (workshop, March 2026)"; nothing that counts or
    describes the children themselves."""
    contribution = quote.contribution
    return _("Views of children consulted by %(organisation)s in %(party)s (%(method)s, %(date)s)") % {
        "organisation": localized_name(contribution.organisation),
        "party": localized(contribution.party, "name"),
        "method": str(contribution.get_method_display()).lower(),
        "date": formats.date_format(contribution.started_on, "YEAR_MONTH_FORMAT"),
    }


def child_quote_note(quote: ChildQuote) -> str:
    """The note of a quote cited: its label, then the children's words."""
    return _("%(label)s: “%(quote)s”") % {
        "label": child_quote_label(quote),
        "quote": " ".join(quote.text.split()),
    }


def localized_name(organisation) -> str:
    """An organisation's French name in French when it has one."""
    french = (translation.get_language() or "en").startswith("fr")
    return (organisation.name_fr if french else "") or organisation.name


# The Parties' names that take an article ("the reply of the Netherlands", "de la France"):
# English names a few with "the"; French names most with an article, whose form depends on the
# name's gender, number and first letter. Parties not listed take the common form.
_ENGLISH_WITH_THE = {"CZE", "GBR", "MDA", "NLD", "RUS", "SVK"}
_FRENCH_OF = {
    # masculine: "du"
    **dict.fromkeys(("DNK", "LIE", "LUX", "MNE", "PRT", "GBR"), "du "),
    # no article (city-States, islands): "de", "d'" before a vowel
    **dict.fromkeys(("CYP", "MCO", "MLT", "SMR"), "de "),
    "AND": "d’",
    "NLD": "des ",
}
_VOWELS = set("AEIOUYÂÀÉÈÊÎÏÔÖÛÜ")


def of_party(party: Party) -> str:
    """'of France', 'of the Netherlands'; in French 'de la France', 'de l’Italie', 'du Portugal'."""
    name = localized(party, "name")
    if (translation.get_language() or "en").startswith("fr"):
        prefix = _FRENCH_OF.get(party.code)
        if prefix is None:
            prefix = "de l’" if name[:1].upper() in _VOWELS else "de la "
        return f"{prefix}{name}"
    return f"of the {name}" if party.code in _ENGLISH_WITH_THE else f"of {name}"
