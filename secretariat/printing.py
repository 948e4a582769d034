"""What the core prints as PDF (letters, a Party's case file): reportlab with the Bitstream Vera
fonts it ships (Latin accents, typographic quotes and dashes print without a system library).

The feature apps print their own documents (compilations, factsheets); the core cannot import
their writers, so it keeps this small one.
"""

import functools
import re
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FONT_FILES = {
    "Vera": "Vera.ttf",
    "Vera-Bold": "VeraBd.ttf",
    "Vera-Italic": "VeraIt.ttf",
    "Vera-BoldItalic": "VeraBI.ttf",
}
# XML 1.0 (DOCX) refuses these; texts pasted from other tools sometimes carry them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """The text without the control characters DOCX and PDF refuse."""
    return _CONTROL_CHARACTERS.sub("", text or "").replace("\u2028", "\n")


@functools.cache
def vera() -> frozenset[int]:
    """Register the Vera family once; return the code points it can print."""
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )
    return frozenset(pdfmetrics.getFont("Vera").face.charToGlyph)


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup, characters the font lacks spelled in ASCII."""
    known = vera()
    characters = []
    for character in clean(text):
        if ord(character) in known or character in "\n\t":
            characters.append(character)
        else:
            characters.append(unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode())
    return escape("".join(characters)).replace("\n", "<br/>")


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    vera()
    body = ParagraphStyle("body", fontName="Vera", fontSize=10, leading=13.5, spaceAfter=6)
    bold = ParagraphStyle("bold", parent=body, fontName="Vera-Bold")
    return {
        "body": body,
        "bold": bold,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=2),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "sender": ParagraphStyle(
            "sender", parent=bold, fontSize=11, leading=14, textColor=colors.HexColor("#003366")
        ),
        "title": ParagraphStyle("title", parent=bold, fontSize=16, leading=20, spaceAfter=10),
        "heading": ParagraphStyle(
            "heading", parent=bold, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6
        ),
        "subheading": ParagraphStyle("subheading", parent=bold, fontSize=11, leading=14, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=bold, fontSize=8.5, leading=10.5, spaceAfter=0),
    }
