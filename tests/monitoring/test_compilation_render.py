"""The compilation printed as HTML, DOCX and PDF, and reply Markdown flattened for DOCX and PDF."""

import io
import itertools

import docx
import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics

from monitoring.compilation import compile_replies, render_docx, render_html, render_pdf
from monitoring.compilation.blocks import Block, Kind, html_pieces, markdown_pieces
from monitoring.compilation.render import _break_lines, _break_runs, pdf_from_blocks, stream_html
from monitoring.models import Question, Reply, ReplyAttachment, Submission
from secretariat import printing
from tests.factories import (
    OrganisationFactory,
    PartyFactory,
    ReplyFactory,
    SubmissionFactory,
    UserFactory,
    build_round,
)

pytestmark = pytest.mark.django_db

FRENCH_TEXT = "Réponse de l’État : « protéger » les enfants – “toujours”."


@pytest.fixture
def germany():
    return PartyFactory(code="DEU", name_en="Germany", name_fr="Allemagne")


@pytest.fixture
def round(germany):
    return build_round(parties=[germany], number=2)


def reply(round, party, refs, text, *, organisation=None, status=Submission.Status.REGISTERED):
    submission = SubmissionFactory(round=round, party=party, organisation=organisation, status=status)
    questions = [Question.objects.get(round=round, ref=ref) for ref in refs]
    return ReplyFactory(submission=submission, questions=questions, text=text)


def compiled(round, **options):
    return compile_replies(round=round, question_ref="1", user=UserFactory(), **options)


@pytest.fixture
def compilation(round, germany):
    reply(round, germany, ["1.a", "1.b"], "The State's **reply**.\n\n- first measure\n- second measure")
    reply(
        round, germany, ["1"], FRENCH_TEXT, organisation=OrganisationFactory(name="La Strada", party=germany)
    )
    return compiled(round)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs)


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_a_standalone_document_with_the_headings_in_both_languages(compilation):
    html = render_html(compilation)

    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    for text in ("GERMANY / ALLEMAGNE", "State replies / Réponses de l&#x27;État", "Question 1.a., b."):
        assert text in html
    assert "Comments sent by / Commentaires envoyés par La Strada" in html


def test_html_renders_reply_markdown(compilation):
    html = render_html(compilation)

    assert "<strong>reply</strong>" in html
    assert "<li>first measure</li>" in html


def test_html_removes_scripts_and_event_handlers_from_replies(round, germany):
    reply(round, germany, ["1"], 'Hello <script>alert("x")</script><img src=x onerror="alert(1)"> world')

    html = render_html(compiled(round))

    assert "<script" not in html
    assert "onerror" not in html
    assert "Hello" in html


def test_html_of_a_draft_preview_is_marked(round, germany):
    reply(round, germany, ["1"], "Draft", status=Submission.Status.DRAFT)

    html = render_html(compiled(round, include_drafts=True))

    assert "DRAFT PREVIEW – not registered" in html
    assert "APERÇU PROVISOIRE – non enregistré" in html


def test_html_of_registered_replies_is_not_marked_as_draft(compilation):
    assert "DRAFT PREVIEW" not in render_html(compilation)


# --- DOCX --------------------------------------------------------------------------------------


def test_docx_opens_with_python_docx_and_holds_the_replies(compilation):
    text = docx_text(render_docx(compilation))

    for expected in (
        "GERMANY / ALLEMAGNE",
        "State replies / Réponses de l'État",
        "Question 1.a., b.",
        "The State's reply.",
        "first measure",
        "Comments sent by / Commentaires envoyés par La Strada",
        FRENCH_TEXT,
    ):
        assert expected in text


def test_docx_prints_markdown_lists_as_bullets(compilation):
    document = docx.Document(io.BytesIO(render_docx(compilation)))

    bullets = [p.text for p in document.paragraphs if p.style.name.startswith("List Bullet")]
    assert bullets == ["GERMANY / ALLEMAGNE", "first measure", "second measure"]


