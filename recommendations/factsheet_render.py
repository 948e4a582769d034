"""A factsheet printed as HTML (a template), DOCX and PDF (the compilation writers, from blocks).

The DOCX and PDF writers of monitoring.compilation print a flat list of blocks; the factsheet
becomes such a list here, so one writer of each kind serves compilations and factsheets alike.
Texts are the stored, sanitised HTML of the factsheet's records (secretariat/rendering.py), in
HTML blocks the writers flatten (`html_pieces`): nothing is converted from Markdown here.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from monitoring.compilation.blocks import Block, Kind
from monitoring.compilation.render import docx_from_blocks, pdf_from_blocks

from . import factsheets
from .factsheets import FactsheetDocument, SectionEntry

LABELS = {
    "findings_on": factsheets.FINDINGS_ON,
    "contents": factsheets.CONTENTS,
    "introduction": factsheets.INTRODUCTION,
    "urgency_introduction": factsheets.URGENCY_INTRODUCTION,
    "section_recommendations": factsheets.SECTION_RECOMMENDATIONS,
    "practices": factsheets.PRACTICES,
    "no_practices": factsheets.NO_PRACTICES,
    "all_recommendations": factsheets.ALL_RECOMMENDATIONS,
    "no_recommendations": factsheets.NO_RECOMMENDATIONS,
    "source": factsheets.SOURCE,
    "addressed_to": factsheets.ADDRESSED_TO,
    "articles": factsheets.ARTICLES,
}


def render_html(document: FactsheetDocument, request: HttpRequest | None = None) -> str:
    """A standalone, printable HTML page (inline CSS, no script, every text sanitised).

    Served as a page (with the `request`), its <style> carries the response's CSP nonce.
    """
    context = {"document": document, "labels": LABELS}
    return render_to_string("factsheet/factsheet.html", context, request=request)


def render_docx(document: FactsheetDocument) -> bytes:
    return docx_from_blocks(factsheet_blocks(document), title=document.title)


def render_pdf(document: FactsheetDocument) -> bytes:
    return pdf_from_blocks(factsheet_blocks(document), title=document.title)


RENDERERS: dict[str, Callable[[FactsheetDocument], bytes]] = {
    "html": lambda document: render_html(document).encode(),
    "docx": render_docx,
    "pdf": render_pdf,
}


def factsheet_blocks(document: FactsheetDocument) -> list[Block]:
    """The factsheet as the blocks the DOCX and PDF writers print, in the order of the HTML page."""
    blocks = [Block(Kind.TITLE, document.title)]
    if document.findings_on:
        blocks += [
            Block(Kind.SUBTITLE, str(factsheets.FINDINGS_ON)),
            Block(Kind.SUBTITLE, document.findings_on),
        ]
    blocks.append(Block(Kind.HEADING, str(factsheets.CONTENTS), level=1))
    blocks += [Block(Kind.LIST_ITEM, _numbered(entry.number, entry.title)) for entry in document.contents]
    blocks += [Block(Kind.PAGE_BREAK), *_introduction_blocks(document)]
    if document.article_heading:
        heading = _numbered(document.article_number, document.article_heading)
        blocks.append(Block(Kind.HEADING, heading, level=1))
        blocks += _html(document.article_text_html)
    for section in document.sections:
        blocks += _section_blocks(section)
    return blocks + _practice_blocks(document) + _recommendation_blocks(document)


def _numbered(number: str, title: str) -> str:
    return f"{number}. {title}" if number else title


def _html(html: str) -> list[Block]:
    return [Block(Kind.HTML, html)] if html.strip() else []


def _with_call_mark(html: str, number: int) -> str:
    """The recommendation's HTML with the footnote's call mark at the end of its last paragraph."""
    if html.endswith("</p>"):
        return f"{html[: -len('</p>')]} [{number}]</p>"
    return f"{html}<p>[{number}]</p>"


def _introduction_blocks(document: FactsheetDocument) -> list[Block]:
    blocks = [Block(Kind.HEADING, _numbered("I", str(factsheets.INTRODUCTION)), level=1)]
    blocks += _html(document.introduction_html)
    blocks.append(Block(Kind.TEXT, str(factsheets.URGENCY_INTRODUCTION)))
    blocks += [Block(Kind.LIST_ITEM, f"“{term.label}”: {term.definition}") for term in document.urgencies]
    return blocks


def _section_blocks(section: SectionEntry) -> list[Block]:
    blocks = [Block(Kind.HEADING, _numbered(section.number, section.heading), level=1)]
    blocks += _html(section.text_html)
    if not section.footnotes:
        return blocks
    blocks.append(Block(Kind.HEADING, str(factsheets.SECTION_RECOMMENDATIONS), level=3))
    for note in section.footnotes:
        # Block has no footnote kind: the call mark follows the text, the notes close the section.
        blocks += _html(_with_call_mark(note.recommendation.text_html, note.number))
    blocks += [
        Block(Kind.TEXT, f"[{note.number}] {note.recommendation.reference}.") for note in section.footnotes
    ]
    return blocks


def _practice_blocks(document: FactsheetDocument) -> list[Block]:
    blocks = [Block(Kind.PAGE_BREAK), Block(Kind.HEADING, str(factsheets.PRACTICES), level=1)]
    if not document.practices:
        blocks.append(Block(Kind.TEXT, str(factsheets.NO_PRACTICES)))
    for group in document.practices:
        blocks.append(Block(Kind.HEADING, group.country, level=2))
        for practice in group.practices:
            blocks.append(Block(Kind.HEADING, practice.title, level=3))
            if practice.states:
                blocks.append(Block(Kind.TEXT, practice.states, level=1))
            blocks += _html(practice.text_html)
            if practice.source:
                blocks.append(Block(Kind.TEXT, f"{factsheets.SOURCE}: {practice.source}", level=1))
    return blocks


def _recommendation_blocks(document: FactsheetDocument) -> list[Block]:
    blocks = [Block(Kind.PAGE_BREAK), Block(Kind.HEADING, str(factsheets.ALL_RECOMMENDATIONS), level=1)]
    if not document.recommendations:
        blocks.append(Block(Kind.TEXT, str(factsheets.NO_RECOMMENDATIONS)))
    for recommendation in document.recommendations:
        heading = _("%(reference)s (%(urgency)s)") % {
            "reference": recommendation.reference,
            "urgency": recommendation.urgency_label,
        }
        blocks.append(Block(Kind.HEADING, heading, level=3))
        blocks += _html(recommendation.text_html)
        details = f"{factsheets.ADDRESSED_TO}: {recommendation.addressees}"
        if recommendation.articles:
            details += f" · {factsheets.ARTICLES}: {recommendation.articles}"
        blocks.append(Block(Kind.TEXT, details, level=1))
    return blocks
