"""Compilations and registered submissions printed as HTML, DOCX and PDF.

HTML goes through a template (each reply's stored, sanitised HTML); DOCX and PDF are written
from blocks (see blocks.py) by one writer each, with no system library: python-docx, and
reportlab with the DejaVu Sans fonts the project ships (secretariat/printing.py: every alphabet
of the Parties). Stored HTML becomes pieces (blocks.html_pieces): paragraphs and list items with
their bold and italic runs, numbered and nested lists, tables; the three formats print the same
title block, headings, lists, tables and attachments.
"""

import bisect
import functools
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape

import docx
from django.template.loader import get_template, render_to_string
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from secretariat import printing
from secretariat.documents import Progress

from . import selectors
from .blocks import BOLD, ITALIC, Block, Kind, Piece, Run, block_pieces, compilation_blocks, submission_blocks
from .selectors import Compilation, SubmissionDocument


def render_html(compilation: Compilation) -> str:
    """A standalone, printable HTML document (inline CSS, no script, reply text sanitised)."""
    return "".join(stream_html(compilation))


def stream_html(compilation: Compilation) -> Iterator[str]:
    """The HTML document in pieces, one question at a time, for a streaming response or a file.

    Each reply prints its stored HTML (sanitised when it was written): nothing is converted here.
    """
    labels = {
        "state_replies": selectors.STATE_REPLIES,
        "contents": selectors.CONTENTS,
        "draft_preview": selectors.DRAFT_PREVIEW,
        "confidential": selectors.CONFIDENTIAL,
        "convention": selectors.CONVENTION,
        "convention_name": selectors.CONVENTION_NAME,
        "revision": selectors.REVISION,
        "no_replies": selectors.NO_REPLIES,
        "attachments": selectors.ATTACHMENTS,
        "children_views": selectors.CHILDREN_VIEWS,
        "children_note": selectors.CHILDREN_NOTE,
        "children_consulted": selectors.CHILDREN_CONSULTED,
        "children_quotes": selectors.CHILDREN_QUOTES,
        "fewer_than": selectors.FEWER_THAN,
        "total": selectors.TOTAL,
    }
    context = {"compilation": compilation, "labels": labels}
    yield render_to_string("compilation/compilation.html", context)
    question_template = get_template("compilation/question.html")
    for question in compilation.questions:
        yield question_template.render({**context, "question": question})
    yield "</body>\n</html>\n"


def render_docx(compilation: Compilation) -> bytes:
    return docx_from_blocks(compilation_blocks(compilation), title=compilation.reference)


def render_pdf(compilation: Compilation) -> bytes:
    return pdf_from_blocks(compilation_blocks(compilation), title=compilation.reference)


def write_compilation(
    compilation: Compilation, format: str, output: BinaryIO, progress: Progress | None = None
) -> None:
    """Write the compilation as `format` (html, docx, pdf) to `output` as it goes, calling
    `progress(questions done, questions)`: the command's file, the worker's document."""
    total = len(compilation.questions)
    report = progress or (lambda done, total: None)
    if format == "html":
        for index, piece in enumerate(stream_html(compilation)):
            output.write(piece.encode())
            report(min(index, total), total)  # the head first, then one question a piece
        return
    blocks = compilation_blocks(compilation)
    if format == "docx":
        write_docx(_reporting(blocks, report), output, title=compilation.reference)
    else:
        write_pdf(blocks, output, title=compilation.reference, progress=report)
    report(total, total)


def _reporting(blocks: list[Block], progress: Progress) -> Iterator[Block]:
    """The blocks, reporting a part done at each page break but the first (each question of a
    compilation opens with one) as the writer takes them."""
    total = sum(block.kind == Kind.PAGE_BREAK for block in blocks)
    done = -1
    for block in blocks:
        if block.kind == Kind.PAGE_BREAK:
            done += 1
            if done:
                progress(done, total)
        yield block


def render_submission_pdf(document: SubmissionDocument) -> bytes:
    return pdf_from_blocks(submission_blocks(document), title=document.reference or document.party)


# --- DOCX --------------------------------------------------------------------------------------

# XML 1.0 refuses these; replies pasted from other tools sometimes carry them.
_clean = printing.clean  # the control characters DOCX and PDF refuse
_LINE_BREAKS = re.compile(r"\r\n|[\r\n]")
_DOCX_STYLES = (
    "Title",
    "Subtitle",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Paragraph",
    "Table Grid",
    *(f"Heading {level}" for level in range(1, 10)),
)


# zlib's fast level for the body: a round's 17 MB of WordprocessingML compressed in 50 ms instead of
# 140 ms at the default level, for a file a third larger (1.7 MB instead of 1.3 MB).
_DOCX_BODY_COMPRESSION = 3


def docx_from_blocks(blocks: Iterable[Block], *, title: str = "", header: str = "") -> bytes:
    """A Word document: headings, paragraphs and bullets, one after the other."""
    output = io.BytesIO()
    write_docx(blocks, output, title=title, header=header)
    return output.getvalue()


