"""Imports and exports of themes, reports, recommendations, follow-up statuses and practices.

Every kind goes through `run_import`: all-or-nothing, errors naming line, column, value and
reason, rows already in the database reported unchanged (and nothing written), history kept,
and export -> import into a database without those records -> export giving the same file.
"""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import MonitoringRound
from recommendations import demo, resources, services
from recommendations.models import (
    AssessedStatus,
    Assessment,
    Chapter,
    Citation,
    FollowUp,
    ImplementationReport,
    Practice,
    Recommendation,
    Theme,
    Urgency,
)
from secretariat import services as core_services
from secretariat.imports import ImportRejected, RowError, open_source, run_import
from secretariat.models import ConventionArticle, Party
from tests.conftest import shared_records
from tests.factories import DocumentFactory, PartyFactory, RoundFactory

from .factories import PracticeFactory, RecommendationFactory, ReportFactory, ThemeFactory, build_report

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RECOMMENDATIONS = FIXTURES / "recommendations_round2_cooperation.csv"
RECOMMENDATION_HEADER = "report,number,strength,addressees,articles,chapter,text\n"
FOLLOW_UP_HEADER = "report,recommendation,party,deadline,assessed_status,reasoning\n"


def _import(kind: str, data: "str | Path", user=None, **options):
    source = open_source(data) if isinstance(data, Path) else open_source(data.encode("utf-8"), "file.csv")
    return run_import(kind, source, user=user, options=options)


def _rejected(kind: str, data: str, user=None, **options) -> list[RowError]:
    with pytest.raises(ImportRejected) as rejected:
        _import(kind, data, user, **options)
    return rejected.value.errors


def _export(resource_class, queryset, user=None) -> str:
    return resource_class(user=user).export(queryset).csv


def _article(number: int) -> ConventionArticle:
    return ConventionArticle.objects.get(number=number)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")]


@shared_records
def reference_data_loaded():
    """The Parties and the Convention articles of fixtures/, loaded once for the tests in a row
    (tests/conftest.py)."""
    core_services.load_reference_data()


@pytest.fixture
def reference(reference_data_loaded):
    """The Parties and the Convention articles of fixtures/."""


@pytest.fixture
def report_2(reference):
    round_ = RoundFactory(number=2)
    round_.parties.set(MonitoringRound.default_parties())
    return ReportFactory(round=round_, reference="R2")


@pytest.fixture
def recommendations_2(report_2, officer):
    _import("recommendations", RECOMMENDATIONS, officer, round=2)
    return report_2


# --- themes -----------------------------------------------------------------------------------


def test_themes_are_imported_by_slug_and_exported_in_the_same_layout(officer):
    report = _import("themes", "slug,name_en,name_fr\nprevention,Prevention,Prévention\n", officer)
    assert (report.new, Theme.objects.get(slug="prevention").name_fr) == (1, "Prévention")
    assert _export(resources.ThemeResource, Theme.objects.all()) == (
        "slug,name_en,name_fr\r\nprevention,Prevention,Prévention\r\n"
    )


# --- reports ----------------------------------------------------------------------------------

REPORT_HEADER = "reference,round,title_en,title_fr,adoption_date,deadline_require_request,deadline_invite\n"


def test_a_report_is_imported_with_its_round_and_dates(officer):
    RoundFactory(number=3)
    DocumentFactory(reference="T-ES(2025)01")
    _import(
        "reports",
        REPORT_HEADER.strip()
        + ",document\nR3,3,Report 3,Rapport 3,2025-03-12,2026-06-30,2027-06,T-ES(2025)01\n",
        officer,
    )
    report = ImplementationReport.objects.get(reference="R3")
    assert (report.round.number, report.title_fr, report.adoption_date) == (
        3,
        "Rapport 3",
        datetime.date(2025, 3, 12),
    )
    assert (report.deadline_invite, report.document.reference) == (datetime.date(2027, 6, 1), "T-ES(2025)01")


def test_a_report_of_an_unknown_round_is_refused_by_line_column_and_value(officer):
    RoundFactory(number=3)
    errors = _rejected("reports", REPORT_HEADER + "R3,3,Report,Rapport,,,\nR9,9,Report,Rapport,,,\n", officer)
    assert errors == [RowError(3, "round", "9", "unknown round “9”")]
    assert not ImplementationReport.objects.exists()


