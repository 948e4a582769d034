"""Recommendations, updates, assessments, practices and factsheets keep their stored HTML and
excerpts in step on every write path (services, portal, admin, imports), and the pages read them
instead of rendering the Markdown again (secretariat/rendering.py)."""

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.factsheet_render import factsheet_blocks, render_html
from recommendations.factsheets import build_factsheet
from recommendations.models import (
    AssessedStatus,
    Assessment,
    Factsheet,
    FactsheetSection,
    FollowUpUpdate,
    Practice,
    Recommendation,
    ReportedStatus,
)
from secretariat.exports import export_dataset
from tests.secretariat.dataset import build_dataset, empty_database
from tests.secretariat.test_rendering import assert_fresh, stale_renderings
from tests.secretariat.test_round_trip import _import_all

from .factories import PracticeFactory
from .test_factsheet import FactsheetFactory, FactsheetSectionFactory
from .test_factsheet_admin import _form as factsheet_form
from .test_followup_admin import _recommendation_form

pytestmark = pytest.mark.django_db

STORED = "<p>Stored <strong>rendering</strong></p>"


def _assess(follow_up, officer, reasoning="The *law* is adopted.", **fields):
    return services.follow_up_assess(
        follow_up=follow_up, by=officer, status=AssessedStatus.IMPLEMENTED, reasoning=reasoning, **fields
    )


# --- writes ---------------------------------------------------------------------------------------


def test_an_update_sent_in_the_portal_stores_its_rendering(client_for, coordinator_a, follow_up_a):
    url = reverse("follow_up:detail", args=[follow_up_a.pk])
    data = {"text": "The *Criminal Code* was amended.", "reported_status": "done", "links": ""}
    assert client_for(coordinator_a).post(url, data).status_code == 302
    update = FollowUpUpdate.objects.get()
    assert_fresh(update)
    assert update.text_excerpt == "The Criminal Code was amended."


def test_an_assessment_stores_the_rendering_of_its_reasoning(officer, follow_up_a):
    assessment = _assess(follow_up_a, officer)
    assert_fresh(assessment)
    assert Assessment.objects.get().reasoning_html == "<p>The <em>law</em> is adopted.</p>"


def test_assessments_recorded_in_bulk_store_their_renderings(officer, follow_up_a, follow_up_b):
    pending = [
        services.PendingAssessment(
            follow_up, AssessedStatus.PARTLY, f"Reasoning of **{follow_up.party.code}**."
        )
        for follow_up in (follow_up_a, follow_up_b)
    ]
    for assessment in services.follow_ups_assess_bulk(assessments=pending, by=officer):
        assert_fresh(assessment)
    assert Assessment.objects.filter(reasoning_html="<p>Reasoning of <strong>FRA</strong>.</p>").exists()


def test_a_recommendation_edited_in_the_admin_stores_its_renderings(client_for, officer, chapter, party_a):
    form = _recommendation_form(chapter, text_en="The *Committee* requires.", text_fr="Le **Comité**.")
    response = client_for(officer).post(reverse("admin:recommendations_recommendation_add"), form)
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(number="V-17")
    assert_fresh(recommendation)
    assert recommendation.text_html_fr == "<p>Le <strong>Comité</strong>.</p>"
    assert recommendation.text_excerpt_en == "The Committee requires."


def test_a_factsheet_edited_in_the_admin_stores_its_renderings(
    client_for, officer, report, chapter, recommendation
):
    form = factsheet_form(
        report,
        chapter,
        recommendation,
        introduction_en="An *introduction*.",
        **{"sections-0-text_en": "**Findings**."},
    )
    response = client_for(officer).post(reverse("admin:recommendations_factsheet_add"), form)
    assert response.status_code == 302
    factsheet = Factsheet.objects.get(slug="victims")
    assert_fresh(factsheet)
    assert_fresh(factsheet.sections.get())
    assert factsheet.sections.get().text_html_en == "<p><strong>Findings</strong>.</p>"


@pytest.mark.django_db
def test_every_import_kind_stores_the_renderings_of_its_texts(secretariat_admin, tmp_path):
    build_dataset(size=3)
    files = export_dataset(secretariat_admin, "csv")
    empty_database(keep=secretariat_admin)

    _import_all(files, "csv", secretariat_admin, tmp_path)

    assert stale_renderings() == {}
    for model, field in [
        (Recommendation, "text_html_en"),
        (Assessment, "reasoning_html"),
        (Practice, "text_html"),
    ]:
        assert model.objects.exclude(**{field: ""}).exists(), model