def write_docx(blocks: Iterable[Block], output: BinaryIO, *, title: str = "", header: str = "") -> None:
    """Write the Word document of `blocks` to `output`, block by block (`header`: a line at the
    top of every page, bold and red, such as a draft's "DRAFT").

    python-docx gives the package (styles, numbering of the bullet styles, section properties);
    the body's paragraphs are written as WordprocessingML strings straight into
    word/document.xml, since python-docx sets a run's text one character at a time (25 s of a
    whole round's 66 s) and keeps every element in memory.
    """
    document = docx.Document(io.BytesIO(_docx_template()))
    document.core_properties.title = _clean(title)
    if header:
        line = document.sections[0].header.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = line.add_run(_clean(header))
        run.bold, run.font.color.rgb = True, RGBColor(0xB0, 0x00, 0x20)
    template = io.BytesIO()
    document.save(template)
    style_ids = _docx_style_ids()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
                continue
            xml = source.read(item).decode()
            body_end = xml.index("<w:sectPr")  # the blank document's body holds its section only
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.compress_level = _DOCX_BODY_COMPRESSION
            with target.open(info, "w") as stream:
                stream.write(xml[:body_end].encode())
                for block in blocks:
                    stream.write(_docx_block(block, style_ids).encode())
                stream.write(xml[body_end:].encode())


# The house style's sizes (points), as the PDF prints them.
_DOCX_SIZES = {"Normal": 10, "Title": 16, "Subtitle": 12, "Heading 1": 14, "Heading 2": 12, "Heading 3": 11}


@functools.cache
def _docx_template() -> bytes:
    """python-docx's blank document in the house style, once: A4 with margins of 2 cm, Verdana
    (DejaVu Sans where it is missing: see secretariat/printing.py), headings and titles black and
    bold in the PDF's sizes rather than Word's blue ones."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    styles = document.styles
    for name in (*_DOCX_SIZES, "Heading 4"):
        font = styles[name].font
        font.name = printing.DOCX_FONT
        font.color.rgb = RGBColor(0, 0, 0)
        font.size = Pt(_DOCX_SIZES.get(name, 10))
        if name != "Normal":
            font.bold = name != "Subtitle"
            font.italic = False
        fonts = styles[name].element.rPr.rFonts
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:cs"), printing.DOCX_FONT)
    for name in ("Title", "Subtitle"):  # centred, as the PDF's title block
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = styles["Title"].element.pPr
    for border in title.findall(qn("w:pBdr")):  # Word's blue rule under the title
        title.remove(border)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@functools.cache
def _docx_style_ids() -> dict[str, str]:
    styles = docx.Document(io.BytesIO(_docx_template())).styles
    return {name: styles[name].style_id for name in _DOCX_STYLES}


def _docx_run(text: str, properties: str = "") -> str:
    """A run as python-docx writes one: a tab as <w:tab/>, a line break as <w:br/>."""
    if "\n" not in text and "\r" not in text and "\t" not in text:  # most paragraphs: one <w:t>
        return f'<w:r>{properties}<w:t xml:space="preserve">{_escape(text)}</w:t></w:r>'
    parts = []
    for number, line in enumerate(_LINE_BREAKS.split(text)):
        if number:
            parts.append("<w:br/>")
        for index, chunk in enumerate(line.split("\t")):
            if index:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{_escape(chunk)}</w:t>')
    return f"<w:r>{properties}{''.join(parts)}</w:r>"


def _escape(text: str) -> str:
    """`xml.sax.saxutils.escape` without its extra entities' loop (a round has 70,000 paragraphs)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _docx_paragraph(
    text: str, *, style: str = "", indent: int = 0, align: str = "", bold: bool = False
) -> str:
    properties = ""
    if style:
        properties += f'<w:pStyle w:val="{style}"/>'
    if indent:
        properties += f'<w:ind w:left="{indent}"/>'
    if align:
        properties += f'<w:jc w:val="{align}"/>'
    properties = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    run = _docx_run(text, "<w:rPr><w:b/></w:rPr>" if bold else "") if text else ""
    return f"<w:p>{properties}{run}</w:p>"


def _docx_block(block: Block, styles: dict[str, str]) -> str:
    if block.kind in (Kind.MARKDOWN, Kind.HTML):  # each piece is cleaned, not the whole HTML
        return "".join(_docx_piece(piece, styles) for piece in block_pieces(block))
    text = _clean(block.text)
    match block.kind:
        case Kind.BANNER:
            run = _docx_run(text, '<w:rPr><w:b/><w:color w:val="B00020"/></w:rPr>')
            return f"<w:p>{run}</w:p>"
        case Kind.REFERENCE:
            return _docx_paragraph(text, align="right", bold=not block.level)
        case Kind.TITLE:
            return _docx_paragraph(text, style=styles["Title"])
        case Kind.SUBTITLE:
            return _docx_paragraph(text, style=styles["Subtitle"])
        case Kind.HEADING:
            return _docx_paragraph(text, style=styles[f"Heading {min(max(block.level, 1), 9)}"])
        case Kind.TEXT:
            return _docx_paragraph(text, indent=round(0.75 * 567 * block.level))  # 0.75 cm in twips
        case Kind.LIST_ITEM:
            return _docx_paragraph(text, style=styles["List Bullet"])
        case Kind.PAGE_BREAK:
            return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    return ""