def test_docx_of_a_draft_preview_is_marked(round, germany):
    reply(round, germany, ["1"], "Draft", status=Submission.Status.DRAFT)

    assert "DRAFT PREVIEW – not registered" in docx_text(render_docx(compiled(round, include_drafts=True)))


def test_docx_survives_control_characters_in_a_reply(round, germany):
    reply(round, germany, ["1"], "Pasted\x0bfrom\x1a elsewhere")

    assert "Pasted from elsewhere" in docx_text(render_docx(compiled(round)))


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_is_a_pdf_holding_the_replies(compilation):
    content = render_pdf(compilation)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "The State's reply." in text
    assert "GERMANY / ALLEMAGNE" in text


def test_pdf_prints_french_accents_and_typographic_quotes(compilation):
    text = pdf_text(render_pdf(compilation))

    assert "Réponses de l'État" in text
    assert "“toujours”" in text
    assert "l’État" in text
    assert "–" in text


def test_pdf_of_a_draft_preview_is_marked(round, germany):
    reply(round, germany, ["1"], "Draft", status=Submission.Status.DRAFT)

    assert "DRAFT PREVIEW – not registered" in pdf_text(render_pdf(compiled(round, include_drafts=True)))


def test_pdf_prints_arrows_and_signs_as_written(round, germany):
    reply(round, germany, ["1"], "see → there, № 5, 100 ₽")

    assert "see → there, № 5, 100 ₽" in pdf_text(render_pdf(compiled(round)))


def test_pdf_of_a_compilation_without_replies_says_so(round):
    assert "No replies to compile." in pdf_text(render_pdf(compiled(round)))


# --- Markdown flattened ------------------------------------------------------------------------


def test_markdown_lists_become_bullets_with_their_depth():
    pieces = markdown_pieces("Intro\n\n- one\n- two\n    - nested")

    assert [(p.kind, p.text, p.depth) for p in pieces] == [
        ("paragraph", "Intro", 0),
        ("bullet", "one", 1),
        ("bullet", "two", 1),
        ("bullet", "nested", 2),
    ]


def test_markdown_links_keep_their_address():
    [piece] = markdown_pieces("See [the ministry](https://example.org/min) or https://example.org/x")

    assert piece.text == "See the ministry <https://example.org/min> or https://example.org/x"


def test_raw_html_in_a_reply_is_sanitised_before_flattening():
    pieces = markdown_pieces(
        "<p>Kept</p><script>alert(1)</script><table><tr><td>a</td><td>b</td></tr></table>"
    )

    assert [p.text for p in pieces] == ["Kept", "a | b"]


def test_markdown_line_breaks_are_kept():
    [piece] = markdown_pieces("line one  \nline two")

    assert piece.text == "line one\nline two"


def test_text_around_a_nested_list_stays_in_document_order():
    pieces = html_pieces("<ul><li>a<ul><li>b</li></ul>c</li></ul><!-- note --><p>d <em>e</em></p>")

    assert [(p.kind, p.text, p.depth) for p in pieces] == [
        ("bullet", "a", 1),
        ("bullet", "b", 2),
        ("bullet", "c", 1),
        ("paragraph", "d e", 0),
    ]


def test_html_holding_a_comment_only_has_no_pieces():
    assert html_pieces("<!-- nothing to print -->") == []


# --- stored renderings -------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["html", "docx", "pdf"])
def test_compilation_prints_the_stored_rendering_and_never_converts_markdown(
    round, germany, format, monkeypatch
):
    written = reply(round, germany, ["1"], "Markdown *source*")
    Reply.objects.filter(pk=written.pk).update(text_html="<p>Stored rendering</p>")
    monkeypatch.setattr("secretariat.text.render_markdown", lambda text: pytest.fail("Markdown converted"))
    monkeypatch.setattr(
        "monitoring.compilation.blocks.render_markdown", lambda text: pytest.fail("converted")
    )
    render = {
        "html": render_html,
        "docx": lambda c: docx_text(render_docx(c)),
        "pdf": lambda c: pdf_text(render_pdf(c)),
    }

    text = render[format](compiled(round))

    assert "Stored rendering" in text
    assert "source" not in text


