"""Each language of a finding or a recommendation has a translation status that follows the texts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from recommendations import drafting
from recommendations.models import ImplementationReport, Recommendation, TranslationStatus

from .factories import ChapterFactory, RecommendationFactory, ReportFactory
from .test_resources import RECOMMENDATION_HEADER, _import

pytestmark = pytest.mark.django_db

TO_TRANSLATE, TRANSLATED, REVISED = (
    TranslationStatus.TO_TRANSLATE,
    TranslationStatus.TRANSLATED,
    TranslationStatus.REVISED,
)


@pytest.fixture
def draft_chapter(report):
    draft = ReportFactory(
        round=report.round, status=ImplementationReport.Status.IN_PREPARATION, reference="LC-DRAFT"
    )
    return ChapterFactory(report=draft, number="V")


@pytest.fixture
def finding(draft_chapter, officer):
    return drafting.finding_create(chapter=draft_chapter, by=officer, text_en="Few Parties reply.")


def _write(finding, officer, **texts):
    for name, value in texts.items():
        setattr(finding, name, value)
    drafting.finding_save(finding=finding, by=officer)
    finding.refresh_from_db()
    return (finding.translation_en, finding.translation_fr)


def test_a_text_written_in_english_only_is_to_translate_into_french(finding):
    assert (finding.translation_en, finding.translation_fr) == (TRANSLATED, TO_TRANSLATE)


def test_writing_the_french_translates_it_and_leaves_the_english_alone(finding, officer):
    assert _write(finding, officer, text_fr="Peu de Parties répondent.") == (TRANSLATED, TRANSLATED)


def test_changing_the_english_marks_the_french_to_revise(finding, officer):
    _write(finding, officer, text_fr="Peu de Parties répondent.")
    assert _write(finding, officer, text_en="Few Parties reply in time.") == (TRANSLATED, REVISED)


def test_revising_the_french_after_a_change_brings_both_up_to_date(finding, officer):
    _write(finding, officer, text_fr="Peu de Parties répondent.")
    _write(finding, officer, text_en="Few Parties reply in time.")
    assert _write(finding, officer, text_fr="Peu de Parties répondent à temps.") == (TRANSLATED, TRANSLATED)


def test_a_change_of_the_french_source_marks_the_english_to_revise(finding, officer):
    _write(finding, officer, text_fr="Peu de Parties répondent.")
    assert _write(finding, officer, text_fr="Peu de Parties répondent, dit le Comité.") == (
        REVISED,
        TRANSLATED,
    )


def test_an_emptied_text_is_to_translate_again(finding, officer):
    _write(finding, officer, text_fr="Peu de Parties répondent.")
    assert _write(finding, officer, text_fr="") == (TRANSLATED, TO_TRANSLATE)


def test_a_translator_marks_a_revised_text_still_right(finding, officer):
    _write(finding, officer, text_fr="Peu de Parties répondent.")
    _write(finding, officer, text_en="Few Parties reply.\n")
    drafting.text_mark_translated(record=finding, language="fr", by=officer)
    finding.refresh_from_db()
    assert (finding.translation_en, finding.translation_fr) == (TRANSLATED, TRANSLATED)
    assert finding.history.first().history_user == officer


def test_an_empty_text_cannot_be_marked_translated(finding, officer):
    with pytest.raises(drafting.InvalidDraft):
        drafting.text_mark_translated(record=finding, language="fr", by=officer)


def test_the_committee_does_not_mark_translations(finding, committee_member):
    with pytest.raises(PermissionDenied):
        drafting.text_mark_translated(record=finding, language="en", by=committee_member)


def test_the_admin_marks_the_selected_findings_translated(client_for, finding, officer):
    _write(finding, officer, text_fr="Peu de Parties répondent.")
    _write(finding, officer, text_en="Few Parties reply in time.")
    response = client_for(officer).post(
        reverse("admin:recommendations_finding_changelist"),
        {"action": "mark_fr_translated", "_selected_action": [finding.pk]},
        follow=True,
    )
    finding.refresh_from_db()
    assert "1 text marked as translated." in response.text
    assert finding.translation_fr == TRANSLATED


def test_saving_only_a_text_also_writes_the_statuses(recommendation):
    recommendation.text_en = "A new English text."
    recommendation.save(update_fields=["text_en"])
    recommendation.refresh_from_db()
    assert (recommendation.translation_en, recommendation.translation_fr) == (TRANSLATED, REVISED)


def test_an_imported_recommendation_in_both_languages_is_translated(report, officer):
    _import(
        "recommendations",
        RECOMMENDATION_HEADER.strip()
        + ",text_fr\n"
        + f"{report.reference},R-1,requires,FRA,,Chapter,Do it,Faites-le\n",
        officer,
    )
    imported = Recommendation.objects.get(number="R-1")
    assert (imported.translation_en, imported.translation_fr) == (TRANSLATED, TRANSLATED)


def test_an_import_changing_the_english_marks_the_french_to_revise(report, officer):
    header = RECOMMENDATION_HEADER.strip() + ",text_fr\n"
    _import(
        "recommendations", header + f"{report.reference},R-1,requires,FRA,,Chapter,Do it,Faites-le\n", officer
    )
    _import(
        "recommendations",
        header + f"{report.reference},R-1,requires,FRA,,Chapter,Do it now,Faites-le\n",
        officer,
    )
    changed = Recommendation.objects.get(number="R-1")
    assert (changed.translation_en, changed.translation_fr) == (TRANSLATED, REVISED)


# --- left to translate ----------------------------------------------------------------------------


def test_what_is_left_to_translate_in_a_report(finding, draft_chapter, officer):
    done = drafting.finding_create(chapter=draft_chapter, by=officer, text_en="Done.", text_fr="Fait.")
    untranslated = RecommendationFactory(chapter=draft_chapter, text_fr="")
    RecommendationFactory(chapter=draft_chapter)  # both languages: translated
    left = drafting.left_to_translate(report=draft_chapter.report, user=officer)
    assert left.findings == [finding] and done not in left.findings
    assert left.recommendations == [untranslated]


@pytest.mark.parametrize("count", [1, 15])
def test_the_left_to_translate_page_runs_a_fixed_number_of_queries(
    client_for, officer, draft_chapter, django_assert_max_num_queries, count
):
    for _ in range(count):
        drafting.finding_create(chapter=draft_chapter, by=officer, text_en="To translate.")
        RecommendationFactory(chapter=draft_chapter, text_fr="")
        ChapterFactory(report=draft_chapter.report, title_fr="")
    url = reverse("admin:recommendations_implementationreport_translation", args=[draft_chapter.report_id])
    client = client_for(officer)
    # session, user, the report (with its round), the chapters, the findings (chapters joined),
    # the recommendations (chapters joined), savepoints and the admin's bookkeeping
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("To translate") >= count


def test_the_left_to_translate_page_of_a_report_out_of_scope_answers_404(client_for, officer):
    url = reverse("admin:recommendations_implementationreport_translation", args=[999999])
    assert client_for(officer).get(url).status_code == 404