def test_changing_a_report_deadline_by_import_reaches_its_follow_ups(officer, party_a):
    report = build_report(parties=[party_a], recommendations=1)
    text = _export(resources.ImplementationReportResource, ImplementationReport.objects.all())
    _import("reports", text.replace("2026-06-30", "2030-01-01"), officer)
    assert FollowUp.objects.get().deadline == datetime.date(2030, 1, 1)
    assert report.history.latest().history_user == officer


def test_the_round_of_a_report_with_recommendations_cannot_change(officer, party_a):
    report = build_report(parties=[party_a], recommendations=1, number=5)
    RoundFactory(number=6)
    text = _export(resources.ImplementationReportResource, ImplementationReport.objects.all())
    errors = _rejected("reports", text.replace(",5,", ",6,"), officer)
    assert errors == [
        RowError(2, "round", "6", "the report has recommendations: its monitoring round cannot change")
    ]
    report.refresh_from_db()
    assert report.round.number == 5


def test_reports_round_trip(officer):
    round_ = RoundFactory(number=3)
    ReportFactory(round=round_, reference="R3-A", title_en='He said "yes"; =1+1', adoption_date=None)
    ReportFactory(round=round_, reference="R3-B", document=DocumentFactory(reference="DOC-1"))
    before = _export(resources.ImplementationReportResource, ImplementationReport.objects.order_by("pk"))
    ImplementationReport.objects.all().delete()

    assert _import("reports", before, officer).new == 2
    assert (
        _export(resources.ImplementationReportResource, ImplementationReport.objects.order_by("pk")) == before
    )
    assert _import("reports", before, officer).unchanged == 2


# --- recommendations --------------------------------------------------------------------------


def test_the_19_cooperation_recommendations_are_imported_with_their_follow_ups(report_2, officer):
    result = _import("recommendations", RECOMMENDATIONS, officer, round=2)
    assert (result.new, result.changed, result.unchanged) == (19, 0, 0)
    v17 = Recommendation.objects.get(number="V-17")
    assert v17.urgency == Urgency.REQUIRE and v17.report == report_2
    assert sorted(v17.follow_ups.values_list("party__code", flat=True)) == sorted(
        ["AND", "BIH", "GEO", "LIE", "MCO", "MNE", "MKD", "NOR", "SMR", "TUR", "UKR"]
    )
    assert Recommendation.objects.get(number="V-3").follow_ups.count() == report_2.round.parties.count()


def test_follow_up_deadline_depends_on_urgency(recommendations_2):
    report = recommendations_2
    assert (
        FollowUp.objects.filter(recommendation__number="V-17").first().deadline
        == report.deadline_require_request
    )
    assert FollowUp.objects.filter(recommendation__number="V-1").first().deadline == report.deadline_invite


def test_chapters_are_created_in_file_order_with_their_articles(recommendations_2):
    chapters = list(Chapter.objects.filter(report=recommendations_2))
    assert [(c.number, c.order) for c in chapters] == [(str(n), n) for n in range(1, len(chapters) + 1)]
    assert chapters[0].title_en == "General co-operation obligation"
    assert list(chapters[0].articles.values_list("number", flat=True)) == [38]
    assert Recommendation.objects.get(number="V-6").citations.get().short == "38(1)(a)"


def test_reimporting_the_file_leaves_every_row_unchanged_and_writes_nothing(recommendations_2, officer):
    with CaptureQueriesContext(connection) as queries:
        result = _import("recommendations", RECOMMENDATIONS, officer, round=2)
    assert (result.new, result.changed, result.unchanged) == (0, 0, 19)
    assert _writes(queries) == []


def test_the_round_option_needs_the_round_s_only_report(reference, officer):
    round_ = RoundFactory(number=4)
    text = "number,strength,addressees,chapter,text\nR-1,invites,ALL,C,T\n"
    errors = _rejected("recommendations", text, officer, round=4)
    assert "round 4 has no implementation report" in errors[0].reason
    ReportFactory(round=round_, reference="A")
    ReportFactory(round=round_, reference="B")
    errors = _rejected("recommendations", text, officer, round=4)
    assert "round 4 has 2 implementation reports (A, B): give the report" in errors[0].reason