# --- reads ----------------------------------------------------------------------------------------


def test_the_compliance_report_shows_the_stored_renderings(client_for, officer, recommendation, follow_up_a):
    _assess(follow_up_a, officer)
    Assessment.objects.update(reasoning_html=STORED)
    Recommendation.objects.update(text_html_en="<p>Stored recommendation</p>")
    page = (
        client_for(officer).get(reverse("recommendations_compliance_report", args=[recommendation.pk])).text
    )
    assert STORED in page
    assert "<p>Stored recommendation</p>" in page


def test_the_party_profile_shows_the_stored_reasoning(client_for, officer, party_a, follow_up_a):
    _assess(follow_up_a, officer)
    Assessment.objects.update(reasoning_html=STORED)
    page = client_for(officer).get(reverse("recommendations_party_profile", args=[party_a.code])).text
    assert STORED in page


def test_the_portal_follow_up_shows_the_stored_renderings(client_for, officer, coordinator_a, follow_up_a):
    services.update_submit(
        follow_up=follow_up_a, by=coordinator_a, text="A law.", reported_status=ReportedStatus.DONE
    )
    _assess(follow_up_a, officer, published=True)
    FollowUpUpdate.objects.update(text_html="<p>Stored update</p>")
    Assessment.objects.update(reasoning_html="<p>Stored reasoning</p>")
    Recommendation.objects.update(
        text_html_en="<p>Stored recommendation</p>", text_excerpt_en="Stored excerpt"
    )
    client = client_for(coordinator_a)
    page = client.get(reverse("follow_up:detail", args=[follow_up_a.pk])).text
    for stored in ("<p>Stored update</p>", "<p>Stored reasoning</p>", "<p>Stored recommendation</p>"):
        assert stored in page
    assert "Stored excerpt" in client.get(reverse("follow_up:list")).text


def test_the_practice_search_shows_the_stored_html(client_for, officer):
    PracticeFactory(title="Helpline")
    Practice.objects.update(text_html=STORED)
    assert STORED in client_for(officer).get(reverse("factsheets:practices")).text


def test_the_admin_lists_show_the_stored_excerpts(
    client_for, officer, recommendation, coordinator_a, follow_up_a
):
    services.update_submit(
        follow_up=follow_up_a, by=coordinator_a, text="A law.", reported_status=ReportedStatus.DONE
    )
    _assess(follow_up_a, officer)
    Recommendation.objects.update(text_excerpt_en="Stored recommendation excerpt")
    FollowUpUpdate.objects.update(text_excerpt="Stored update excerpt", text_html="<p>Stored update</p>")
    Assessment.objects.update(
        reasoning_excerpt="Stored reasoning excerpt", reasoning_html="<p>Stored reasoning</p>"
    )
    client = client_for(officer)
    assert (
        "Stored recommendation excerpt"
        in client.get(reverse("admin:recommendations_recommendation_changelist")).text
    )
    follow_up_page = client.get(reverse("admin:recommendations_followup_change", args=[follow_up_a.pk])).text
    assert "Stored update excerpt" in follow_up_page
    assert "Stored reasoning excerpt" in follow_up_page
    update = FollowUpUpdate.objects.get()
    assert (
        "<p>Stored update</p>"
        in client.get(reverse("admin:recommendations_followupupdate_change", args=[update.pk])).text
    )
    assessment = Assessment.objects.get()
    assert (
        "<p>Stored reasoning</p>"
        in client.get(reverse("admin:recommendations_assessment_change", args=[assessment.pk])).text
    )


def test_a_factsheet_prints_the_stored_renderings(officer, report, chapter):
    sheet = FactsheetFactory(report=report, chapter=chapter, introduction_en="Introduction.")
    FactsheetSectionFactory(factsheet=sheet, text_en="Findings.")
    Factsheet.objects.update(introduction_html_en=STORED)
    FactsheetSection.objects.update(text_html_en="<p>Stored findings</p>")
    document = build_factsheet(factsheet=sheet, user=officer)
    html = render_html(document)
    assert STORED in html and "<p>Stored findings</p>" in html
    assert {STORED, "<p>Stored findings</p>"} <= {block.text for block in factsheet_blocks(document)}