_DOCX_RUN_PROPERTIES = {
    0: "",
    BOLD: "<w:rPr><w:b/></w:rPr>",
    ITALIC: "<w:rPr><w:i/></w:rPr>",
    BOLD | ITALIC: "<w:rPr><w:b/><w:i/></w:rPr>",
}
_DOCX_TEXT_WIDTH = 9638  # twips: A4's 21 cm less two margins of 2 cm


def _docx_runs(runs: Iterable[Run], bold: bool = False) -> str:
    """Runs with their bold and italic (`bold`: every run bold, a table's header)."""
    return "".join(
        _docx_run(_clean(text), _DOCX_RUN_PROPERTIES[flags | (BOLD if bold else 0)]) for text, flags in runs
    )


def _docx_piece(piece: Piece, styles: dict[str, str]) -> str:
    if piece.kind == "table":
        return _docx_table(piece, styles)
    text = _clean(piece.text)
    if piece.kind == "bullet" and piece.number == 0:
        name = "List Bullet" if piece.depth <= 1 else f"List Bullet {min(piece.depth, 3)}"
        properties = f'<w:pPr><w:pStyle w:val="{styles[name]}"/></w:pPr>'
    elif piece.kind == "bullet":
        # A numbered item prints its number, as the PDF does (a numbering of Word's own would
        # need a definition for each list to restart at 1); the text after a nested list none.
        left = 360 * (min(piece.depth, 3) + 1)
        properties = (
            f'<w:pPr><w:pStyle w:val="{styles["List Paragraph"]}"/>'
            f'<w:ind w:left="{left}" w:hanging="{360 if piece.number > 0 else 0}"/></w:pPr>'
        )
        if piece.number > 0:
            return f"<w:p>{properties}{_docx_run(f'{piece.number}.\t')}{_docx_piece_runs(piece, text)}</w:p>"
    else:
        properties = ""
    return f"<w:p>{properties}{_docx_piece_runs(piece, text)}</w:p>"


def _docx_piece_runs(piece: Piece, text: str) -> str:
    if piece.runs:
        return _docx_runs(piece.runs, bold=piece.kind == "heading")
    return _docx_run(text, _DOCX_RUN_PROPERTIES[BOLD] if piece.kind == "heading" else "") if text else ""


def _docx_table(piece: Piece, styles: dict[str, str]) -> str:
    """A table with a grid, each cell as wide as the others, its header rows bold and repeated
    on each page."""
    columns = max(len(row) for row in piece.rows)
    width = _DOCX_TEXT_WIDTH // columns
    grid = f'<w:gridCol w:w="{width}"/>' * columns
    rows = []
    for row in piece.rows:
        header = all(cell.header for cell in row)
        cells = [
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f"<w:p>{_docx_runs(cell.runs, bold=cell.header)}</w:p></w:tc>"
            for cell in row
        ]
        cells += [f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p/></w:tc>'] * (
            columns - len(row)
        )
        properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        rows.append(f"<w:tr>{properties}{''.join(cells)}</w:tr>")
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{styles["Table Grid"]}"/>'
        f'<w:tblW w:w="{width * columns}" w:type="dxa"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl><w:p/>"
    )


# --- PDF ---------------------------------------------------------------------------------------

# Page streams compressed only, not also written as ASCII85 text (a fifth of a round's PDF time,
# in reportlab's pure-Python encoder); every PDF reader takes binary streams.
rl_config.useA85 = 0

# Characters replies use that DejaVu Sans lacks, printed as readable stand-ins rather than empty boxes.
_STAND_INS = {"→": "->", "←": "<-", "№": "No.", "₽": "RUB", "✓": "v", "\u200b": ""}


def _printable(text: str) -> str:
    """The text with characters the font lacks replaced where a readable stand-in exists."""
    text = _clean(text)
    missing = set(text) - _printable_characters()  # a set difference, not a loop over every character
    if not missing:
        return text
    return text.translate({ord(character): _stand_in(character) for character in missing})


@functools.cache
def _printable_characters() -> frozenset[str]:
    return frozenset(map(chr, printing.fonts())) | {"\n", "\t"}


def _stand_in(character: str) -> str:
    if character in _STAND_INS:
        return _STAND_INS[character]
    return unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode() or character


