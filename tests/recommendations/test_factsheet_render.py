"""A factsheet printed as HTML, DOCX and PDF (recommendations/factsheet_render.py)."""

import io

import docx
import pypdf
import pytest

from monitoring.compilation.blocks import Kind
from recommendations.factsheet_render import factsheet_blocks, render_docx, render_html, render_pdf
from recommendations.factsheets import build_factsheet
from secretariat.text import render_markdown

from .factories import PracticeFactory, RecommendationFactory
from .test_factsheet import FactsheetFactory, FactsheetSectionFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    'Findings <script>alert("x")</script> and [a link](javascript:alert(1)) <img src=x onerror=alert(2)>'
)


@pytest.fixture
def document(report, chapter, party_a, officer):
    recommendation = RecommendationFactory(
        chapter=chapter,
        number="V-17",
        text_en="The Committee requires France to ensure that victims may make a complaint.",
        addressees=[party_a],
    )
    sheet = FactsheetFactory(
        report=report, chapter=chapter, title_en="Factsheet – International co-operation"
    )
    FactsheetSectionFactory(
        factsheet=sheet,
        heading_en="Complaints in the State of residence",
        text_en=HOSTILE,
        recommendations=[recommendation],
    )
    sheet.practices.set(
        [PracticeFactory(title="Bilateral co-operation on cross-border care", parties=[party_a])]
    )
    return build_factsheet(factsheet=sheet, user=officer)


def test_html_is_a_standalone_page_with_every_part(document):
    html = render_html(document)
    assert html.startswith("<!DOCTYPE html>")
    for text in (
        "Factsheet – International co-operation",
        "Lanzarote Committee monitoring findings on:",
        "Table of contents",
        "I. Introduction",
        "“Require”",
        "II. Complaints in the State of residence",
        "Recommendation V-17",
        "The Committee requires France to ensure that victims may make a complaint.",
        "Bilateral co-operation on cross-border care",
        "(Require)",
    ):
        assert text in html


def test_html_sanitises_the_texts(document):
    html = render_html(document)
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "Findings" in html


def test_footnote_links_to_the_recommendation_in_the_list(document):
    html = render_html(document)
    assert 'href="#recommendation-V-17"' in html
    assert 'id="recommendation-V-17"' in html


def test_blocks_carry_the_stored_sanitised_html_of_the_texts(document):
    blocks = factsheet_blocks(document)
    assert blocks[0].kind == Kind.TITLE
    assert any(block.kind == Kind.HTML and block.text == render_markdown(HOSTILE) for block in blocks)
    assert not any(block.kind == Kind.MARKDOWN for block in blocks)
    assert not any("<script" in block.text or "onerror" in block.text for block in blocks)
    assert any(block.text == "[1] Recommendation V-17." for block in blocks)


def test_docx_opens_and_holds_the_texts(document):
    word = docx.Document(io.BytesIO(render_docx(document)))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert word.core_properties.title == "Factsheet – International co-operation"
    assert "The Committee requires France to ensure that victims may make a complaint. [1]" in text
    assert "[1] Recommendation V-17." in text
    assert "Bilateral co-operation on cross-border care" in text
    assert "alert" not in text


def test_pdf_holds_a_recommendation_text(document):
    content = render_pdf(document)
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "victims may make a complaint" in text
    assert "Recommendation V-17" in text