def test_import_data_reads_the_fixture_into_the_round_s_report(report_2, officer, capsys):
    call_command("import_data", "recommendations", str(RECOMMENDATIONS), "--round", "2", "--user", "officer")
    assert "Created 19" in capsys.readouterr().out
    assert report_2.recommendations.count() == 19


def test_without_report_column_or_option_the_report_column_is_missing(reference, officer):
    errors = _rejected(
        "recommendations", "number,strength,addressees,chapter,text\nR-1,require,ALL,C,T\n", officer
    )
    assert errors == [RowError(1, "report", "", "missing column (or give --report)")]


def test_bad_rows_reject_the_whole_file_naming_line_column_value_and_reason(report_2, officer):
    text = (
        RECOMMENDATION_HEADER
        + "R2,R-1,requires,FRA,38(1),Chapter,Fine\n"
        + "R2,R-1,requires,FRA,38(1),Chapter,Duplicate number\n"
        + "R2,R-3,demands,FRA,38(1),Chapter,Unknown strength\n"
        + "R2,R-4,invites,XXX,38(1),Chapter,Unknown Party\n"
        + "R2,R-5,invites,ALL,99(1),Chapter,Unknown article\n"
        + "R2,R-6,invites,ALL;FRA,,Chapter,ALL and codes\n"
        + "R2,R-7,invites,ALL,,,No chapter\n"
        + "R2,R-8,invites,ALL,,Chapter,\n"
        + "XX,R-9,invites,ALL,,Chapter,Unknown report\n"
    )
    errors = _rejected("recommendations", text, officer)
    assert errors == [
        RowError(3, "number", "R-1", "the same report + number as line 2"),
        RowError(4, "strength", "demands", "expected one of require, request, invite"),
        RowError(5, "addressees", "XXX", "unknown Party code: XXX"),
        RowError(6, "articles", "99(1)", "“99(1)” is not an article of the Convention such as 38(1)(a)"),
        RowError(7, "addressees", "ALL;FRA", "ALL cannot be combined with Party codes"),
        RowError(8, "chapter", "", "the chapter is empty"),
        RowError(9, "text", "", "This field cannot be blank."),
        RowError(10, "report", "XX", "unknown implementation report “XX”"),
    ]
    assert not Recommendation.objects.exists() and not Chapter.objects.exists()
    assert not FollowUp.objects.exists()


def test_strength_is_read_in_both_forms_and_exported_as_stored(report_2, officer):
    _import(
        "recommendations",
        RECOMMENDATION_HEADER + "R2,R-1,invites,ALL,,C,T\nR2,R-2,request,FRA,,C,T\n",
        officer,
    )
    assert list(Recommendation.objects.values_list("urgency", flat=True)) == ["invite", "request"]
    exported = _export(resources.RecommendationResource, Recommendation.objects.all())
    assert [line.split(",")[2] for line in exported.splitlines()[1:]] == ["invite", "request"]


def test_a_changed_row_updates_the_recommendation_and_its_follow_ups(report_2, officer, party_a, party_b):
    _import("recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,FRA,38(1),C,Old text\n", officer)
    result = _import(
        "recommendations", RECOMMENDATION_HEADER + "R2,R-1,requires,RUS,20;38(2),C,New text\n", officer
    )
    assert (result.new, result.changed) == (0, 1)
    recommendation = Recommendation.objects.get()
    assert (recommendation.urgency, recommendation.text_en) == (Urgency.REQUIRE, "New text")
    assert [c.short for c in recommendation.citations.order_by("pk")] == ["20", "38(2)"]
    active = {f.party.code: f.active for f in recommendation.follow_ups.all()}
    assert active == {"FRA": False, "RUS": True}  # retired, never deleted
    assert recommendation.follow_ups.get(party=party_b).deadline == report_2.deadline_require_request


def test_a_changed_text_leaves_the_citations_in_place(report_2, officer):
    _import("recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,ALL,38(1);20,C,Old\n", officer)
    citations = list(Citation.objects.order_by("pk").values_list("pk", flat=True))
    _import("recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,ALL,38(1);20,C,New\n", officer)
    assert list(Citation.objects.order_by("pk").values_list("pk", flat=True)) == citations