def _markup(text: str) -> str:
    """Plain text as reportlab paragraph markup."""
    return escape(_printable(text)).replace("\n", "<br/>")


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    printing.fonts()
    body = ParagraphStyle("body", fontName=printing.REGULAR, fontSize=10, leading=13.5, spaceAfter=5)
    bold = ParagraphStyle("bold", parent=body, fontName=printing.BOLD)
    return {
        "body": body,
        "bold": bold,
        "banner": ParagraphStyle(
            "banner", parent=bold, textColor=colors.HexColor("#b00020"), alignment=TA_CENTER, fontSize=12
        ),
        "reference": ParagraphStyle("reference", parent=bold, alignment=TA_RIGHT),
        "revision": ParagraphStyle("revision", parent=body, fontSize=8.5, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "title", parent=bold, fontSize=16, leading=20, alignment=TA_CENTER, spaceAfter=8
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=12, leading=16, alignment=TA_CENTER),
        # headings are kept with what follows them, never alone at the foot of a page
        "heading1": ParagraphStyle(
            "heading1", parent=bold, fontSize=14, leading=18, spaceBefore=10, spaceAfter=8, keepWithNext=1
        ),
        "heading2": ParagraphStyle(
            "heading2", parent=bold, fontSize=12, leading=16, spaceBefore=10, spaceAfter=6, keepWithNext=1
        ),
        "heading3": ParagraphStyle(
            "heading3", parent=bold, fontSize=11, leading=14, spaceBefore=8, keepWithNext=1
        ),
        "heading4": ParagraphStyle(
            "heading4",
            parent=bold,
            fontSize=10,
            spaceBefore=6,
            textColor=colors.HexColor("#333"),
            keepWithNext=1,
        ),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
    }


def pdf_from_blocks(blocks: Iterable[Block], *, title: str = "", watermark: str = "") -> bytes:
    """An A4 PDF of the blocks, the reference and page number on every page."""
    output = io.BytesIO()
    write_pdf(blocks, output, title=title, watermark=watermark)
    return output.getvalue()


def write_pdf(
    blocks: Iterable[Block],
    output: BinaryIO,
    *,
    title: str = "",
    progress: Progress | None = None,
    watermark: str = "",
) -> None:
    """Write the PDF of `blocks` to `output`; `progress(parts done, parts)` is called as the layout
    reaches each page break but the first (the parts: a compilation's questions); `watermark`
    (a draft's "DRAFT") is printed across every page, under the text."""
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
    if progress:
        # A milestone where each part begins: the layout reaching it reports the part done.
        def milestone(done: int, total: int) -> None:
            flowables.append(_Milestone(functools.partial(progress, done, total)))

        blocks = _reporting(list(blocks), milestone)
    for block in blocks:
        flowables += _pdf_flowables(block)
    decorate = _decoration(_printable(title), _printable(watermark))
    # build consumes the list it is given, each flowable freed once drawn: keep no other list
    flowables = _grouped(flowables) or [Spacer(1, 1)]
    document.build(flowables, onFirstPage=decorate, onLaterPages=decorate)


def _decoration(header: str, watermark: str = "") -> Callable:
    """What prints the reference at the top right and the page number at the bottom centre of a
    page: what canvas.drawRightString and drawCentredString write, written straight to the page
    (they measured and formatted the same header again on each of a round's 4,000 pages); and
    the watermark, if any, diagonally across the page in light grey (drawn before the page's
    text, so under it)."""
    right = _number(A4[0] - 2 * cm - pdfmetrics.stringWidth(header, printing.REGULAR, 8))
    top, bottom = _number(A4[1] - 1.2 * cm), _number(1.2 * cm)

    def decorate(canvas, doc) -> None:
        if watermark:
            canvas.saveState()
            canvas.setFillColor(colors.HexColor("#d0d0d0"))
            canvas.setFont(printing.BOLD, 96)
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -34, watermark)
            canvas.restoreState()
        encoder, number = _encoder(canvas, printing.REGULAR), str(doc.page)
        centre = _number(A4[0] / 2 - pdfmetrics.stringWidth(number, printing.REGULAR, 8) / 2)
        canvas._code.append(
            f"q BT 1 0 0 1 {right} {top} Tm {encoder.lines([header], 8, 9.6)} ET"
            f" BT 1 0 0 1 {centre} {bottom} Tm {encoder.lines([number], 8, 9.6)} ET Q"
        )

    return decorate


class _Milestone(Flowable):
    """Takes no room; calls back when the layout reaches it (the progress of a long PDF)."""

    def __init__(self, reached: Callable[[], None]) -> None:
        super().__init__()
        self.reached = reached

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.reached()


def _pdf_flowables(block: Block) -> list[Flowable]:
    styles = _styles()
    match block.kind:
        case Kind.PAGE_BREAK:
            return [PageBreak()]
        case Kind.MARKDOWN | Kind.HTML:
            return [_pdf_piece(piece.kind, piece.text, piece.depth, piece) for piece in block_pieces(block)]
        case Kind.LIST_ITEM:
            indent = _LIST_INDENT * max(block.level, 1)
            return [
                PlainParagraph(
                    _printable(block.text), _indented("bullet", indent, indent - _MARK_WIDTH), bullet="•"
                )
            ]
        case Kind.HEADING:
            style = styles[f"heading{min(max(block.level, 1), 4)}"]
            return [PlainParagraph(_printable(block.text), style)]
        case Kind.TEXT:
            return [PlainParagraph(_printable(block.text), _indented("body", 0.75 * cm * block.level))]
        case Kind.REFERENCE if block.level:
            return [Paragraph(_markup(block.text), styles["revision"])]
        case _:
            return [Paragraph(_markup(block.text), styles[str(block.kind)])]


