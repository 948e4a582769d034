"""Compilations and registered submissions printed as HTML, DOCX and PDF.

HTML goes through a template (reply text through the sanitising Markdown filter); DOCX and PDF
are written from blocks (see blocks.py) by one writer each, with no system library: python-docx,
and reportlab with the Bitstream Vera fonts it ships (Latin accents, typographic quotes, dashes).
"""

import functools
import io
import unicodedata
from xml.sax.saxutils import escape

import docx
from django.template.loader import render_to_string
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Cm, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from secretariat import printing

from . import selectors
from .blocks import Block, Kind, compilation_blocks, markdown_pieces, submission_blocks
from .selectors import Compilation, SubmissionDocument


def render_html(compilation: Compilation) -> str:
    """A standalone, printable HTML document (inline CSS, no script, reply text sanitised)."""
    labels = {
        "state_replies": selectors.STATE_REPLIES,
        "contents": selectors.CONTENTS,
        "draft_preview": selectors.DRAFT_PREVIEW,
        "confidential": selectors.CONFIDENTIAL,
        "convention": selectors.CONVENTION,
        "revision": selectors.REVISION,
        "no_replies": selectors.NO_REPLIES,
    }
    return render_to_string("compilation/compilation.html", {"compilation": compilation, "labels": labels})


def render_docx(compilation: Compilation) -> bytes:
    return docx_from_blocks(compilation_blocks(compilation), title=compilation.reference)


def render_pdf(compilation: Compilation) -> bytes:
    return pdf_from_blocks(compilation_blocks(compilation), title=compilation.reference)


def render_submission_pdf(document: SubmissionDocument) -> bytes:
    return pdf_from_blocks(submission_blocks(document), title=document.reference or document.party)


# --- DOCX --------------------------------------------------------------------------------------

# XML 1.0 refuses these; replies pasted from other tools sometimes carry them.
_clean = printing.clean  # the control characters DOCX and PDF refuse


def docx_from_blocks(blocks: list[Block], *, title: str = "") -> bytes:
    """A Word document: headings, paragraphs and bullets, one after the other."""
    document = docx.Document()
    document.core_properties.title = _clean(title)
    writer = _DocxWriter(document)
    for block in blocks:
        _add_docx_block(writer, block)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class _DocxWriter:
    """Appends paragraphs in constant time.

    python-docx's add_paragraph rescans the whole body for its section properties, and
    setting a style by name scans every style: both quadratic on a whole-round compilation
    (30,000 paragraphs took 32 s). Here the insertion point and the style ids are found once.
    """

    def __init__(self, document) -> None:
        self.document = document
        self._body = document.element.body
        self._section_properties = self._body.sectPr
        self._style_ids: dict[str, str] = {}

    def paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph:
        element = OxmlElement("w:p")
        if self._section_properties is not None:
            self._section_properties.addprevious(element)
        else:
            self._body.append(element)
        if style:
            element.style = self._style_id(style)
        paragraph = DocxParagraph(element, self.document._body)
        if text:
            paragraph.add_run(text)
        return paragraph

    def heading(self, text: str, level: int) -> DocxParagraph:
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def page_break(self) -> None:
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]


def _add_docx_block(writer: _DocxWriter, block: Block) -> None:
    text = _clean(block.text)
    match block.kind:
        case Kind.BANNER:
            run = writer.paragraph().add_run(text)
            run.bold = True
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        case Kind.REFERENCE:
            writer.paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        case Kind.TITLE:
            writer.heading(text, level=0)
        case Kind.SUBTITLE:
            writer.paragraph(text, style="Subtitle")
        case Kind.HEADING:
            writer.heading(text, level=min(max(block.level, 1), 9))
        case Kind.TEXT:
            paragraph = writer.paragraph(text)
            paragraph.paragraph_format.left_indent = Cm(0.75 * block.level)
        case Kind.LIST_ITEM:
            writer.paragraph(text, style="List Bullet")
        case Kind.MARKDOWN:
            for piece in markdown_pieces(block.text):
                _add_docx_piece(writer, piece.kind, _clean(piece.text), piece.depth)
        case Kind.PAGE_BREAK:
            writer.page_break()


