"""Documents as a flat list of blocks, which the DOCX and PDF writers print one after the other.

Compilations and registered submissions both become blocks, so one PDF writer and one DOCX
writer serve them all. A reply's block holds its stored, sanitised HTML; `html_pieces` turns it
into plain paragraphs and bullets. A Markdown block (factsheets) is rendered and sanitised first
(`markdown_pieces`), so raw HTML in a text never gets through.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple, cast

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from secretariat.text import render_markdown

from .selectors import (
    ATTACHMENTS,
    CHILDREN_CONSULTED,
    CHILDREN_NOTE,
    CHILDREN_QUOTES,
    CHILDREN_VIEWS,
    CONFIDENTIAL,
    CONTENTS,
    CONVENTION,
    CONVENTION_NAME,
    DRAFT_PREVIEW,
    NO_REPLIES,
    REVISION,
    STATE_REPLIES,
    TOTAL,
    ChildrenSection,
    Compilation,
    QuestionCompilation,
    QuestionNode,
    ReplyBlock,
    SubmissionDocument,
)

# The Convention's full name, under its short one on a title page (the Council's documents).
CONVENTION_FULL_NAME = gettext_lazy(
    "Council of Europe Convention on the protection of children against sexual exploitation and sexual abuse"
)


class Kind(StrEnum):
    BANNER = "banner"  # a warning across the page: draft preview, confidential
    REFERENCE = "reference"  # the document reference, top right; `level` 1 the line under it
    TITLE = "title"
    SUBTITLE = "subtitle"
    HEADING = "heading"  # `level` 1 to 4
    TEXT = "text"  # plain text; `level` indents it
    MARKDOWN = "markdown"  # Markdown text, rendered and sanitised by the writers
    HTML = "html"  # stored, sanitised HTML (a reply's text_html)
    LIST_ITEM = "list_item"
    PAGE_BREAK = "page_break"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    level: int = 0
    language: str = ""


def compilation_blocks(compilation: Compilation) -> list[Block]:
    blocks = _banners(compilation)
    blocks += [
        Block(Kind.REFERENCE, compilation.reference),
        Block(Kind.REFERENCE, f"{REVISION}: {compilation.revision_date.isoformat()}", level=1),
        Block(Kind.TITLE, str(CONVENTION)),
        Block(Kind.SUBTITLE, CONVENTION_NAME.en),
        Block(Kind.SUBTITLE, CONVENTION_NAME.fr),
        Block(Kind.SUBTITLE, compilation.round_title.en),
        Block(Kind.SUBTITLE, compilation.round_title.fr),
        Block(Kind.TITLE, compilation.title.en),
        Block(Kind.TITLE, compilation.title.fr),
    ]
    if not compilation.questions or not compilation.states:
        blocks.append(Block(Kind.TEXT, str(NO_REPLIES)))
    for question in compilation.questions:
        blocks += [Block(Kind.PAGE_BREAK), *_question_blocks(question)]
    return blocks


def _banners(compilation: Compilation) -> list[Block]:
    banners = []
    if compilation.is_draft_preview:
        banners.append(Block(Kind.BANNER, str(DRAFT_PREVIEW)))
    if compilation.includes_confidential:
        banners.append(Block(Kind.BANNER, str(CONFIDENTIAL)))
    return banners


def _question_blocks(question: QuestionCompilation) -> list[Block]:
    blocks = [Block(Kind.HEADING, str(question.section).upper(), level=1)]
    for language in ("en", "fr") if question.has_french else ("en",):
        blocks += node_blocks(question.nodes, language)
    blocks.append(Block(Kind.HEADING, str(CONTENTS), level=2))
    blocks += [Block(Kind.LIST_ITEM, state.label) for state in question.states]
    for state in question.states:
        blocks.append(Block(Kind.HEADING, state.label, level=2))
        if state.replies:
            blocks.append(Block(Kind.HEADING, str(STATE_REPLIES), level=3))
            blocks += reply_blocks(state.replies)
        for commentary in state.comments:
            blocks.append(Block(Kind.HEADING, commentary.heading, level=3))
            blocks += reply_blocks(commentary.blocks)
    if question.children is not None:
        blocks += children_blocks(question.children)
    return blocks


def children_blocks(children: ChildrenSection) -> list[Block]:
    """The children's views on a question, marked off from the States' replies by their heading."""
    blocks = [
        Block(Kind.HEADING, str(CHILDREN_VIEWS), level=2),
        Block(Kind.TEXT, str(CHILDREN_NOTE)),
        Block(Kind.HEADING, str(CHILDREN_CONSULTED), level=3),
    ]
    blocks += [
        Block(Kind.LIST_ITEM, f"{row.label}: {children.count_text(row.cells[0])}")
        for row in children.counts.rows
    ]
    total = children.count_text(children.counts.total) if children.counts.total else "0"
    blocks.append(Block(Kind.TEXT, f"{TOTAL}: {total}"))
    if children.quotes:
        blocks.append(Block(Kind.HEADING, str(CHILDREN_QUOTES), level=3))
        for quote in children.quotes:
            blocks.append(Block(Kind.TEXT, f"“{quote.text}”", language=quote.language))
            blocks.append(Block(Kind.TEXT, f"— {quote.source}", level=1))
    return blocks


def node_blocks(nodes: list[QuestionNode], language: str = "en") -> list[Block]:
    """A question as the questionnaire prints it: 'Question 16' as a heading, its text, then its
    sub-questions, items and requests indented by depth, each after its label."""
    blocks = []
    for node in nodes:
        text = node.text_en if language == "en" else node.text_fr
        if node.depth == 0:
            blocks.append(Block(Kind.HEADING, node.label, level=2, language=language))
        blocks.append(Block(Kind.TEXT, text if node.depth == 0 else f"{node.label} {text}", node.depth))
    return blocks


def reply_blocks(replies: list[ReplyBlock], attachments_label: str = str(ATTACHMENTS)) -> list[Block]:
    """Each reply headed by the refs it answers, its text, the reply it refers to, and the names of
    the files sent with it (`attachments_label` heads them: bilingual in a compilation)."""
    blocks = []
    for reply in replies:
        blocks.append(Block(Kind.HEADING, reply.heading, level=4))
        if reply.html.strip():
            blocks.append(Block(Kind.HTML, reply.html, language=reply.language))
        if reply.see_reply:
            blocks.append(Block(Kind.TEXT, reply.see_reply))
        if reply.attachments:
            blocks.append(Block(Kind.TEXT, f"{attachments_label}:"))
            blocks += [Block(Kind.LIST_ITEM, attachment.name) for attachment in reply.attachments]
    return blocks


def submission_blocks(document: SubmissionDocument) -> list[Block]:
    """A registered submission as the Secretariat files it (the title block of 'Replies to the
    thematic questionnaire … Replies registered by the Secretariat on …'), then question by
    question in the questionnaire's order: its section, the question, the replies to it."""
    if document.organisation:
        kind = _("Comments sent by %(organisation)s") % {"organisation": document.organisation}
    else:
        kind = _("Replies to the thematic questionnaire")
    blocks = [
        Block(Kind.REFERENCE, document.reference),
        Block(Kind.TITLE, _("LANZAROTE CONVENTION")),
        Block(Kind.SUBTITLE, str(CONVENTION_FULL_NAME)),
        Block(Kind.TITLE, kind),
        Block(Kind.TITLE, document.party.upper()),
        Block(
            Kind.SUBTITLE,
            _("Round %(number)s: %(title)s")
            % {
                "number": document.round_number,
                "title": document.round_title,
            },
        ),
    ]
    if document.round_theme:
        blocks.append(Block(Kind.SUBTITLE, _("“%(theme)s”") % {"theme": document.round_theme}))
    if document.registered_on:
        date = formats.date_format(document.registered_on, "j F Y")
        blocks.append(Block(Kind.SUBTITLE, _("Registered by the Secretariat on %(date)s") % {"date": date}))
    if document.questions:
        blocks.append(Block(Kind.PAGE_BREAK))  # the title block has its page
    section = None
    for question in document.questions:
        if question.section != section:
            section = question.section
            blocks.append(Block(Kind.HEADING, section.upper(), level=1))
        blocks += node_blocks(question.nodes)
        blocks += reply_blocks(question.blocks, attachments_label=_("Attachments"))
    return blocks


# --- Stored HTML to pieces ----------------------------------------------------------------------

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "hr"}
_LINE_BREAK = "\u2028"
BOLD, ITALIC = 1, 2  # a run's style flags
_STYLES = {"strong": BOLD, "b": BOLD, "em": ITALIC, "i": ITALIC}

