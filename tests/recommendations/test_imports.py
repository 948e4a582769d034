"""Imports of recommendations and practices: all-or-nothing, with errors by line."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import MonitoringRound
from recommendations import imports
from recommendations.models import Chapter, FollowUp, Practice, Recommendation, Urgency
from secretariat import services as core_services
from secretariat.imports import ImportRejected
from tests.factories import RoundFactory

from .factories import ReportFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = "number,strength,addressees,articles,chapter,text\n"


@pytest.fixture
def report_2():
    core_services.load_reference_data()
    round_ = RoundFactory(number=2)
    round_.parties.set(MonitoringRound.default_parties())
    return ReportFactory(round=round_)


def _load(report, **kwargs):
    text = (FIXTURES / "recommendations_round2_cooperation.csv").read_text(encoding="utf-8")
    return imports.import_recommendations(report=report, text=text, **kwargs)


def test_the_19_cooperation_recommendations_are_imported_with_their_follow_ups(report_2):
    result = _load(report_2)
    assert result.created["recommendations"] == 19
    v17 = Recommendation.objects.get(number="V-17")
    assert v17.urgency == Urgency.REQUIRE
    assert sorted(v17.follow_ups.values_list("party__code", flat=True)) == sorted(
        ["AND", "BIH", "GEO", "LIE", "MCO", "MNE", "MKD", "NOR", "SMR", "TUR", "UKR"]
    )
    assert Recommendation.objects.get(number="V-3").follow_ups.count() == report_2.round.parties.count()
    assert FollowUp.objects.count() == result.created["follow-ups"]


def test_follow_up_deadline_depends_on_urgency(report_2):
    _load(report_2)
    assert (
        FollowUp.objects.filter(recommendation__number="V-17").first().deadline
        == report_2.deadline_require_request
    )
    assert FollowUp.objects.filter(recommendation__number="V-1").first().deadline == report_2.deadline_invite


def test_chapters_are_created_in_order_with_their_articles(report_2):
    _load(report_2)
    first = Chapter.objects.get(order=1)
    assert first.title_en == "General co-operation obligation"
    assert list(first.articles.values_list("number", flat=True)) == [38]
    assert Recommendation.objects.get(number="V-6").citations.get().short == "38(1)(a)"


def test_bad_rows_reject_the_whole_file_with_reasons(report_2):
    text = (
        HEADER
        + "R-1,requires,FRA,38(1),Chapter,Fine\n"
        + "R-1,requires,FRA,38(1),Chapter,Duplicate number\n"
        + "R-3,demands,FRA,38(1),Chapter,Unknown urgency\n"
        + "R-4,invites,XXX,38(1),Chapter,Unknown Party\n"
        + "R-5,invites,ALL,99(1),Chapter,Unknown article\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        imports.import_recommendations(report=report_2, text=text)
    assert rejected.value.errors == [
        "line 3: recommendation R-1 appears twice in report " + report_2.reference,
        "line 4: unknown urgency “demands” (expected requires, requests or invites)",
        "line 5: unknown Party code(s): XXX",
        "line 6: “99(1)” is not an article of the Convention such as 38(1)(a)",
    ]
    assert not Recommendation.objects.exists() and not Chapter.objects.exists()


def test_dry_run_writes_nothing(report_2):
    result = _load(report_2, dry_run=True)
    assert result.created["recommendations"] == 19
    assert not Recommendation.objects.exists() and not FollowUp.objects.exists()


def test_reimporting_the_same_numbers_is_refused(report_2):
    _load(report_2)
    with pytest.raises(ImportRejected, match="appears twice"):
        _load(report_2)
    assert Recommendation.objects.count() == 19


def test_practices_are_imported_with_states_outside_the_council_of_europe_kept_by_code():
    core_services.load_reference_data()
    result = imports.import_practices(text=(FIXTURES / "practices.csv").read_text(encoding="utf-8"))
    assert result.created["practices"] == 82
    b_bico = Practice.objects.get(title="Belgian Better Internet Consortium (B-BICO)")
    assert list(b_bico.parties.values_list("code", flat=True)) == ["BEL"]
    assert Practice.objects.filter(other_states__contains="USA").exists()
    assert b_bico.themes.exists() and b_bico.citations.get().short == "10"


def test_practice_with_a_code_that_is_no_state_is_refused():
    core_services.load_reference_data()
    text = "parties,title,text,articles,themes,source\nXYZ,Title,Text,,,src\n"
    with pytest.raises(ImportRejected, match="line 2: not ISO 3166-1 alpha-3 State code"):
        imports.import_practices(text=text)


def test_import_command_needs_the_report(tmp_path):
    RoundFactory(number=4)
    path = tmp_path / "recs.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(CommandError, match="needs exactly one implementation report"):
        call_command("import_data", "recommendations", str(path), "--round", "4")


def test_import_command_loads_practices(tmp_path, capsys):
    core_services.load_reference_data()
    call_command("import_data", "practices", str(FIXTURES / "practices.csv"), "--dry-run")
    assert "Would create 82 practices" in capsys.readouterr().out
    assert not Practice.objects.exists()


def test_changing_a_report_deadline_reaches_its_follow_ups(report_2):
    import datetime

    from recommendations import services

    _load(report_2)
    report_2.deadline_invite = datetime.date(2030, 1, 1)
    report_2.save()
    services.report_refresh_deadlines(report=report_2)
    assert set(
        FollowUp.objects.filter(recommendation__urgency="invite").values_list("deadline", flat=True)
    ) == {datetime.date(2030, 1, 1)}
    assert (
        FollowUp.objects.filter(recommendation__number="V-17").first().deadline
        == report_2.deadline_require_request
    )