_LIST_INDENT = 0.75 * cm  # each level of a list
_MARK_WIDTH = 0.65 * cm  # room for a bullet or a number ('10.') before an item's text
# A table whose cells hold more than this is printed as text (' | ' between cells): a cell taller
# than a page cannot be split by reportlab's tables and would stop the whole document.
_TABLE_MAX_CHARACTERS = 3000


def _pdf_piece(kind: str, text: str, depth: int, piece: Piece | None = None) -> Flowable:
    """A piece as a flowable: text on the fast path (`PlainParagraph`, its bold and italic runs
    included), a table as a Table of Paragraphs."""
    if piece is not None and piece.kind == "table":
        return _pdf_table(piece)
    runs = tuple((_printable(run), flags) for run, flags in piece.runs) if piece is not None else ()
    if kind == "bullet":
        number = piece.number if piece is not None else 0
        mark = ("•" if depth <= 1 else "◦") if number == 0 else f"{number}." if number > 0 else ""
        indent = _LIST_INDENT * depth
        style = _indented("bullet", indent, indent - _MARK_WIDTH)
        return PlainParagraph(_printable(text), style, bullet=mark, runs=runs)
    if kind == "heading":
        return PlainParagraph(_printable(text), _styles()["bold"])
    return PlainParagraph(_printable(text), _styles()["body"], runs=runs)


_TAGS = {0: ("", ""), BOLD: ("<b>", "</b>"), ITALIC: ("<i>", "</i>"), BOLD | ITALIC: ("<b><i>", "</i></b>")}


def _runs_markup(runs: Iterable[Run], bold: bool = False) -> str:
    """Runs as reportlab paragraph markup, each in its face of the DejaVu Sans family."""
    parts = []
    for text, flags in runs:
        start, end = _TAGS[flags | (BOLD if bold else 0)]
        parts.append(f"{start}{_markup(text)}{end}")
    return "".join(parts)


def _pdf_table(piece: Piece) -> Flowable:
    """A table with a grid, its columns of one width, its header rows bold on grey and repeated
    on each page it runs onto."""
    if len(piece.text) > _TABLE_MAX_CHARACTERS * max(len(piece.rows), 1):
        return PlainParagraph(_printable(piece.text), _styles()["body"])
    columns = max(len(row) for row in piece.rows)
    style = _styles()["cell"]
    data = [
        [Paragraph(_runs_markup(cell.runs, bold=cell.header), style) for cell in row]
        + [""] * (columns - len(row))
        for row in piece.rows
    ]
    headers = 0
    while headers < len(piece.rows) and all(cell.header for cell in piece.rows[headers]):
        headers += 1
    width = (A4[0] - 4 * cm) / columns
    table = Table(data, colWidths=[width] * columns, repeatRows=headers, hAlign="LEFT", spaceAfter=6)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if headers:
        commands.append(("BACKGROUND", (0, 0), (-1, headers - 1), colors.HexColor("#e6e6e6")))
    table.setStyle(TableStyle(commands))
    return table


@functools.cache
def _indented(parent: str, left: float, bullet: float = 0) -> ParagraphStyle:
    """The `parent` style indented (one style for all the bullets or texts of a depth)."""
    return ParagraphStyle(f"{parent}-{left}", parent=_styles()[parent], leftIndent=left, bulletIndent=bullet)


