"""Imports of questionnaires and replies: all-or-nothing, with errors by line."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from monitoring import imports
from monitoring.models import MonitoringRound, Question, Reply, Submission
from secretariat import services as core_services
from secretariat.models import Organisation
from tests.factories import RoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = "party,respondent_kind,respondent,question_refs,language,text\n"


@pytest.fixture
def round_2(secretariat_admin):
    core_services.load_reference_data()
    round_ = RoundFactory(number=2)
    round_.parties.set(MonitoringRound.default_parties())
    imports.import_questionnaire(round=round_, text=(FIXTURES / "questionnaire_round2.csv").read_text())
    return round_


def test_questionnaire_builds_the_tree_of_round_2(round_2):
    assert round_2.sections.count() == 4
    assert round_2.questions.count() == 118
    item = round_2.questions.get(ref="1.1.a")
    assert (item.kind, item.parent.ref, item.parent.parent.ref, item.section.title_fr) == (
        "item",
        "1.1",
        "1",
        "Prévention",
    )
    assert round_2.questions.filter(kind="request").count() == 7


def test_questionnaire_keeps_the_order_of_the_file(round_2):
    refs = list(round_2.questions.values_list("ref", flat=True)[:4])
    assert refs == ["1", "1.1", "1.1.a", "1.1.b"]


def test_questionnaire_with_an_orphan_row_is_rejected(secretariat_admin):
    round_ = RoundFactory()
    text = "ref,parent,section,kind,text_en\n1,,Prevention,question,Q\n2.1,2,Prevention,subquestion,Orphan\n"
    with pytest.raises(imports.ImportRejected, match="line 3: parent 2 is not defined"):
        imports.import_questionnaire(round=round_, text=text)
    assert not Question.objects.exists()


def test_russian_replies_are_imported_as_a_registered_submission(round_2, secretariat_admin):
    report = imports.import_replies(
        round=round_2, text=(FIXTURES / "replies_round2_RUS.csv").read_text(), by=secretariat_admin
    )
    assert report.created == {"submissions": 1, "replies": 37}
    submission = Submission.objects.get(party__code="RUS")
    assert submission.status == Submission.Status.REGISTERED
    assert submission.registered_by == secretariat_admin
    first = submission.replies.order_by("order").first()
    assert first.refs_label == "1.1, 1.2"
    assert submission.transitions.get().comment == "Imported from a file"


def test_a_bad_row_rejects_the_whole_file_with_line_numbers(round_2, secretariat_admin):
    text = (
        HEADER
        + 'RUS,state,Russian Federation,1.1,en,"Fine\nover two lines"\n'
        + "XXX,state,Nowhere,1.2,en,Unknown Party\n"
        + "RUS,state,Russian Federation,99.9,en,Unknown question\n"
        + "RUS,state,Russian Federation,1.3,de,German\n"
    )
    with pytest.raises(imports.ImportRejected) as rejected:
        imports.import_replies(round=round_2, text=text, by=secretariat_admin)
    assert rejected.value.errors == [
        "line 4: unknown Party code “XXX”",
        "line 5: question ref(s) not in round 2: 99.9",
        "line 6: language must be en or fr, not “de”",
    ]
    assert not Reply.objects.exists() and not Submission.objects.exists()


def test_unknown_stakeholder_is_created_and_reported(round_2, secretariat_admin):
    text = HEADER + "UKR,stakeholder,La Strada – Ukraine,16.1,en,Comment on co-operation\n"
    report = imports.import_replies(round=round_2, text=text, by=secretariat_admin)
    assert report.notes == ["line 2: created the organisation “La Strada – Ukraine”"]
    submission = Submission.objects.get()
    assert submission.organisation.name == "La Strada – Ukraine"
    assert submission.consent_to_publication is False


def test_dry_run_writes_nothing(round_2, secretariat_admin):
    text = HEADER + "UKR,stakeholder,La Strada – Ukraine,16.1,en,Comment\n"
    report = imports.import_replies(round=round_2, text=text, by=secretariat_admin, dry_run=True)
    assert report.created == {"organisations": 1, "submissions": 1, "replies": 1}
    assert not Submission.objects.exists() and not Organisation.objects.exists()


def test_existing_submission_is_never_overwritten(round_2, secretariat_admin):
    SubmissionFactory(round=round_2, party=round_2.parties.get(code="RUS"))
    text = HEADER + "RUS,state,Russian Federation,1.1,en,New text\n"
    with pytest.raises(imports.ImportRejected, match="already has a submission"):
        imports.import_replies(round=round_2, text=text, by=secretariat_admin)


def test_import_command_reports_errors_and_writes_nothing(round_2, secretariat_admin, tmp_path):
    bad = tmp_path / "replies.csv"
    bad.write_text(HEADER + "RUS,state,Russian Federation,1.1,xx,Text\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: language must be en or fr"):
        call_command("import_data", "replies", str(bad), "--round", "2")
    assert not Reply.objects.exists()


def test_import_command_dry_run_then_real(round_2, secretariat_admin, tmp_path, capsys):
    path = tmp_path / "replies_round2_RUS.csv"
    shutil.copy(FIXTURES / "replies_round2_RUS.csv", path)
    call_command("import_data", "replies", str(path), "--round", "2", "--dry-run")
    assert "Would create 1 submissions, 37 replies (dry run: nothing written)" in capsys.readouterr().out
    assert not Reply.objects.exists()
    call_command("import_data", "replies", str(path), "--round", "2")
    assert Reply.objects.count() == 37


def test_import_command_refuses_an_unknown_round(tmp_path):
    with pytest.raises(CommandError, match="no monitoring round 7"):
        call_command("import_data", "replies", str(tmp_path / "x.csv"), "--round", "7")


def test_imported_replies_are_recorded_with_their_author(round_2, secretariat_admin):
    text = HEADER + "RUS,state,Russian Federation,1.1,en,Text\n"
    imports.import_replies(round=round_2, text=text, by=secretariat_admin)
    assert {record.history_user for record in Reply.history.all()} == {secretariat_admin}
