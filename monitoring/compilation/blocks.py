"""Documents as a flat list of blocks, which the DOCX and PDF writers print one after the other.

Compilations and registered submissions both become blocks, so one PDF writer and one DOCX
writer serve them all. Reply text stays Markdown in a block; `markdown_pieces` turns it into
plain paragraphs and bullets (from the sanitised HTML, so raw HTML in a reply never gets through).
"""

from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.text import render_markdown

from .selectors import (
    CONFIDENTIAL,
    CONTENTS,
    CONVENTION,
    DRAFT_PREVIEW,
    NO_REPLIES,
    REVISION,
    STATE_REPLIES,
    Compilation,
    QuestionCompilation,
    ReplyBlock,
    SubmissionDocument,
)


class Kind(StrEnum):
    BANNER = "banner"  # a warning across the page: draft preview, confidential
    REFERENCE = "reference"  # the document reference, top right
    TITLE = "title"
    SUBTITLE = "subtitle"
    HEADING = "heading"  # `level` 1 to 4
    TEXT = "text"  # plain text; `level` indents it
    MARKDOWN = "markdown"  # reply text
    LIST_ITEM = "list_item"
    PAGE_BREAK = "page_break"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    level: int = 0
    language: str = ""


@dataclass(frozen=True)
class Piece:
    """A paragraph of converted Markdown: 'paragraph', 'bullet' (with its depth) or 'heading'."""

    kind: str
    text: str
    depth: int = 0


def compilation_blocks(compilation: Compilation) -> list[Block]:
    blocks = _banners(compilation)
    blocks += [
        Block(Kind.REFERENCE, compilation.reference),
        Block(Kind.TEXT, f"{REVISION}: {compilation.revision_date.isoformat()}"),
        Block(Kind.TITLE, str(CONVENTION)),
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
        for node in question.nodes:
            text = node.text_en if language == "en" else node.text_fr
            if node.depth == 0:
                blocks.append(Block(Kind.HEADING, node.label, level=2, language=language))
            blocks.append(Block(Kind.TEXT, text if node.depth == 0 else f"{node.label} {text}", node.depth))
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
    return blocks


def reply_blocks(replies: list[ReplyBlock]) -> list[Block]:
    blocks = []
    for reply in replies:
        blocks.append(Block(Kind.HEADING, reply.heading, level=4))
        if reply.text.strip():
            blocks.append(Block(Kind.MARKDOWN, reply.text, language=reply.language))
        if reply.see_reply:
            blocks.append(Block(Kind.TEXT, reply.see_reply))
    return blocks


def submission_blocks(document: SubmissionDocument) -> list[Block]:
    """A registered submission as the Secretariat files it ('Replies registered by the Secretariat on …')."""
    if document.organisation:
        kind = _("Comments sent by %(organisation)s") % {"organisation": document.organisation}
    else:
        kind = _("Replies to the thematic questionnaire")
    blocks = [
        Block(Kind.REFERENCE, document.reference),
        Block(Kind.TITLE, _("LANZAROTE CONVENTION")),
        Block(Kind.SUBTITLE, kind),
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
    if document.registered_on:
        date = formats.date_format(document.registered_on, "j F Y")
        blocks.append(Block(Kind.TEXT, _("Registered by the Secretariat on %(date)s") % {"date": date}))
    return blocks + reply_blocks(document.blocks)


# --- Markdown to plain paragraphs --------------------------------------------------------------

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "hr"}
_LINE_BREAK = "\u2028"


class _Flattener(HTMLParser):
    """Walks sanitised HTML and keeps its text as paragraphs, bullets and headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[Piece] = []
        self.buffer: list[str] = []
        self.open_blocks: list[str] = []
        self.list_depth = 0
        self.href = ""
        self.link_start = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self.flush()
            self.list_depth += 1
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.open_blocks.append(tag)
        elif tag == "br":
            self.buffer.append(_LINE_BREAK)
        elif tag in ("td", "th") and "".join(self.buffer).strip():
            self.buffer.append(" | ")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_start = len(self.buffer)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.flush()
            self.list_depth = max(self.list_depth - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.flush()
            if tag in self.open_blocks:
                self.open_blocks.remove(tag)
        elif tag == "a" and self.href:
            # Keep the address when the link text does not show it, as the printed reply would.
            if self.href.removeprefix("mailto:") not in "".join(self.buffer[self.link_start :]):
                self.buffer.append(f" <{self.href}>")
            self.href = ""

    def handle_data(self, data: str) -> None:
        self.buffer.append(data)

    def flush(self) -> None:
        raw, self.buffer = "".join(self.buffer), []
        current = self.open_blocks[-1] if self.open_blocks else "p"
        if current == "pre":
            text = raw.strip("\n")
        else:
            text = "\n".join(" ".join(line.split()) for line in raw.split(_LINE_BREAK)).strip()
        if not text:
            return
        if current == "li":
            self.pieces.append(Piece("bullet", text, max(self.list_depth, 1)))
        elif current.startswith("h") and current != "hr":
            self.pieces.append(Piece("heading", text))
        else:
            self.pieces.append(Piece("paragraph", text))


def markdown_pieces(text: str) -> list[Piece]:
    """Reply Markdown (perhaps with raw HTML) as plain paragraphs, bullets and headings."""
    flattener = _Flattener()
    flattener.feed(str(render_markdown(text)))
    flattener.close()
    flattener.flush()
    return flattener.pieces