class PlainParagraph(Flowable):
    """A paragraph of plain text, for the bulk of a compilation (the replies).

    reportlab's Paragraph parses markup into fragments and measures every word of every line
    each time it wraps (60 % of a whole round's PDF). Plain text needs neither: the lines are
    broken greedily on word widths measured once per word and font, and split across pages by
    whole lines. Left-aligned, as the body style; headings and titles stay Paragraphs.

    With `runs` (text, style flags), the paragraph's bold and italic words print in their faces
    of the family, on the same fast path (reportlab's Paragraph took 9 times as long over replies
    with a bold word in every paragraph); its lines are then lists of (font, text) segments.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        *,
        bullet: str = "",
        lines: list | None = None,
        runs: tuple[Run, ...] = (),
    ):
        super().__init__()
        self.text, self.style, self.bullet, self.lines, self.runs = text, style, bullet, lines, runs
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.lines is None:
            room = availWidth - self.style.leftIndent - self.style.rightIndent
            if self.runs:
                self.lines = _break_runs(self.runs, self.style.fontSize, room)
            if self.lines is None:  # plain, or a styled word wider than the column: cut as plain
                self.runs = ()
                self.lines = _break_lines(self.text, self.style.fontName, self.style.fontSize, room)
        self.width, self.height = availWidth, len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit < 1 or fit >= len(self.lines):
            return []
        first = PlainParagraph("", self.style, bullet=self.bullet, lines=self.lines[:fit], runs=self.runs)
        rest = PlainParagraph("", self.style, lines=self.lines[fit:], runs=self.runs)
        first.spaceAfter, rest.spaceBefore = 0, 0
        return [first, rest]

    def text_operators(self, canvas) -> str:
        """The lines as PDF text operators (each ending with T*, the next line)."""
        style = self.style
        if not self.runs:
            return _encoder(canvas, style.fontName).lines(self.lines, style.fontSize, style.leading)
        size, leading = style.fontSize, style.leading
        return " ".join(
            " ".join([*(_encoder(canvas, font).segment(text, size, leading) for font, text in line), "T*"])
            for line in self.lines
        )

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        """What Flowable.drawOn writes (the text object, its origin moved to x, y), straight to the
        page: reportlab's canvas and text object format each number one call at a time."""
        if self.bullet:
            super().drawOn(canvas, x, y, _sW)
            return
        style = self.style
        lines = self.text_operators(canvas)
        x, y = self._hAlignAdjust(x, _sW) + style.leftIndent, y + self.height - style.fontSize
        canvas._code.append(f"BT 1 0 0 1 {_number(x)} {_number(y)} Tm {_fill(style.textColor)} {lines} ET")

    def draw(self) -> None:
        style, canvas = self.style, self.canv
        baseline = self.height - style.fontSize  # where reportlab's Paragraph puts its first line
        if self.bullet:  # first, so that the text extracted reads "• item", "2. item"
            canvas.setFont(style.fontName, style.fontSize)
            canvas.drawString(style.bulletIndent, baseline, self.bullet)
        text = canvas.beginText(style.leftIndent, baseline)
        text.setFont(style.fontName, style.fontSize, style.leading)
        text.setFillColor(style.textColor)
        text._code.append(self.text_operators(canvas))
        canvas.drawText(text)


class PlainParagraphs(Flowable):
    """Consecutive plain paragraphs laid out as the frame would lay them out one by one (the
    space between two the larger of the first's space after and the second's space before), in
    one flowable: platypus's work per flowable was a third of a whole round's PDF."""

    def __init__(self, paragraphs: list[PlainParagraph], gaps: list[float] | None = None) -> None:
        super().__init__()
        self.paragraphs = paragraphs
        self.spaceBefore, self.spaceAfter = paragraphs[0].spaceBefore, paragraphs[-1].spaceAfter
        # the space above each paragraph inside the group (none above the first); the parts of a
        # split keep theirs, not measured again on every page of a long group
        if gaps is None:
            gaps = [0, *(max(a.spaceAfter, b.spaceBefore) for a, b in itertools.pairwise(paragraphs))]
        self.gaps = gaps

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """The group's height, or as much of it as shows that it does not fit: the frame wraps
        what remains of a long group once a page."""
        height = 0.0
        for gap, paragraph in zip(self.gaps, self.paragraphs, strict=True):
            height += gap + paragraph.wrap(availWidth, availHeight)[1]
            if height > availHeight + 1:
                break
        self.width, self.height = availWidth, height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used = 0.0
        for index, (gap, paragraph) in enumerate(zip(self.gaps, self.paragraphs, strict=True)):
            height = paragraph.wrap(availWidth, availHeight)[1]
            if used + gap + height <= availHeight + 1e-6:  # the frame's tolerance
                used += gap + height
                continue
            parts = paragraph.split(availWidth, availHeight - used - gap)
            if parts:
                first = [*self.paragraphs[:index], parts[0]]
                rest = [parts[1], *self.paragraphs[index + 1 :]]
            else:
                # the headings that would end the page go with what they head
                while index > 1 and getattr(self.paragraphs[index - 1].style, "keepWithNext", 0):
                    index -= 1
                first, rest = self.paragraphs[:index], self.paragraphs[index:]
            if not first:
                return []
            rest_gaps = [0, *self.gaps[index + 1 :]]  # a part's spaces are its paragraph's
            return [PlainParagraphs(first, self.gaps[: len(first)]), PlainParagraphs(rest, rest_gaps)]
        return []

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        top = y + self.height
        for gap, paragraph in zip(self.gaps, self.paragraphs, strict=True):
            top -= gap + paragraph.height
            paragraph.drawOn(canvas, x, top)


def _grouped(flowables: list[Flowable]) -> list[Flowable]:
    """The flowables with each run of plain paragraphs in one `PlainParagraphs`."""
    grouped: list[Flowable] = []
    for is_plain, run in itertools.groupby(flowables, lambda flowable: type(flowable) is PlainParagraph):
        run = list(run)
        grouped += [PlainParagraphs(run)] if is_plain and len(run) > 1 else run
    return grouped