def test_html_streams_one_question_at_a_time(round, germany):
    submission = SubmissionFactory(round=round, party=germany, status=Submission.Status.REGISTERED)
    ReplyFactory(
        submission=submission, questions=[Question.objects.get(round=round, ref="1")], text="first question"
    )
    ReplyFactory(
        submission=submission, questions=[Question.objects.get(round=round, ref="2")], text="second question"
    )
    compilation = compile_replies(round=round, user=UserFactory())

    pieces = list(stream_html(compilation))

    assert len(pieces) == 2 + len(compilation.questions)
    assert "first question" in pieces[1] and "second question" not in pieces[1]
    assert "".join(pieces) == render_html(compilation)


def test_docx_keeps_line_breaks_and_escapes_markup(round, germany):
    reply(round, germany, ["1"], "a < b & c  \nnext")

    document = docx.Document(io.BytesIO(render_docx(compiled(round))))

    assert "a < b & c\nnext" in [paragraph.text for paragraph in document.paragraphs]


def test_docx_headings_and_title_use_the_word_styles(compilation):
    document = docx.Document(io.BytesIO(render_docx(compilation)))

    styles = {paragraph.text: paragraph.style.name for paragraph in document.paragraphs}
    assert styles["LANZAROTE CONVENTION / CONVENTION DE LANZAROTE"] == "Title"
    assert styles["GERMANY / ALLEMAGNE"] in ("Heading 2", "List Bullet")
    assert styles["State replies / Réponses de l'État"] == "Heading 3"
    assert styles["Question 1.a., b."] == "Heading 4"
    assert document.core_properties.title == compilation.reference


def test_pdf_reply_longer_than_a_page_runs_on_to_the_next_with_every_word(round, germany):
    words = [f"word{number}" for number in range(3000)]
    reply(round, germany, ["1"], " ".join(words) + "\n\n- a bullet after it")

    reader = pypdf.PdfReader(io.BytesIO(render_pdf(compiled(round))))

    text = " ".join(page.extract_text() for page in reader.pages).split()
    assert len(reader.pages) >= 4
    assert [word for word in text if word.startswith("word")] == words
    assert "bullet" in text


def test_pdf_prints_reply_text_literally_never_as_markup(round, germany):
    reply(round, germany, ["1"], 'Typed `<b>bold</b>` and `#read("/etc/passwd")` and `<br/>`')

    text = pdf_text(render_pdf(compiled(round)))

    assert '<b>bold</b> and #read("/etc/passwd") and <br/>' in text


def test_pdf_prints_every_character_of_the_font_beyond_its_first_subset():
    # The first subset holds ASCII and 161 other characters; the rest go to further ones. Latin,
    # Greek and Cyrillic letters (the alphabets of the Parties), not combining marks alone.
    characters = [
        chr(c) for c in sorted(printing.fonts()) if 160 < c < 0x530 and c != 0xAD and not 0x2B0 <= c < 0x370
    ]
    assert len(characters) > 161

    text = pdf_text(pdf_from_blocks([Block(Kind.HTML, f"<p>{' '.join(characters)}</p>")]))

    assert [character for character in characters if character not in text] == []


def test_pdf_cuts_a_word_wider_than_the_column_and_prints_all_of_it(round, germany):
    reply(round, germany, ["1"], "before " + "x" * 400 + " after")

    text = pdf_text(render_pdf(compiled(round)))

    assert "".join(text.split()).count("x" * 400) == 1
    assert "before" in text and "after" in text