def test_changing_only_the_order_of_a_list_is_no_change(report_2, officer, party_a, party_b):
    _import("recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,FRA;RUS,,C,T\n", officer)
    result = _import("recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,RUS;FRA,,C,T\n", officer)
    assert result.unchanged == 1


def test_the_import_records_who_and_why_in_the_history(report_2, officer):
    _import("recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,ALL,38(1),C,T\n", officer)
    for model in (Recommendation, Chapter, Citation):
        record = model.history.latest()
        assert (record.history_user, record.history_change_reason) == (officer, "imported from file.csv")


def test_the_french_titles_and_themes_are_optional_columns(report_2, officer):
    header = "report,number,strength,addressees,chapter,chapter_fr,text,text_fr,themes\n"
    _import(
        "recommendations",
        header + "R2,R-1,invites,ALL,Chapter,Chapitre,Text,Texte,governance;legislation\n",
        officer,
    )
    recommendation = Recommendation.objects.get()
    assert (recommendation.chapter.title_fr, recommendation.text_fr) == ("Chapitre", "Texte")
    assert sorted(recommendation.themes.values_list("slug", flat=True)) == ["governance", "legislation"]


def test_the_rows_of_a_chapter_must_agree_on_its_french_title(report_2, officer):
    header = "report,number,strength,addressees,chapter,chapter_fr,text\n"
    errors = _rejected(
        "recommendations", header + "R2,R-1,invites,ALL,C,Chapitre,T\nR2,R-2,invites,ALL,C,Autre,T\n", officer
    )
    assert errors == [
        RowError(3, "chapter_fr", "Autre", "line 2 gives chapter “C” the French title “Chapitre”")
    ]


def test_an_unknown_theme_is_refused(report_2, officer):
    errors = _rejected(
        "recommendations", RECOMMENDATION_HEADER.strip() + ",themes\nR2,R-1,invites,ALL,,C,T,nope\n"
    )
    assert errors == [RowError(2, "themes", "nope", "unknown theme: nope")]


def test_a_themes_option_gives_a_file_without_the_column_its_themes(report_2, officer):
    _import(
        "recommendations", RECOMMENDATION_HEADER + "R2,R-1,invites,ALL,,C,T\n", officer, themes="governance"
    )
    assert list(Recommendation.objects.get().themes.values_list("slug", flat=True)) == ["governance"]


def test_recommendations_round_trip(party_a, party_b, officer):
    report = build_report(parties=[party_a, party_b], recommendations=0)
    core_services.load_reference_data()
    themes = [ThemeFactory(slug="prevention"), ThemeFactory(slug="protection")]
    for index, addressees in enumerate([[party_a], [party_a, party_b], []]):
        recommendation = RecommendationFactory(
            chapter__report=report,
            chapter__title_fr=f"Chapitre {index}",
            urgency=[Urgency.REQUIRE, Urgency.INVITE, Urgency.REQUEST][index],
            addressed_to_all=not addressees,
            addressees=addressees,
            themes=themes[:index],
            text_en=f'Line one;\n"two" ={index}',
        )
        Citation.objects.create(recommendation=recommendation, article=_article(38), paragraph="(1)(a)")
        Citation.objects.create(recommendation=recommendation, article=_article(20), paragraph="")
    queryset = Recommendation.objects.order_by("pk")
    before = _export(resources.RecommendationResource, queryset)
    Recommendation.objects.all().delete()
    Chapter.objects.all().delete()

    assert _import("recommendations", before, officer).new == 3
    assert _export(resources.RecommendationResource, Recommendation.objects.order_by("pk")) == before
    assert _import("recommendations", before, officer).unchanged == 3


# --- follow-up statuses -------------------------------------------------------------------------


@pytest.fixture
def follow_ups(party_a, party_b):
    """Report "R7" of round 7 with two recommendations (R-1, R-2) addressed to France and Russia."""
    round_ = RoundFactory(number=7)
    round_.parties.set([party_a, party_b])
    report = ReportFactory(round=round_, reference="R7")
    for number in ("R-1", "R-2"):
        RecommendationFactory(chapter__report=report, number=number, addressed_to_all=True)
    return report