class _Encoder:
    """Lines of text as PDF operators, each word encoded once per document.

    What reportlab's `textLine` writes (`textobject._formatText`: the font subset of each run of
    characters, then `(…) Tj`, then `T*`), but its per-character encoding and escaping (two
    thirds of a round's PDF once the layout was light) run once per distinct word. The subsets
    are the document's own (`splitString` assigns them), so the cache lives with the canvas.
    """

    def __init__(self, canvas, font_name: str) -> None:
        self.font = pdfmetrics.getFont(font_name)
        self.doc, self.escape = canvas._doc, canvas._escape
        self.words: dict[str, list[tuple[int, str]]] = {}
        self.selects: dict[tuple[float, float], str] = {}
        # The characters already in the first subset and their escaped codes: a line made of
        # them only (nearly all of them) is encoded by one str.translate.
        self.first: set[str] = set()
        self.first_codes: dict[int, str] = {}

    def word(self, word: str) -> list[tuple[int, str]]:
        found = self.words.get(word)
        if found is None:
            found = [(subset, self.escape(run)) for subset, run in self.font.splitString(word, self.doc)]
            self.words[word] = found
        return found

    def lines(self, lines: list[str], size: float, leading: float) -> str:
        select = self.selects.get((size, leading))
        if select is None:
            select = self.selects[size, leading] = f"{fp_str(size)} Tf {fp_str(leading)} TL"
        current, out = -1, []
        for line in lines:
            if not line:
                out.append("T*")
                continue
            if self.first.issuperset(line) or self._learn(line):
                if current != 0:
                    out.append(f"{self.font.getSubsetInternalName(0, self.doc)} {select}")
                    current = 0
                out.append(f"({line.translate(self.first_codes)}) Tj T*")
                continue
            current = self._runs(line, select, current, out)
            out.append("T*")
        return " ".join(out)

    def segment(self, text: str, size: float, leading: float) -> str:
        """Part of a line in this encoder's font, as operators that select the font first (a
        styled line changes fonts between its segments)."""
        select = self.selects.get((size, leading))
        if select is None:
            select = self.selects[size, leading] = f"{fp_str(size)} Tf {fp_str(leading)} TL"
        if self.first.issuperset(text) or self._learn(text):  # as lines() does
            name = self.font.getSubsetInternalName(0, self.doc)
            return f"{name} {select} ({text.translate(self.first_codes)}) Tj"
        out: list[str] = []
        self._runs(text, select, -1, out)
        return " ".join(out)

    def _runs(self, text: str, select: str, current: int, out: list[str]) -> int:
        """Append `text` as runs of one font subset each (`(…) Tj`, the subset selected where it
        changes from `current`); returns the subset selected last."""
        space = self.word(" ")
        runs: list[list] = []
        for index, word in enumerate(text.split(" ")):
            for subset, run in (space + self.word(word)) if index else self.word(word):
                if runs and runs[-1][0] == subset:
                    runs[-1][1] += run
                else:
                    runs.append([subset, run])
        for subset, run in runs:
            if subset != current:
                out.append(f"{self.font.getSubsetInternalName(subset, self.doc)} {select}")
                current = subset
            out.append(f"({run}) Tj")
        return current

    def _learn(self, line: str) -> bool:
        """Note the line's new characters that the first subset holds (splitString assigns their
        codes, in the order of the text); whether they all are."""
        for character in [character for character in dict.fromkeys(line) if character not in self.first]:
            [(subset, code)] = self.font.splitString(character, self.doc)
            if subset:
                return False
            self.first.add(character)
            self.first_codes[ord(character)] = self.escape(code)
        return True


# A page repeats the same few positions: each number formatted once (fp_str is pure Python).
_number = functools.cache(fp_str)


@functools.cache
def _fill(color: colors.Color) -> str:
    """The operator that sets `color` for filling, as a text object writes it."""
    return f"{fp_str(*color.rgb())} rg"


def _encoder(canvas, font_name: str) -> _Encoder:
    encoders = canvas.__dict__.setdefault("_plain_paragraph_encoders", {})
    if font_name not in encoders:
        encoders[font_name] = _Encoder(canvas, font_name)
    return encoders[font_name]


@functools.cache
def _word_widths(font: str) -> dict[str, float]:
    """Widths of words at size 1, filled as words are met (a round repeats its vocabulary)."""
    return {}


def _break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy lines: each takes as many words as fit, found by bisecting the running total of the
    words' widths (and a space each) rather than adding them one by one."""
    widths = _word_widths(font)
    limit = width / size
    space = _space_width(font)
    lines: list[str] = []
    for paragraph_line in text.split("\n"):
        words = paragraph_line.split()
        sizes = list(map(widths.get, words))
        if None in sizes:
            sizes = [widths.get(word) or _measure(widths, word, font) for word in words]
        if not words or max(sizes) > limit:
            lines += _break_words(words, font, limit, space)
            continue
        if sum(sizes) + space * (len(words) - 1) <= limit:  # one line: a heading, most bullets
            lines.append(" ".join(words))
            continue
        ends = list(itertools.accumulate(map(space.__add__, sizes)))
        start, base = 0, 0.0
        while start < len(words):
            end = max(bisect.bisect_right(ends, base + limit + space, start), start + 1)
            lines.append(" ".join(words[start:end]))
            start, base = end, ends[end - 1]
    return lines