def test_pdf_lines_are_filled_greedily_within_the_column():
    printing.fonts()
    text = " ".join(f"word{n * 7919 % 1000}" + "s" * (n % 5) for n in range(400))
    width = 300

    lines = _break_lines(text, printing.REGULAR, 10, width)

    assert " ".join(lines).split() == text.split()
    assert all(pdfmetrics.stringWidth(line, printing.REGULAR, 10) <= width for line in lines)
    assert all(
        pdfmetrics.stringWidth(f"{line} {following.split()[0]}", printing.REGULAR, 10) > width
        for line, following in itertools.pairwise(lines)
    )


def test_pdf_lays_grouped_paragraphs_out_as_the_frame_lays_them_one_by_one(monkeypatch):
    blocks = []
    for number in range(60):
        blocks.append(Block(Kind.HEADING, f"Party {number}", level=2 + number % 3))
        paragraphs = (f"<p>{'word ' * (n * 7 % 45 + 1)}end{number}.{n}</p>" for n in range(8))
        blocks.append(Block(Kind.HTML, "<h4>Reply</h4>" + "<ul><li>item</li></ul>".join(paragraphs)))

    def pages(content: bytes) -> list[str]:
        return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]

    grouped = pages(pdf_from_blocks(blocks))
    monkeypatch.setattr("monitoring.compilation.render._grouped", lambda flowables: flowables)

    assert len(grouped) > 5
    assert grouped == pages(pdf_from_blocks(blocks))


# --- formatting, alphabets and attachments in every format -------------------------------------

FORMATTED = (
    "The State's **firm** reply, *in italics*.\n\n"
    "1. first step\n2. second step\n    - a detail\n\n"
    "| Year | Cases |\n|---|---|\n| 2016 | **31** |\n"
)
CYRILLIC = "Ответ Российской Федерации: «защита детей» — статья 38."


def test_stored_html_keeps_bold_and_italic_runs():
    [piece] = html_pieces("<p>plain <strong>bold</strong> and <em>italic <b>both</b></em>.</p>")

    assert piece.text == "plain bold and italic both."
    assert piece.runs == (("plain ", 0), ("bold", 1), (" and ", 0), ("italic ", 2), ("both", 3), (".", 0))


def test_stored_html_numbers_the_items_of_a_numbered_list():
    pieces = markdown_pieces("1. first\n2. second\n    - nested\n3. third")

    assert [(p.text, p.depth, p.number) for p in pieces] == [
        ("first", 1, 1),
        ("second", 1, 2),
        ("nested", 2, 0),
        ("third", 1, 3),
    ]


def test_stored_html_keeps_a_table_with_its_header_row():
    [table] = markdown_pieces("| Year | Cases |\n|---|---|\n| 2016 | **31** |")

    assert table.kind == "table"
    assert [[(cell.text, cell.header) for cell in row] for row in table.rows] == [
        [("Year", True), ("Cases", True)],
        [("2016", False), ("31", False)],
    ]
    assert table.rows[1][1].runs == (("31", 1),)


def test_docx_keeps_bold_and_italic(round, germany):
    reply(round, germany, ["1"], FORMATTED)

    document = docx.Document(io.BytesIO(render_docx(compiled(round))))

    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    assert any(run.text == "firm" and run.bold for run in runs)
    assert any(run.text == "in italics" and run.italic for run in runs)


def test_docx_prints_numbered_and_nested_lists_as_list_paragraphs(round, germany):
    reply(round, germany, ["1"], FORMATTED)

    document = docx.Document(io.BytesIO(render_docx(compiled(round))))

    listed = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("List")]
    assert ("List Paragraph", "1.\tfirst step") in listed
    assert ("List Paragraph", "2.\tsecond step") in listed
    assert ("List Bullet 2", "a detail") in listed


def test_docx_prints_a_table_as_a_word_table(round, germany):
    reply(round, germany, ["1"], FORMATTED)

    [table] = docx.Document(io.BytesIO(render_docx(compiled(round)))).tables

    assert [[cell.text for cell in row.cells] for row in table.rows] == [["Year", "Cases"], ["2016", "31"]]
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold


def test_pdf_prints_a_table_cell_a_numbered_item_and_a_bullet(round, germany):
    reply(round, germany, ["1"], FORMATTED + "\n- a bulleted point")

    text = " ".join(pdf_text(render_pdf(compiled(round))).split())  # a mark and its text: one line

    assert "2. second step" in text
    assert "• a bulleted point" in text
    assert "2016" in text and "31" in text
    assert "firm" in text and "in italics" in text


def test_pdf_prints_bold_and_italic_in_their_faces(round, germany):
    reply(round, germany, ["1"], FORMATTED)

    reader = pypdf.PdfReader(io.BytesIO(render_pdf(compiled(round))))

    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("DejaVuSans-Bold") for name in fonts)
    assert any(name.endswith("DejaVuSans-Oblique") for name in fonts)


def test_pdf_prints_a_cyrillic_reply_unchanged(round, germany):
    reply(round, germany, ["1"], CYRILLIC)

    assert CYRILLIC in pdf_text(render_pdf(compiled(round)))


def test_pdf_prints_greek_turkish_and_polish_letters_unchanged(round, germany):
    text = "Ελληνική Δημοκρατία; Türkiye Cumhuriyeti, ığşİ; Rzeczpospolita Polska, żółć"
    reply(round, germany, ["1"], text)

    assert text in pdf_text(render_pdf(compiled(round)))


def test_the_pdf_fonts_ship_with_the_project():
    folder = printing.FONT_FOLDER

    assert folder.is_relative_to(printing.Path(__file__).resolve().parents[2])
    assert {path.name for path in folder.glob("*.ttf")} >= {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
    assert (folder / "LICENSE").exists()


@pytest.fixture
def attached(round, germany):
    written = reply(round, germany, ["1"], "Statistics attached.")
    ReplyAttachment.objects.create(reply=written, file="attachments/2026/statistics-2016.xlsx")
    ReplyAttachment.objects.create(reply=written, file="attachments/2026/x.pdf", title="Ministry booklet")
    return compiled(round)


def test_html_lists_a_reply_attachments_with_their_links(attached):
    html = render_html(attached)

    assert "Attachments / Pièces jointes:" in html
    assert '<a href="/files/attachments/2026/statistics-2016.xlsx">statistics-2016.xlsx</a>' in html
    assert ">Ministry booklet</a>" in html


def test_docx_lists_a_reply_attachments(attached):
    text = docx_text(render_docx(attached))

    assert "Attachments / Pièces jointes:" in text
    assert "statistics-2016.xlsx" in text and "Ministry booklet" in text


def test_pdf_lists_a_reply_attachments(attached):
    text = pdf_text(render_pdf(attached))

    assert "Attachments / Pièces jointes:" in text
    assert "statistics-2016.xlsx" in text and "Ministry booklet" in text


def test_pdf_lines_of_bold_and_italic_text_stay_within_the_column():
    printing.fonts()
    runs = (*((f"word{n * 7919 % 1000} ", n % 4) for n in range(300)), ("end.", 0))
    width = 300

    lines = _break_runs(runs, 10, width)

    printed = " ".join("".join(text for _, text in line) for line in lines)
    assert printed.split() == "".join(text for text, _ in runs).split()
    assert all(
        sum(pdfmetrics.stringWidth(text, font, 10) for font, text in line) <= width + 0.01 for line in lines
    )
    assert {font for line in lines for font, _ in line} == {
        printing.REGULAR,
        printing.BOLD,
        printing.ITALIC,
        printing.BOLD_ITALIC,
    }


def test_pdf_prints_a_styled_word_wider_than_the_column_cut_as_plain_text(round, germany):
    reply(round, germany, ["1"], "before **" + "x" * 400 + "** after")

    text = pdf_text(render_pdf(compiled(round)))

    assert "".join(text.split()).count("x" * 400) == 1