def test_a_changed_status_records_an_assessment_as_follow_up_assess_does(follow_ups, officer):
    result = _import("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,2026-06-30,partly,A draft law.\n", officer)
    assert (result.changed, result.unchanged) == (1, 0)
    follow_up = FollowUp.objects.get(recommendation__number="R-1", party__code="FRA")
    assessment = follow_up.assessments.get()
    assert (assessment.status, assessment.previous_status) == (
        AssessedStatus.PARTLY,
        AssessedStatus.NOT_ASSESSED,
    )
    assert (assessment.assessed_by, assessment.reasoning, assessment.published) == (
        officer,
        "A draft law.",
        False,
    )
    assert (follow_up.assessed_status, follow_up.assessed_at) == (
        AssessedStatus.PARTLY,
        assessment.assessed_at,
    )
    history = follow_up.history.latest()
    assert (history.history_user, history.history_change_reason) == (officer, "A draft law.")
    assert assessment.history.get().history_change_reason == "imported from file.csv"


def test_a_second_status_keeps_the_first_assessment(follow_ups, officer):
    _import("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,,partly,Begun.\n", officer)
    _import("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,,implemented,Done.\n", officer)
    latest, first = Assessment.objects.order_by("-pk")
    assert (latest.previous_status, first.status) == (AssessedStatus.PARTLY, AssessedStatus.PARTLY)


def test_a_changed_deadline_updates_the_follow_up_without_assessing_it(follow_ups, officer):
    _import("follow-ups", "report,recommendation,party,deadline\nR7,R-2,RUS,2031-01-31\n", officer)
    follow_up = FollowUp.objects.get(recommendation__number="R-2", party__code="RUS")
    assert (follow_up.deadline, follow_up.assessed_status) == (datetime.date(2031, 1, 31), "not_assessed")
    assert not Assessment.objects.exists()


def test_the_published_column_publishes_the_new_assessment(follow_ups, officer):
    header = FOLLOW_UP_HEADER.strip() + ",published\n"
    _import("follow-ups", header + "R7,R-1,FRA,,partly,Begun.,yes\n", officer)
    assert Assessment.objects.get().published is True


def test_a_row_naming_no_follow_up_is_refused_by_the_column_at_fault(follow_ups, officer, reference):
    errors = _rejected(
        "follow-ups",
        FOLLOW_UP_HEADER
        + "R9,R-1,FRA,,partly,Why.\n"
        + "R7,R-9,FRA,,partly,Why.\n"
        + "R7,R-1,XXX,,partly,Why.\n"
        + "R7,R-1,DEU,,partly,Why.\n",
        officer,
    )
    assert errors == [
        RowError(2, "report", "R9", "unknown implementation report “R9”"),
        RowError(3, "recommendation", "R-9", "report R7 has no recommendation “R-9”"),
        RowError(4, "party", "XXX", "unknown Party code “XXX”"),
        RowError(
            5,
            "party",
            "DEU",
            "recommendation R-1 is not addressed to DEU: it has no follow-up for this Party",
        ),
    ]


def test_the_assessment_rules_are_row_errors_and_nothing_is_written(follow_ups, officer):
    FollowUp.objects.filter(party__code="RUS", recommendation__number="R-2").update(active=False)
    errors = _rejected(
        "follow-ups",
        FOLLOW_UP_HEADER
        + "R7,R-1,FRA,2030-01-01,partly,Fine.\n"
        + "R7,R-1,RUS,,partly,\n"
        + "R7,R-2,FRA,,maybe,Why.\n"
        + "R7,R-2,RUS,,partly,Why.\n",
        officer,
    )
    assert errors == [
        RowError(3, "reasoning", "", "Give the reasoning of the assessment: it is required."),
        RowError(4, "assessed_status", "maybe", f"expected one of {', '.join(AssessedStatus.values)}"),
        RowError(5, "party", "RUS", "This Party is no longer addressed by the recommendation."),
    ]
    assert not Assessment.objects.exists()
    assert not FollowUp.objects.filter(deadline=datetime.date(2030, 1, 1)).exists()


def test_an_assessed_follow_up_cannot_go_back_to_not_assessed(follow_ups, officer):
    _import("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,,partly,Begun.\n", officer)
    errors = _rejected("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,,not_assessed,Undo.\n", officer)
    assert errors[0].column == "assessed_status" and "cannot go back" in errors[0].reason