Run = tuple[str, int]  # a text and its style flags (BOLD | ITALIC)


class Cell(NamedTuple):
    runs: tuple[Run, ...]
    header: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


class Piece(NamedTuple):  # a tuple: a round makes 70,000 of them
    """A paragraph of a stored text: 'paragraph', 'bullet' (a list item, with its depth) or
    'heading', or a 'table'.

    `text` is the plain text (a table's: its cells, ' | ' between cells, a line a row); `runs`
    splits it by style when some of it is bold or italic (empty when none is, most paragraphs,
    which the writers print on their fast paths); `number` is a numbered list item's number (0 a
    bullet, -1 the text after a nested list, which has no mark); `rows` a table's cells."""

    kind: str
    text: str
    depth: int = 0
    runs: tuple[Run, ...] = ()
    number: int = 0
    rows: tuple[tuple[Cell, ...], ...] = ()


class _Flattener:
    """Walks sanitised HTML and keeps its text as paragraphs, list items, headings and tables,
    with the bold and italic of their runs.

    Walks the tree lxml's HTML parser builds (libxml2 parses; a whole round's 13 MB of replies
    took 6.5 s with the standard library's pure-Python HTMLParser), as a target of the parser's
    events would see it, but a block holding text only (most of a reply's paragraphs and bullets)
    is taken in one step: a round's replies 0.43 s to 0.2 s. Text outside bold and italic stays a
    plain string in the buffer, so an unformatted paragraph is joined as before.
    """

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.buffer: list[str | Run] = []
        self.styled = False  # the buffer holds a bold or italic run
        self.style = {BOLD: 0, ITALIC: 0}  # open bold and italic elements
        self.styling = 0  # how many of them: none in most of a text
        self.open_blocks: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [numbered (0/1), items so far]
        self.item_number = 0  # the number the open item's next piece carries
        self.href = ""
        self.link_start = 0
        self.tables = 0  # open tables (a table in a cell is read as text)
        self.rows: list[tuple[Cell, ...]] = []
        self.row: list[Cell] | None = None
        self.cell: list[tuple[Run, ...]] | None = None  # the open cell's lines
        self.header = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in _STYLES:
            self.style[_STYLES[tag]] += 1
            self.styling += 1
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self.flush()
            self.open_blocks.append(tag)
            self.start_item()
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.open_blocks.append(tag)
        elif tag == "br":
            self.buffer.append(_LINE_BREAK)
        elif tag == "table":
            self.flush()
            self.tables += 1
            if self.tables == 1:
                self.rows = []
        elif tag == "tr" and self.tables == 1:
            self.flush()
            self.row = []
        elif tag in ("td", "th"):
            if self.tables == 1:
                self.flush()
                self.cell, self.header = [], tag == "th"
            elif "".join(self.texts()).strip():
                self.buffer.append(" | ")
        elif tag == "a":
            self.href = attrs.get("href") or ""
            self.link_start = len(self.buffer)

    def start_item(self) -> None:
        if self.lists:
            self.lists[-1][1] += 1
            numbered, count = self.lists[-1]
            self.item_number = count if numbered else 0

    def end(self, tag: str) -> None:
        if tag in _STYLES:
            if self.style[_STYLES[tag]]:
                self.style[_STYLES[tag]] -= 1
                self.styling -= 1
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
            self.item_number = -1  # what follows in the outer item continues it, unmarked
        elif tag in _BLOCK_TAGS:
            self.flush()
            if tag in self.open_blocks:
                self.open_blocks.remove(tag)
        elif tag in ("td", "th") and self.tables == 1 and self.cell is not None:
            self.flush()
            if self.row is not None:
                self.row.append(Cell(_joined_lines(self.cell), self.header))
            self.cell = None
        elif tag == "tr" and self.tables == 1 and self.row is not None:
            self.flush()
            if self.row:
                self.rows.append(tuple(self.row))
            self.row = None
        elif tag == "table" and self.tables:
            self.flush()
            self.tables -= 1
            if not self.tables and self.rows:
                text = "\n".join(" | ".join(cell.text for cell in row) for row in self.rows)
                self.pieces.append(Piece("table", text, rows=tuple(self.rows)))
                self.rows = []
        elif tag == "a" and self.href:
            # Keep the address when the link text does not show it, as the printed reply would.
            if self.href.removeprefix("mailto:") not in "".join(self.texts(self.link_start)):
                self.buffer.append(f" <{self.href}>")
            self.href = ""

    def texts(self, start: int = 0) -> list[str]:
        return [item if isinstance(item, str) else item[0] for item in self.buffer[start:]]

    def data(self, data: str) -> None:
        if not self.styling:
            self.buffer.append(data)
            return
        flags = (BOLD if self.style[BOLD] else 0) | (ITALIC if self.style[ITALIC] else 0)
        if flags:
            self.buffer.append((data, flags))
            self.styled = True
        else:
            self.buffer.append(data)

    def comment(self, text: str) -> None:
        pass

    def close(self) -> list[Piece]:
        self.flush()
        return self.pieces

    def flush(self) -> None:
        if not self.buffer:
            return
        buffer, self.buffer = self.buffer, []
        styled, self.styled = self.styled, False
        current = self.open_blocks[-1] if self.open_blocks else "p"
        runs: tuple[Run, ...] = ()
        if not styled or current == "pre":
            # without a styled run, every item is a string (most paragraphs): joined at once
            raw = (
                "".join(item if isinstance(item, str) else item[0] for item in buffer)
                if styled
                else "".join(cast(list[str], buffer))
            )
            if current == "pre":
                text = raw.strip("\n")
            elif _LINE_BREAK in raw:
                text = "\n".join(" ".join(line.split()) for line in raw.split(_LINE_BREAK)).strip()
            else:
                text = " ".join(raw.split())
        else:
            runs = _normalised_runs(buffer)
            text = "".join(run[0] for run in runs)
            if not any(flags for _, flags in runs):
                runs = ()
        if not text:
            return
        if self.cell is not None:
            self.cell.append(runs or ((text, 0),))
        elif current == "li":
            number, self.item_number = self.item_number, -1
            self.pieces.append(Piece("bullet", text, max(len(self.lists), 1), runs, number))
        elif current.startswith("h") and current != "hr":
            self.pieces.append(Piece("heading", text))
        else:
            self.pieces.append(Piece("paragraph", text, runs=runs))


