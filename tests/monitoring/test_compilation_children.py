"""The compilation's optional section "Children's views (child participation)": the Secretariat's
choice, after each question's replies, with small counts suppressed, in HTML, DOCX and PDF."""

import io
from html import escape

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from monitoring.compilation import compile_replies
from monitoring.compilation.render import render_docx, render_html, render_pdf
from monitoring.compilation.selectors import children_sections
from monitoring.models import Submission
from tests.factories import PartyFactory, build_round

from .children_data import contribution, quote

pytestmark = pytest.mark.django_db

HEADING = "Children's views (child participation) / Avis des enfants (participation des enfants)"
WORDS = "Teachers should tell us where to get help."


@pytest.fixture
def round_(party_a, party_b, officer):
    """Question 1: France's workshop (20 children, speaking to item 1.a) and Russia's (3), a cleared
    quote of France's; a submitted contribution and a quote with an open flag stay out."""
    round_ = build_round(parties=[party_a, party_b], number=2)
    item = round_.questions.get(ref="1.a")
    france = contribution(
        round=round_, party=party_a, by=officer, ages={"children_13_15": 20}, questions=[item]
    )
    contribution(round=round_, party=party_b, by=officer, ages={"children_10_12": 3}, questions=[item])
    quote(france, WORDS, by=officer, questions=[item])
    quote(france, "Not cleared yet.", by=officer, questions=[item], open_flag=True)
    pending = contribution(
        round=round_, party=party_b, by=officer, status=Submission.Status.SUBMITTED, questions=[item]
    )
    quote(pending, "Not registered yet.", by=officer, questions=[item])
    return round_


def _compile(round_, user, **options):
    return compile_replies(round=round_, user=user, **options)


def test_the_section_is_off_by_default(round_, officer):
    compilation = _compile(round_, officer)
    assert all(question.children is None for question in compilation.questions)
    assert escape(HEADING) not in render_html(compilation)


def test_the_section_follows_the_question_the_children_spoke_to(round_, officer):
    compilation = _compile(round_, officer, include_children=True)
    [first, *others] = compilation.questions
    assert first.ref == "1"
    assert all(question.children is None for question in others)
    counts = first.children.counts
    assert [row.label for row in counts.rows] == ["FRANCE", "RUSSIAN FEDERATION / FÉDÉRATION DE RUSSIE"]
    assert [row.cells[0].suppressed for row in counts.rows] == [True, True]  # 3, and 20 would give it away
    assert counts.total.value == 23 and not counts.total.suppressed
    assert [entry.text for entry in first.children.quotes] == [WORDS]


def test_a_state_user_may_not_ask_for_it(round_, coordinator_a):
    with pytest.raises(PermissionDenied):
        _compile(round_, coordinator_a, include_children=True)


def test_a_committee_member_may_not_ask_for_it(round_, committee_member):
    with pytest.raises(PermissionDenied):
        _compile(round_, committee_member, include_children=True)


def test_a_state_user_s_scope_holds_no_children_s_views(round_, coordinator_a):
    questions = list(round_.questions.all())
    roots = [question for question in questions if question.parent_id is None]
    assert children_sections(round=round_, questions=questions, roots=roots, user=coordinator_a) == {}


def test_a_state_user_s_compilation_has_no_such_section(round_, coordinator_a, officer):
    # The same material the Secretariat compiles with the section, compiled for a State.
    compilation = _compile(round_, coordinator_a)
    html = render_html(compilation)
    assert escape(HEADING) not in html and WORDS not in html


def test_html_marks_the_section_and_never_prints_a_small_count(round_, officer):
    html = render_html(_compile(round_, officer, include_children=True))
    assert escape(HEADING) in html
    assert "fewer than 5 / moins de 5" in html
    assert "<td>3</td>" not in html and "<td>20</td>" not in html
    assert WORDS in html
    assert "Not cleared yet." not in html and "Not registered yet." not in html


def test_docx_prints_the_section(round_, officer):
    document = docx.Document(io.BytesIO(render_docx(_compile(round_, officer, include_children=True))))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert HEADING in texts
    assert "FRANCE: fewer than 5 / moins de 5" in texts
    assert "Total / Total: 23" in texts or "Total: 23" in texts
    assert f"“{WORDS}”" in texts


def test_pdf_prints_the_section(round_, officer):
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(_compile(round_, officer, include_children=True))))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Children's views (child participation)" in text
    assert "where to get help" in text


def test_the_compilation_page_offers_and_applies_the_option(client_for, round_, officer):
    client = client_for(officer)
    assert "include_children" in client.get(reverse("monitoring:compilation", args=[2])).content.decode()
    response = client.get(
        reverse("monitoring:compilation", args=[2]),
        {"format": "html", "question": "1", "include_children": "on"},
    )
    assert escape(HEADING) in b"".join(response.streaming_content).decode()


def test_the_section_adds_a_fixed_number_of_queries(
    round_, officer, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(8) as few:
        _compile(round_, officer, include_children=True)
    item = round_.questions.get(ref="2.b")
    for index in range(5):
        party = PartyFactory()
        round_.parties.add(party)
        record = contribution(round=round_, party=party, by=officer, questions=[item])
        quote(record, f"Quote {index}", by=officer, questions=[item])
    with django_assert_num_queries(len(few.captured_queries)):
        _compile(round_, officer, include_children=True)