def test_only_the_secretariat_assesses(follow_ups, coordinator_a):
    errors = _rejected("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,,partly,Begun.\n", coordinator_a)
    assert errors == [RowError(2, "", "", "Only the Secretariat records assessments.")]


def test_the_round_option_finds_the_report_of_the_follow_ups(follow_ups, officer):
    text = "recommendation,party,assessed_status,reasoning\nR-1,FRA,partly,Begun.\n"
    assert _import("follow-ups", text, officer, round=7).changed == 1


def test_a_report_of_another_round_than_the_option_is_refused(follow_ups, officer):
    RoundFactory(number=8)
    errors = _rejected("follow-ups", FOLLOW_UP_HEADER + "R7,R-1,FRA,,partly,Begun.\n", officer, round=8)
    assert errors == [RowError(2, "report", "R7", "this report is not of round 8")]


def test_a_dry_run_of_follow_ups_writes_nothing(follow_ups, officer):
    source = open_source((FOLLOW_UP_HEADER + "R7,R-1,FRA,2030-01-01,partly,Begun.\n").encode(), "file.csv")
    assert run_import("follow-ups", source, user=officer, dry_run=True).changed == 1
    assert not Assessment.objects.exists()
    assert not FollowUp.objects.filter(assessed_status="partly").exists()


def test_reimporting_follow_ups_leaves_every_row_unchanged_and_writes_nothing(follow_ups, officer):
    FollowUp.objects.update(deadline=datetime.date(2030, 1, 1))  # a deadline other than the report's
    services.follow_up_assess(
        follow_up=FollowUp.objects.first(), by=officer, status="partly", reasoning="Begun;\n“quoted”."
    )
    text = _export(resources.FollowUpResource, FollowUp.objects.all())
    with CaptureQueriesContext(connection) as queries:
        result = _import("follow-ups", text, officer)
    assert (result.changed, result.unchanged) == (0, 4)
    assert _writes(queries) == []


def test_follow_ups_round_trip(follow_ups, officer):
    first, second, *_others = FollowUp.objects.order_by("pk")
    services.follow_up_assess(follow_up=first, by=officer, status="partly", reasoning="Begun.")
    services.follow_up_assess(
        follow_up=first, by=officer, status="implemented", reasoning="Done.", published=True
    )
    services.follow_up_assess(follow_up=second, by=officer, status="no_information", reasoning="=Nothing")
    FollowUp.objects.filter(pk=second.pk).update(deadline=datetime.date(2029, 12, 31))
    before = _export(resources.FollowUpResource, FollowUp.objects.order_by("pk"))
    # The same follow-ups as the recommendations import opens them, without their statuses.
    Assessment.objects.all().delete()
    FollowUp.objects.update(assessed_status="not_assessed", assessed_at=None)
    services.report_refresh_deadlines(report=follow_ups)

    assert _import("follow-ups", before, officer).changed == 2
    assert _export(resources.FollowUpResource, FollowUp.objects.order_by("pk")) == before
    assert "implemented,Done.,yes" in before and "2029-12-31,no_information,=Nothing,no" in before


def test_the_bulk_assessment_service_saves_statuses_by_the_rules_of_follow_up_assess(follow_ups, officer):
    first, second, *_others = FollowUp.objects.order_by("pk")
    with pytest.raises(services.InvalidAssessment):
        services.follow_ups_assess_bulk(
            assessments=[
                services.PendingAssessment(first, "partly", "Begun."),
                services.PendingAssessment(second, "partly", " "),
            ],
            by=officer,
        )
    assert not Assessment.objects.exists()

    services.follow_ups_assess_bulk(
        assessments=[services.PendingAssessment(first, "partly", "Begun.")], by=officer
    )
    first.refresh_from_db()
    assert (first.assessed_status, first.history.latest().history_user) == ("partly", officer)