def _add_docx_piece(writer: _DocxWriter, kind: str, text: str, depth: int) -> None:
    if kind == "bullet":
        style = "List Bullet" if depth <= 1 else f"List Bullet {min(depth, 3)}"
        writer.paragraph(text, style=style)
    elif kind == "heading":
        writer.paragraph().add_run(text).bold = True
    else:
        writer.paragraph(text)


# --- PDF ---------------------------------------------------------------------------------------

# Characters replies use that Vera lacks, printed as readable stand-ins rather than empty boxes.
_STAND_INS = {"→": "->", "←": "<-", "№": "No.", "₽": "RUB", "✓": "v", "\u200b": ""}


def _printable(text: str) -> str:
    """The text with characters the font lacks replaced where a readable stand-in exists."""
    known = printing.vera()
    characters = []
    for character in _clean(text):
        if ord(character) in known or character in "\n\t":
            characters.append(character)
        elif character in _STAND_INS:
            characters.append(_STAND_INS[character])
        else:
            ascii_form = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode()
            characters.append(ascii_form or character)
    return "".join(characters)


def _markup(text: str) -> str:
    """Plain text as reportlab paragraph markup."""
    return escape(_printable(text)).replace("\n", "<br/>")


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    printing.vera()
    body = ParagraphStyle("body", fontName="Vera", fontSize=10, leading=13.5, spaceAfter=5)
    bold = ParagraphStyle("bold", parent=body, fontName="Vera-Bold")
    return {
        "body": body,
        "bold": bold,
        "banner": ParagraphStyle(
            "banner", parent=bold, textColor=colors.HexColor("#b00020"), alignment=TA_CENTER, fontSize=12
        ),
        "reference": ParagraphStyle("reference", parent=bold, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "title", parent=bold, fontSize=16, leading=20, alignment=TA_CENTER, spaceAfter=8
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=12, leading=16, alignment=TA_CENTER),
        "heading1": ParagraphStyle(
            "heading1", parent=bold, fontSize=14, leading=18, spaceBefore=10, spaceAfter=8
        ),
        "heading2": ParagraphStyle(
            "heading2", parent=bold, fontSize=12, leading=16, spaceBefore=10, spaceAfter=6
        ),
        "heading3": ParagraphStyle("heading3", parent=bold, fontSize=11, leading=14, spaceBefore=8),
        "heading4": ParagraphStyle(
            "heading4", parent=bold, fontSize=10, spaceBefore=6, textColor=colors.HexColor("#333")
        ),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=2),
    }


def pdf_from_blocks(blocks: list[Block], *, title: str = "") -> bytes:
    """An A4 PDF of the blocks, the reference and page number on every page."""
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        title=_printable(title),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    flowables: list[Flowable] = []
    for block in blocks:
        flowables += _pdf_flowables(block)
    header = _printable(title)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Vera", 8)
        canvas.drawRightString(A4[0] - 2 * cm, A4[1] - 1.2 * cm, header)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(doc.page))
        canvas.restoreState()

    document.build(flowables or [Spacer(1, 1)], onFirstPage=decorate, onLaterPages=decorate)
    return output.getvalue()


def _pdf_flowables(block: Block) -> list[Flowable]:
    styles = _styles()
    match block.kind:
        case Kind.PAGE_BREAK:
            return [PageBreak()]
        case Kind.MARKDOWN:
            return [_pdf_piece(piece.kind, piece.text, piece.depth) for piece in markdown_pieces(block.text)]
        case Kind.LIST_ITEM:
            return [Paragraph(_markup(block.text), styles["bullet"], bulletText="•")]
        case Kind.HEADING:
            return [Paragraph(_markup(block.text), styles[f"heading{min(max(block.level, 1), 4)}"])]
        case Kind.TEXT:
            style = ParagraphStyle("indented", parent=styles["body"], leftIndent=0.75 * cm * block.level)
            return [Paragraph(_markup(block.text), style)]
        case _:
            return [Paragraph(_markup(block.text), styles[str(block.kind)])]


def _pdf_piece(kind: str, text: str, depth: int) -> Flowable:
    styles = _styles()
    if kind == "bullet":
        indent = 0.6 * cm * depth
        style = ParagraphStyle(
            "nested", parent=styles["bullet"], leftIndent=indent, bulletIndent=indent - 0.4 * cm
        )
        return Paragraph(_markup(text), style, bulletText="•")
    if kind == "heading":
        return Paragraph(_markup(text), styles["bold"])
    return Paragraph(_markup(text), styles["body"])
