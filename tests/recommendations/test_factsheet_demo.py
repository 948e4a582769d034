"""The demo factsheet "Factsheet – International co-operation", from the Secretariat's own (seed 003)."""

import io

import docx
import pypdf
import pytest

from monitoring.models import MonitoringRound
from recommendations import demo, factsheet_demo
from recommendations.factsheet_render import render_docx, render_html, render_pdf
from recommendations.factsheets import build_factsheet
from recommendations.models import Factsheet, Practice
from secretariat.services import load_reference_data
from tests.conftest import shared_records
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db

PRACTICE = "Federal Criminal Police (BKA) liaison with foreign liaison officers (Germany)"


@shared_records
def demo_data():
    """Round 2's report with its 19 recommendations, the practices, and the factsheet (built once
    for the tests in a row: tests/conftest.py)."""
    load_reference_data()
    round = RoundFactory(number=2, status=MonitoringRound.Status.FOLLOW_UP)
    round.parties.set(MonitoringRound.default_parties())
    demo.load_report_2()
    factsheet_demo.load_cooperation_factsheet()


@pytest.fixture
def document(demo_data, officer):
    return build_factsheet(factsheet=Factsheet.objects.get(slug="international-cooperation"), user=officer)


def test_factsheet_follows_the_secretariat_s(document):
    assert document.title == "Factsheet – International co-operation"
    assert (
        document.article_heading
        == "Article 38 – General principles and measures for international co-operation"
    )
    assert document.introduction.startswith("Protecting children from sexual exploitation")
    assert [section.number for section in document.sections] == ["III", "IV", "V", "VI", "VII", "VIII"]
    assert document.sections[0].heading == "General co-operation obligation (Article 38(1))"


def test_sections_cite_their_chapter_s_recommendations(document):
    cited = [[note.recommendation.number for note in section.footnotes] for section in document.sections]
    assert cited[0] == ["V-1", "V-2", "V-3", "V-4", "V-5"]
    assert cited[4] == ["V-17", "V-18"]
    assert cited[5] == ["V-19"]
    assert sum(len(numbers) for numbers in cited) == 19


def test_all_nineteen_recommendations_close_the_factsheet(document):
    assert [r.number for r in document.recommendations] == [f"V-{n}" for n in range(1, 20)]
    v17 = document.recommendations[16]
    assert v17.urgency_label == "Require"
    assert v17.addressees.startswith("Andorra, Bosnia and Herzegovina")


def test_practices_are_the_factsheet_s_own_by_country(document):
    countries = [group.country for group in document.practices]
    assert countries[0] == "Denmark" and countries[-1] == "Other"
    assert document.practice_count == 7
    germany = next(group for group in document.practices if group.country == "Germany")
    assert [practice.title for practice in germany.practices] == [PRACTICE]


def test_a_practice_is_listed_under_the_party_that_reports_it_not_its_partners(document):
    # Romania reports European projects with Bulgaria, Italy and Spain: a Romanian practice.
    by_country = {group.country: [p.title for p in group.practices] for group in document.practices}
    assert "Bulgaria" not in by_country
    assert any(title.startswith("European projects") for title in by_country["Romania"])


def test_loading_again_changes_nothing(demo_data):
    factsheet_demo.load_cooperation_factsheet()
    sheet = Factsheet.objects.get(slug="international-cooperation")
    assert Factsheet.objects.count() == 1
    assert sheet.sections.count() == 6
    assert sheet.practices.count() == 7


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_demo_factsheet_renders_in_the_three_formats(document):
    html = render_html(document)
    word = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs)
    pdf = _pdf_text(render_pdf(document))
    for text in (html, word, pdf):
        assert "Recommendation V-17" in text
        assert PRACTICE in text


def test_loading_the_demo_again_renames_practices_loaded_under_their_seed_file_names(demo_data):
    count = Practice.objects.count()
    old, new = "003_439bdb46cbe148c3.txt", demo.OLD_SOURCE_NAMES["003_439bdb46cbe148c3.txt"]
    loaded_before = Practice.objects.filter(source__startswith=new)
    renamed = loaded_before.count()
    for practice in loaded_before:  # as a database loaded before December 2026 holds them
        Practice.objects.filter(pk=practice.pk).update(source=old + practice.source[len(new) :])

    demo.load_report_2()

    assert Practice.objects.count() == count
    assert Practice.objects.filter(source__startswith=new).count() == renamed > 0
    assert not Practice.objects.filter(source__startswith=old).exists()
