"""The factsheet admin: sections inline, links to read and download, scoped like every admin."""

import pytest
from django.urls import reverse

from recommendations.models import Factsheet

from .factories import RecommendationFactory
from .test_factsheet import FactsheetFactory, FactsheetSectionFactory

pytestmark = pytest.mark.django_db


def _form(report, chapter, recommendation, **fields):
    data = {
        "title_en": "Factsheet – Victims",
        "title_fr": "",
        "slug": "victims",
        "report": report.pk,
        "chapter": chapter.pk,
        "theme": "",
        "introduction_en": "Introduction.",
        "introduction_fr": "",
        "article": "",
        "article_text": "",
        "sections-TOTAL_FORMS": 1,
        "sections-INITIAL_FORMS": 0,
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
        "sections-0-order": 1,
        "sections-0-heading_en": "Complaints",
        "sections-0-heading_fr": "",
        "sections-0-text_en": "Findings.",
        "sections-0-text_fr": "",
        "sections-0-recommendations": [recommendation.pk],
    }
    return {**data, **fields}


def test_officer_adds_a_factsheet_with_a_section_citing_a_recommendation(
    client_for, officer, report, chapter
):
    recommendation = RecommendationFactory(chapter=chapter, number="V-17")
    response = client_for(officer).post(
        reverse("admin:recommendations_factsheet_add"), _form(report, chapter, recommendation)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    section = Factsheet.objects.get(slug="victims").sections.get()
    assert list(section.recommendations.values_list("number", flat=True)) == ["V-17"]


def test_change_page_shows_sections_and_links_to_read_and_download(client_for, officer, report):
    sheet = FactsheetFactory(slug="victims", report=report)
    FactsheetSectionFactory(factsheet=sheet, heading_en="Complaints")
    text = client_for(officer).get(reverse("admin:recommendations_factsheet_change", args=[sheet.pk])).text
    assert "Complaints" in text
    for link in (
        "/factsheets/victims/",
        "/factsheets/victims/?format=docx",
        "/factsheets/victims/?format=pdf",
    ):
        assert f'href="{link}"' in text


def test_committee_member_reads_the_changelist_with_download_links(client_for, committee_member, report):
    FactsheetFactory(slug="victims", report=report)
    response = client_for(committee_member).get(reverse("admin:recommendations_factsheet_changelist"))
    assert response.status_code == 200
    assert 'href="/factsheets/victims/?format=pdf"' in response.text


def test_changelist_runs_a_fixed_number_of_queries(
    client_for, officer, report, chapter, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(officer)
    url = reverse("admin:recommendations_factsheet_changelist")
    FactsheetFactory(report=report, chapter=chapter)
    # Allowed: session, user, the user's and groups' permissions, the theme filter's choices,
    # the count, the page of factsheets with report, chapter and theme.
    with django_assert_max_num_queries(7) as few:
        assert client.get(url).status_code == 200
    for _ in range(20):
        FactsheetFactory(report=report, chapter=chapter)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