def _many_follow_ups(rows: int) -> str:
    parties = [PartyFactory() for _ in range(10)]
    report = build_report(parties=parties, recommendations=rows // 10)
    lines = [
        f"{report.reference},{follow_up.recommendation.number},{follow_up.party.code},,partly,Begun."
        for follow_up in FollowUp.objects.select_related("recommendation", "party")
    ]
    return FOLLOW_UP_HEADER + "\n".join(lines) + "\n"


@pytest.mark.parametrize("rows", [10, 200])
def test_the_follow_up_import_runs_no_query_per_row(rows, officer, django_assert_max_num_queries):
    text = _many_follow_ups(rows)
    # The reports and the Parties; the report's recommendations and follow-ups (with
    # their latest assessment); per batch of 1,000 rows: the assessments and their history, then
    # the follow-ups (one UPDATE ... FROM VALUES) and their history; 6 savepoints and releases;
    # the audit event; then the case of each (report, Party) pair once, a few queries each.
    with django_assert_max_num_queries(15 + 7 * 10):
        result = _import("follow-ups", text, officer)
    assert result.changed == rows
    assert Assessment.objects.count() == rows


# --- practices --------------------------------------------------------------------------------

PRACTICE_HEADER = "parties,title,text,articles,themes,source\n"


def test_practices_are_imported_with_states_outside_the_council_of_europe_kept_by_code(reference, officer):
    result = _import("practices", FIXTURES / "practices.csv", officer)
    assert result.new == Practice.objects.count() == 82
    b_bico = Practice.objects.get(title="Belgian Better Internet Consortium (B-BICO)")
    assert list(b_bico.parties.values_list("code", flat=True)) == ["BEL"]
    assert Practice.objects.filter(other_states__contains="USA").exists()
    assert b_bico.themes.exists() and b_bico.citations.get().short == "10"


def test_reimporting_the_practices_writes_nothing(reference, officer):
    _import("practices", FIXTURES / "practices.csv", officer)
    with CaptureQueriesContext(connection) as queries:
        result = _import("practices", FIXTURES / "practices.csv", officer)
    assert result.unchanged == 82
    assert _writes(queries) == []


def test_a_practice_with_a_code_that_is_no_state_is_refused(reference, officer):
    errors = _rejected("practices", PRACTICE_HEADER + "BEL;XYZ;usa,Title,Text,,,src\n", officer)
    assert errors == [RowError(2, "parties", "BEL;XYZ;usa", "not ISO 3166-1 alpha-3 State code(s): XYZ, usa")]
    assert not Practice.objects.exists()


def test_a_changed_practice_is_updated_with_its_history(reference, officer):
    _import("practices", PRACTICE_HEADER + "BEL,Title,Old,10,governance,src\n", officer)
    result = _import("practices", PRACTICE_HEADER + "FRA;JPN,Title,New,10,governance,src\n", officer)
    assert (result.new, result.changed) == (0, 1)
    practice = Practice.objects.get()
    assert (practice.text, practice.other_states) == ("New", "JPN")
    assert list(practice.parties.values_list("code", flat=True)) == ["FRA"]
    record = practice.history.latest()
    assert (record.history_user, record.text) == (officer, "New")


def test_practices_round_trip(reference, officer):
    round_ = RoundFactory(number=2)
    themes = [ThemeFactory(slug="governance"), ThemeFactory(slug="own-theme")]
    parties = list(Party.objects.order_by("code")[:2])
    for index in range(3):
        practice = PracticeFactory(
            title=f"+Practice {index}; “quoted”",
            text=f"Line one\nline two {index}",
            parties=parties[:index],
            themes=themes[:index],
            other_states="USA;JPN" if index == 2 else "",
            round=round_ if index else None,
            source_document=DocumentFactory() if index == 1 else None,
        )
        Citation.objects.create(practice=practice, article=_article(10), paragraph="(2)")
    before = _export(resources.PracticeResource, Practice.objects.order_by("pk"))
    Practice.objects.all().delete()

    assert _import("practices", before, officer).new == 3
    assert _export(resources.PracticeResource, Practice.objects.order_by("pk")) == before
    assert _import("practices", before, officer).unchanged == 3


# --- the demo ---------------------------------------------------------------------------------


def test_loading_the_demo_twice_changes_nothing(reference):
    RoundFactory(number=2).parties.set(MonitoringRound.default_parties())
    demo.load_report_2()
    assert Recommendation.objects.filter(themes__slug="international-cooperation").count() == 19
    lines = demo.load_report_2()
    assert all("Nothing to change" in line for line in lines)
