"""The titles of a report and of its chapters have translation statuses, counted before adoption."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from recommendations import drafting, services
from recommendations.models import Chapter, ImplementationReport, TranslationStatus

from .factories import ChapterFactory, ReportFactory
from .test_resources import RECOMMENDATION_HEADER, _import

pytestmark = pytest.mark.django_db

TO_TRANSLATE, TRANSLATED, REVISED = (
    TranslationStatus.TO_TRANSLATE,
    TranslationStatus.TRANSLATED,
    TranslationStatus.REVISED,
)
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def draft(report):
    """A report in preparation whose title is in both languages (translated)."""
    return ReportFactory(
        round=report.round, status=ImplementationReport.Status.IN_PREPARATION, reference="LC-DRAFT"
    )


@pytest.fixture
def untitled_chapter(draft):
    """A chapter whose French title is still to write."""
    return ChapterFactory(report=draft, number="V", title_fr="")


def _statuses(record) -> tuple[str, str]:
    record.refresh_from_db()
    return (record.translation_en, record.translation_fr)


def test_a_title_in_both_languages_is_translated(draft):
    assert _statuses(draft) == (TRANSLATED, TRANSLATED)


def test_a_chapter_without_its_french_title_is_to_translate(untitled_chapter):
    assert _statuses(untitled_chapter) == (TRANSLATED, TO_TRANSLATE)


def test_changing_the_english_title_marks_the_french_to_revise(draft):
    draft.title_en = "Implementation report on co-operation"
    draft.save()
    assert _statuses(draft) == (TRANSLATED, REVISED)


def test_untranslated_titles_are_left_to_translate(draft, untitled_chapter, officer):
    ChapterFactory(report=draft, number="VI")  # both titles: translated
    draft.title_en = "A new title"
    draft.save()
    left = drafting.left_to_translate(report=draft, user=officer)
    assert (left.report, left.chapters, left.count) == (draft, [untitled_chapter], 2)


def test_a_translated_report_has_nothing_left_to_translate(draft, officer):
    ChapterFactory(report=draft)
    assert drafting.left_to_translate(report=draft, user=officer).count == 0


def test_a_translator_marks_a_revised_title_still_right(draft, officer):
    draft.title_en = "A new title"
    draft.save()
    drafting.text_mark_translated(record=draft, language="fr", by=officer)
    assert _statuses(draft) == (TRANSLATED, TRANSLATED)
    assert draft.history.first().history_change_reason == "marked as translated"


def test_an_empty_chapter_title_cannot_be_marked_translated(untitled_chapter, officer):
    with pytest.raises(drafting.InvalidDraft):
        drafting.text_mark_translated(record=untitled_chapter, language="fr", by=officer)


def test_the_committee_does_not_mark_titles_translated(draft, committee_member):
    with pytest.raises(PermissionDenied):
        drafting.text_mark_translated(record=draft, language="fr", by=committee_member)


def test_an_untranslated_chapter_title_stops_the_adoption(draft, untitled_chapter, officer):
    with pytest.raises(ValidationError, match="1 text is left to translate"):
        services.report_adopt(report=draft, by=officer, adoption_date=DAY)
    assert not ImplementationReport.objects.get(pk=draft.pk).is_adopted


def test_the_secretariat_adopts_with_an_untranslated_title_giving_its_reason(
    draft, untitled_chapter, officer
):
    done = services.report_adopt(report=draft, by=officer, adoption_date=DAY, override_reason="Urgent.")
    assert done["left_to_translate"] == 1 and draft.untranslated_override_reason == "Urgent."


# --- the admin ------------------------------------------------------------------------------------


def test_the_report_page_shows_the_titles_statuses_side_by_side(client_for, draft, untitled_chapter, officer):
    page = client_for(officer).get(
        reverse("admin:recommendations_implementationreport_change", args=[draft.pk])
    )
    assert page.status_code == 200
    assert "field-translation_en" in page.text and "field-translation_fr" in page.text
    assert page.text.count("To translate") >= 1  # the chapter's French title, in the chapters' table


def test_the_left_to_translate_page_lists_the_titles(client_for, draft, untitled_chapter, officer):
    url = reverse("admin:recommendations_implementationreport_translation", args=[draft.pk])
    page = client_for(officer).get(url)
    assert 'id="titles-left"' in page.text and str(untitled_chapter) in page.text


def test_the_admin_marks_the_selected_chapters_titles_translated(client_for, draft, officer):
    chapter = ChapterFactory(report=draft)
    chapter.title_en = "A new title"
    chapter.save()
    response = client_for(officer).post(
        reverse("admin:recommendations_chapter_changelist"),
        {"action": "mark_fr_translated", "_selected_action": [chapter.pk]},
        follow=True,
    )
    assert "1 text marked as translated." in response.text
    assert _statuses(chapter) == (TRANSLATED, TRANSLATED)


def test_the_admin_marks_a_report_s_title_translated(client_for, draft, officer):
    draft.title_fr = "Un nouveau titre"
    draft.save()
    client_for(officer).post(
        reverse("admin:recommendations_implementationreport_changelist"),
        {"action": "mark_en_translated", "_selected_action": [draft.pk]},
    )
    assert _statuses(draft) == (TRANSLATED, TRANSLATED)


# --- imports --------------------------------------------------------------------------------------


def test_an_imported_report_in_both_languages_is_translated(officer, report):
    _import(
        "reports",
        f"reference,round,title_en,title_fr\nLC-IMPORTED,{report.round.number},A report,Un rapport\n",
        officer,
    )
    assert _statuses(ImplementationReport.objects.get(reference="LC-IMPORTED")) == (TRANSLATED, TRANSLATED)


def test_an_import_changing_a_report_s_english_title_marks_the_french_to_revise(officer, report):
    row = "reference,round,title_en,title_fr\n{ref},{round},{title},Un rapport\n"
    values = {"ref": "LC-IMPORTED", "round": report.round.number}
    _import("reports", row.format(**values, title="A report"), officer)
    _import("reports", row.format(**values, title="A better report"), officer)
    assert _statuses(ImplementationReport.objects.get(reference="LC-IMPORTED")) == (TRANSLATED, REVISED)


def test_an_imported_chapter_without_its_french_title_is_to_translate(report, officer):
    _import(
        "recommendations",
        RECOMMENDATION_HEADER + f"{report.reference},R-1,requires,FRA,,Chapter X,Do it\n",
        officer,
    )
    assert _statuses(Chapter.objects.get(title_en="Chapter X")) == (TRANSLATED, TO_TRANSLATE)


def test_an_imported_chapter_with_its_french_title_is_translated(report, officer):
    header = RECOMMENDATION_HEADER.strip() + ",chapter_fr\n"
    _import(
        "recommendations",
        header + f"{report.reference},R-1,requires,FRA,,Chapter X,Do it,Chapitre X\n",
        officer,
    )
    assert _statuses(Chapter.objects.get(title_en="Chapter X")) == (TRANSLATED, TRANSLATED)
