"""The fonts and the PDF styles every printed document shares (letters, a Party's case file, and
the feature apps' compilations, submissions and factsheets): DejaVu Sans, shipped in
secretariat/fonts/ (free licence, LICENSE beside them), so Cyrillic, Greek, Turkish, Polish …
print as written on any machine, with no system font.

DejaVu Sans is the free counterpart of Verdana (both from Bitstream Vera's design, same Latin
widths), the face of the Council of Europe's printed documents; the DOCX writers name Verdana,
which LibreOffice replaces by DejaVu Sans where Verdana is missing.

The feature apps print their own documents; the core cannot import their writers, so it keeps
the fonts and this small set of styles.
"""

import functools
import re
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
# reportlab's names of the family's faces, and their files
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    "DejaVuSans",
    "DejaVuSans-Bold",
    "DejaVuSans-Oblique",
    "DejaVuSans-BoldOblique",
)
_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
# The face the DOCX writers name (see above).
DOCX_FONT = "Verdana"
# The house colours: black text, the Council of Europe's dark blue for rules and banners' frames.
BLUE = colors.HexColor("#003366")
# XML 1.0 (DOCX) refuses these; texts pasted from other tools sometimes carry them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """The text without the control characters DOCX and PDF refuse."""
    return _CONTROL_CHARACTERS.sub("", text or "").replace("\u2028", "\n")


@functools.cache
def fonts() -> frozenset[int]:
    """Register the DejaVu Sans family once; return the code points it can print."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_FOLDER / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return frozenset(pdfmetrics.getFont(REGULAR).face.charToGlyph)


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup, characters the font lacks spelled in ASCII."""
    known = fonts()
    characters = []
    for character in clean(text):
        if ord(character) in known or character in "\n\t":
            characters.append(character)
        else:
            characters.append(unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode())
    return escape("".join(characters)).replace("\n", "<br/>")


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13.5, spaceAfter=6)
    bold = ParagraphStyle("bold", parent=body, fontName=BOLD)
    return {
        "body": body,
        "bold": bold,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=2),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "sender": ParagraphStyle("sender", parent=bold, fontSize=11, leading=14, textColor=BLUE),
        "title": ParagraphStyle("title", parent=bold, fontSize=16, leading=20, spaceAfter=10),
        "heading": ParagraphStyle(
            "heading", parent=bold, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6
        ),
        "subheading": ParagraphStyle("subheading", parent=bold, fontSize=11, leading=14, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=bold, fontSize=8.5, leading=10.5, spaceAfter=0),
    }