# The face of the DejaVu Sans family for each style of a run.
_FACES = {
    0: printing.REGULAR,
    BOLD: printing.BOLD,
    ITALIC: printing.ITALIC,
    BOLD | ITALIC: printing.BOLD_ITALIC,
}


def _break_runs(runs: tuple[Run, ...], size: float, width: float) -> list[list[tuple[str, str]]] | None:
    """Greedy lines of styled runs, each line a list of (font, text) segments; None when a word
    is wider than the column (the caller then prints the paragraph plain, cutting that word).

    A word is what lies between two spaces, perhaps in several faces ('**firm**,'); a space takes
    the face of the word before it, as it is drawn. Lines are found as the plain paragraphs'
    are, by bisecting the running total of the words' widths and spaces."""
    limit = width / size
    lines: list[list[tuple[str, str]]] = []
    for words in _words_of_runs(runs):
        if not words:
            lines.append([])
            continue
        widths, space_of = _face_widths()
        sizes = [widths[word[0][0]](word[0][1]) if len(word) == 1 else None for word in words]
        if None in sizes:  # a word measured for the first time, or in several faces
            sizes = [size or _word_width(word) for size, word in zip(sizes, words, strict=True)]
        if max(sizes) > limit:
            return None
        spaces = [space_of[word[-1][0]] for word in words]
        ends = list(itertools.accumulate(map(float.__add__, sizes, spaces)))
        rights = [end - space for end, space in zip(ends, spaces, strict=True)]  # each word's right edge
        start, base = 0, 0.0
        while start < len(words):
            stop = max(bisect.bisect_right(rights, base + limit, start), start + 1)
            lines.append(_segments(words[start:stop]))
            start, base = stop, ends[stop - 1]
    return lines


@functools.cache
def _face_widths() -> tuple[dict[str, Callable], dict[str, float]]:
    """For each face, the lookup of its words' widths met so far, and its space's width."""
    faces = _FACES.values()
    return {font: _word_widths(font).get for font in faces}, {font: _space_width(font) for font in faces}


def _word_width(word: list[tuple[str, str]]) -> float:
    return sum(_width(fragment, font) for font, fragment in word)


def _words_of_runs(runs: tuple[Run, ...]) -> list[list[list[tuple[str, str]]]]:
    """The runs as lines (at each newline) of words, each word a list of (font, fragment)."""
    words: list[list[tuple[str, str]]] = []
    lines = [words]
    glued = False  # the next fragment continues the last word (no space between)
    for text, flags in runs:
        font = _FACES[flags]
        for line_index, part in enumerate(text.split("\n")) if "\n" in text else ((0, text),):
            if line_index:
                words, glued = [], False
                lines.append(words)
            parts = part.split(" ")
            if parts[0]:
                if glued and words:
                    words[-1].append((font, parts[0]))
                else:
                    words.append([(font, parts[0])])
            if len(parts) > 1:
                words.extend([[(font, fragment)] for fragment in parts[1:] if fragment])
                glued = bool(parts[-1])
            else:
                glued = glued or bool(parts[0])
    return lines


def _segments(words: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """A line's words as segments of one font each, a space after each word but the last."""
    segments: list[list[str]] = []
    for word in words:
        if segments:
            segments[-1][1] += " "  # the space between two words, in the face of the first
        for font, fragment in word:
            if segments and segments[-1][0] == font:
                segments[-1][1] += fragment
            else:
                segments.append([font, fragment])
    return [(font, text) for font, text in segments]


def _width(word: str, font: str) -> float:
    widths = _word_widths(font)
    found = widths.get(word)
    return found if found is not None else _measure(widths, word, font)


@functools.cache
def _space_width(font: str) -> float:
    return pdfmetrics.stringWidth(" ", font, 1)


def _measure(widths: dict[str, float], word: str, font: str) -> float:
    widths[word] = pdfmetrics.stringWidth(word, font, 1)
    return widths[word]


def _break_words(words: list[str], font: str, limit: float, space: float) -> list[str]:
    """The lines of a paragraph holding a word wider than the column, which is cut."""
    lines, line, used = [], [], 0.0
    for word in words:
        word_width = pdfmetrics.stringWidth(word, font, 1)
        if line and used + space + word_width > limit:
            lines.append(" ".join(line))
            line, used = [], 0.0
        if not line and word_width > limit:
            pieces = _cut_word(word, font, limit)
            lines += pieces[:-1]
            word = pieces[-1]
            word_width = pdfmetrics.stringWidth(word, font, 1)
        used += word_width + (space if line else 0)
        line.append(word)
    return [*lines, " ".join(line)]


def _cut_word(word: str, font: str, limit: float) -> list[str]:
    pieces, current = [], ""
    for character in word:
        if current and pdfmetrics.stringWidth(current + character, font, 1) > limit:
            pieces.append(current)
            current = ""
        current += character
    return [*pieces, current]