def _normalised_runs(buffer: list[str | Run]) -> tuple[Run, ...]:
    """The buffer's runs with white space as HTML shows it: each run of spaces one space, none
    at the start or end of a line; a line break a newline; neighbouring runs of one style joined."""
    runs: list[list] = []
    pending_space = False
    at_line_start = True
    for item in buffer:
        segment, flags = (item, 0) if isinstance(item, str) else item
        for index, line in enumerate(segment.split(_LINE_BREAK)):
            if index:
                runs.append(["\n", 0])
                pending_space, at_line_start = False, True
            words = line.split()
            if not words:
                pending_space = pending_space or (bool(line) and not at_line_start)
                continue
            text = " ".join(words)
            if (pending_space or line[0].isspace()) and not at_line_start:
                if flags:  # the space between a plain and a styled word stays outside the style
                    runs[-1][0] += " "
                else:
                    text = f" {text}"
            if runs and runs[-1][1] == flags and runs[-1][0] != "\n":
                runs[-1][0] += text
            else:
                runs.append([text, flags])
            at_line_start, pending_space = False, line[-1].isspace()
    while runs and runs[-1][0] == "\n":
        runs.pop()
    return tuple((text, flags) for text, flags in runs)


def _joined_lines(lines: list[tuple[Run, ...]]) -> tuple[Run, ...]:
    """A cell's paragraphs as one sequence of runs, a newline between two."""
    runs: list[Run] = []
    for index, line in enumerate(lines):
        if index:
            runs.append(("\n", 0))
        runs += line
    return tuple(runs)


def html_pieces(html: str) -> list[Piece]:
    """Sanitised HTML (a reply's stored rendering) as paragraphs, list items, headings and tables."""
    if not html or not html.strip():
        return []
    flattener = _Flattener()
    root = etree.fromstring(str(html), etree.HTMLParser())
    _walk(flattener, [] if root is None else [root])  # a comment alone makes no tree
    return flattener.close()


def _walk(flattener: _Flattener, elements: Iterable[etree._Element]) -> None:
    """Give `flattener` the parser's events for `elements` and what they hold, in document order."""
    for element in elements:
        tag = element.tag
        if isinstance(tag, str):  # comments and processing instructions carry their tail only
            if tag in _BLOCK_TAGS and not len(element):
                # start, data and end of a block holding text only, in one step
                flattener.flush()
                flattener.open_blocks.append(tag)
                if tag == "li":
                    flattener.start_item()
                if element.text:
                    if flattener.styling:
                        flattener.data(element.text)
                    else:
                        flattener.buffer.append(element.text)
                    flattener.flush()
                flattener.open_blocks.remove(tag)
            else:
                flattener.start(tag, element.attrib)
                if element.text:
                    flattener.data(element.text)
                _walk(flattener, element)
                flattener.end(tag)
        if element.tail:
            if flattener.styling:
                flattener.data(element.tail)
            else:
                flattener.buffer.append(element.tail)


def markdown_pieces(text: str) -> list[Piece]:
    """Markdown (perhaps with raw HTML) rendered, sanitised, then flattened as `html_pieces`."""
    return html_pieces(render_markdown(text))


def block_pieces(block: Block) -> list[Piece]:
    """The pieces of a text block: stored HTML as it is, Markdown rendered first."""
    return html_pieces(block.text) if block.kind == Kind.HTML else markdown_pieces(block.text)
