"""The rounds and questionnaire import kinds, and the replies fixture imported into that questionnaire."""

import itertools
from pathlib import Path

import pytest

from monitoring.models import MonitoringRound, Question, Reply, Section, Submission
from monitoring.resources import QuestionnaireResource, RoundResource
from secretariat import cases
from secretariat.imports import ImportRejected, open_source, run_import
from tests.factories import PartyFactory, RoundFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROUNDS_HEADER = "number,title_en,title_fr,theme_en,theme_fr,launch_date,reply_deadline,status,parties\n"
QUESTIONS_HEADER = "round,ref,parent,section,kind,text_en\n"


def _import(kind: str, text: str, user, name: str = "file.csv", **kwargs):
    return run_import(kind, open_source(text.encode(), name), user=user, **kwargs)


def _counts(report) -> tuple[int, int, int]:
    return report.new, report.changed, report.unchanged


def _round_row(number=3, status="preparation", parties="FRA;RUS", launch="2026-01-15", deadline="2026-06-30"):
    return f"{number},Round {number},Cycle {number},Theme,Thème,{launch},{deadline},{status},{parties}\n"


@pytest.fixture
def round_2(officer, party_a, party_b):
    """Round 2 with the questionnaire of fixtures/questionnaire_round2.csv (the file gives no round)."""
    round_ = RoundFactory(number=2)
    round_.parties.set([party_a, party_b])
    run_import(
        "questionnaire",
        open_source(FIXTURES / "questionnaire_round2.csv"),
        user=officer,
        options={"round": 2},
    )
    return round_


# --- rounds ---------------------------------------------------------------------------------


def test_a_rounds_file_creates_the_round_with_its_parties(officer, party_a, party_b):
    report = _import("rounds", ROUNDS_HEADER + _round_row(parties="RUS; FRA"), officer, "rounds.csv")
    assert _counts(report) == (1, 0, 0)
    round_ = MonitoringRound.objects.get(number=3)
    assert (round_.title_fr, round_.status, str(round_.reply_deadline)) == (
        "Cycle 3",
        "preparation",
        "2026-06-30",
    )
    assert sorted(party.code for party in round_.parties.all()) == ["FRA", "RUS"]


def test_a_new_round_without_a_parties_column_takes_the_parties_to_the_convention(officer, party_a):
    PartyFactory(lanzarote_status="signed")
    _import("rounds", "number,title_en,title_fr,theme_en,theme_fr\n3,R,C,T,T\n", officer)
    assert list(MonitoringRound.objects.get(number=3).parties.all()) == [party_a]


def test_round_history_records_who_imported_it_and_from_which_file(officer, party_a, party_b):
    _import("rounds", ROUNDS_HEADER + _round_row(), officer, "rounds.csv")
    record = MonitoringRound.objects.get(number=3).history.earliest()
    assert (record.history_user, record.history_change_reason) == (officer, "imported from rounds.csv")


def test_round_errors_name_line_column_value_and_reason_and_nothing_is_written(officer, party_a, party_b):
    text = (
        ROUNDS_HEADER
        + _round_row(number=3)
        + _round_row(number=4, status="ongoing")
        + _round_row(number=5, parties="FRA;XXX", launch="15/01/2026")
        + _round_row(number="five")
    )
    with pytest.raises(ImportRejected) as rejected:
        _import("rounds", text, officer)
    messages = rejected.value.messages
    assert (
        "line 3, column status, value “ongoing”: expected one of " + ", ".join(MonitoringRound.Status.values)
        in messages
    )
    assert "line 4, column parties, value “FRA;XXX”: unknown Party code: XXX" in messages
    assert "line 4, column launch_date, value “15/01/2026”: expected a date such as 2019-10-01" in messages
    assert "line 5, column number, value “five”: expected a round number such as 2" in messages
    assert not MonitoringRound.objects.exists()


def test_a_reply_deadline_before_the_launch_is_refused(officer, party_a, party_b):
    with pytest.raises(ImportRejected, match=r"column reply_deadline.*before the launch date"):
        _import("rounds", ROUNDS_HEADER + _round_row(launch="2026-07-01", deadline="2026-06-30"), officer)


def test_a_file_moves_a_round_forward(officer, party_a, party_b):
    _import("rounds", ROUNDS_HEADER + _round_row(status="preparation"), officer)
    report = _import("rounds", ROUNDS_HEADER + _round_row(status="collecting"), officer)
    assert _counts(report) == (0, 1, 0)
    assert MonitoringRound.objects.get(number=3).status == "collecting"


def test_a_file_does_not_move_a_round_back(officer, party_a, party_b):
    _import("rounds", ROUNDS_HEADER + _round_row(status="analysis"), officer)
    with pytest.raises(ImportRejected) as rejected:
        _import("rounds", ROUNDS_HEADER + _round_row(status="collecting"), officer)
    assert rejected.value.messages == [
        "line 2, column status, value “collecting”: round 3 is at “analysis”; "
        "a file moves a round forward only (move it back in the admin)"
    ]
    assert MonitoringRound.objects.get(number=3).status == "analysis"


def test_a_party_with_a_submission_stays_in_the_round(officer, party_a, party_b):
    _import("rounds", ROUNDS_HEADER + _round_row(parties="FRA;RUS"), officer)
    SubmissionFactory(round=MonitoringRound.objects.get(number=3), party=party_b)
    with pytest.raises(ImportRejected, match="RUS already answered round 3"):
        _import("rounds", ROUNDS_HEADER + _round_row(parties="FRA"), officer)


def test_reimporting_a_rounds_file_changes_nothing(officer, party_a, party_b):
    text = ROUNDS_HEADER + _round_row(number=3) + _round_row(number=4, parties="")
    _import("rounds", text, officer)
    history = MonitoringRound.history.count()
    report = _import("rounds", text, officer)
    assert _counts(report) == (0, 0, 2)
    assert MonitoringRound.history.count() == history


# --- questionnaire: the fixture -------------------------------------------------------------


def test_the_fixture_questionnaire_builds_the_tree_of_round_2(round_2):
    assert list(round_2.sections.values_list("order", "title_en", "title_fr")) == [
        (1, "Prevention", "Prévention"),
        (2, "Protection", "Protection"),
        (3, "Prosecution", "Poursuites"),
        (4, "Co-operation", "Coopération"),
    ]
    assert round_2.questions.count() == 118
    item = round_2.questions.get(ref="1.1.a")
    assert (item.kind, item.parent.ref, item.parent.parent.ref, item.section.title_en) == (
        "item",
        "1.1",
        "1",
        "Prevention",
    )
    assert round_2.questions.filter(kind="request").count() == 7


def test_the_questionnaire_follows_the_order_of_the_file(round_2):
    orders = list(round_2.questions.order_by("order").values_list("order", "ref")[:4])
    assert orders == [(1, "1"), (2, "1.1"), (3, "1.1.a"), (4, "1.1.b")]


def test_reimporting_the_fixture_questionnaire_changes_nothing(round_2, officer):
    history = Question.history.count()
    report = run_import(
        "questionnaire",
        open_source(FIXTURES / "questionnaire_round2.csv"),
        user=officer,
        options={"round": 2},
    )
    assert _counts(report) == (0, 0, 118)
    assert (Question.history.count(), report.notes) == (history, [])


def test_questionnaire_history_records_who_imported_it_and_from_which_file(round_2, officer):
    record = Question.objects.get(round=round_2, ref="1.1").history.get()
    assert (record.history_user, record.history_change_reason) == (
        officer,
        "imported from questionnaire_round2.csv",
    )
    assert Section.objects.get(title_en="Prevention").history.get().history_user == officer


# --- questionnaire: errors ------------------------------------------------------------------


def test_questionnaire_errors_name_line_column_value_and_reason(officer):
    RoundFactory(number=3)
    text = (
        QUESTIONS_HEADER
        + "3,1,,Prevention,question,Fine\n"
        + "3,2.1,2,Prevention,subquestion,Parent defined below\n"
        + "3,2,,Prevention,question,Two\n"
        + "3,2.a,,Prevention,item,No parent\n"
        + "3,3,1,Prevention,question,A question under another\n"
        + "3,4,,,poem,Bad kind and no section\n"
        + "9,1,,Prevention,question,Unknown round\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        _import("questionnaire", text, officer)
    assert rejected.value.messages == [
        "line 3, column parent, value “2”: 2 is neither on a row above nor a question of round 3",
        "line 5, column parent: only questions have no parent; give the ref of the node above this item",
        "line 6, column parent, value “1”: a question (kind question) has no parent",
        "line 7, column section: the section is empty",
        "line 7, column kind, value “poem”: expected one of question, subquestion, item, request",
        "line 8, column round, value “9”: unknown monitoring round “9”",
    ]


def test_a_child_of_a_bad_row_points_at_that_row(officer):
    RoundFactory(number=3)
    text = QUESTIONS_HEADER + "3,1,,Prevention,poem,Bad kind\n3,1.a,1,Prevention,item,Child\n"
    with pytest.raises(ImportRejected) as rejected:
        _import("questionnaire", text, officer)
    assert "line 3, column parent, value “1”: the row of 1 (line 2) has errors" in rejected.value.messages


def test_a_bad_row_rejects_the_whole_questionnaire(officer):
    RoundFactory(number=3)
    text = QUESTIONS_HEADER + "3,1,,Prevention,question,Fine\n3,1.a,1,Prevention,item,\n"
    with pytest.raises(ImportRejected, match="line 3, column text_en: This field cannot be blank"):
        _import("questionnaire", text, officer)
    assert not Question.objects.exists() and not Section.objects.exists()


def test_the_same_ref_twice_in_a_file_is_refused(officer):
    RoundFactory(number=3)
    text = QUESTIONS_HEADER + "3,1,,Prevention,question,One\n3,1,,Prevention,question,Again\n"
    with pytest.raises(
        ImportRejected, match="line 3, column ref, value “1”: the same round \\+ ref as line 2"
    ):
        _import("questionnaire", text, officer)


def test_a_question_cannot_go_under_its_own_sub_question(officer, party_a):
    round_ = build_round(parties=[party_a])
    text = QUESTIONS_HEADER + f"{round_.number},1,1.a,Section 1,subquestion,Loop\n"
    with pytest.raises(
        ImportRejected, match=r"column parent, value “1\.a”: 1\.a is under 1: that would make a loop"
    ):
        _import("questionnaire", text, officer)


def test_a_parent_may_be_a_question_already_in_the_round(officer, party_a):
    round_ = build_round(parties=[party_a])
    report = _import(
        "questionnaire", QUESTIONS_HEADER + f"{round_.number},1.c,1,Section 1,item,Third\n", officer
    )
    assert _counts(report) == (1, 0, 0)
    assert Question.objects.get(ref="1.c").parent.ref == "1"


# --- questionnaire: changes -----------------------------------------------------------------


def test_a_changed_question_is_updated_and_the_others_left_alone(round_2, officer):
    export = QuestionnaireResource().export(QuestionnaireResource().get_queryset()).csv
    changed = export.replace("self-generated sexual content?", "self-generated sexual material?", 1)
    report = _import("questionnaire", changed, officer, "corrected.csv")
    assert _counts(report) == (0, 1, 117)
    question = Question.objects.get(round=round_2, ref="1.1.b")
    assert question.text_en == "self-generated sexual material?"
    assert question.history.latest().history_change_reason == "imported from corrected.csv"


def test_a_file_of_french_texts_adds_them(round_2, officer):
    text = "ref,text_fr,section,section_fr\n1,Activités de sensibilisation,Prevention,Prévention (partie I)\n"
    report = _import("questionnaire", text, officer, options={"round": 2})
    assert _counts(report) == (0, 1, 0)
    question = Question.objects.get(round=round_2, ref="1")
    assert (question.text_fr, question.section.title_fr) == (
        "Activités de sensibilisation",
        "Prévention (partie I)",
    )


def test_a_section_gets_one_french_title_per_file(round_2, officer):
    text = "ref,section,section_fr\n1,Prevention,Prévention\n2,Prevention,Prévenir\n"
    with pytest.raises(ImportRejected, match=r"line 3, column section_fr.*line 2 gives the section"):
        _import("questionnaire", text, officer, options={"round": 2})


def test_a_question_inserted_in_the_file_takes_its_place(round_2, officer):
    export = QuestionnaireResource().export(QuestionnaireResource().get_queryset()).csv
    lines = export.split("\r\n")
    position = next(i for i, line in enumerate(lines) if line.startswith("2,1.1.b,"))
    lines.insert(position + 1, "2,1.1.c,1.1,Prevention,Prévention,item,self-generated videos?,")
    report = _import("questionnaire", "\r\n".join(lines), officer)
    assert _counts(report) == (1, 0, 118)
    refs = list(round_2.questions.order_by("order").values_list("ref", flat=True)[:6])
    assert refs == ["1", "1.1", "1.1.a", "1.1.b", "1.1.c", "1.2"]
    assert report.notes == ["round 2: 114 question(s) renumbered to follow the file's order"]


# --- questionnaire: a round that has submissions --------------------------------------------


@pytest.fixture
def answered(round_2, party_b):
    SubmissionFactory(round=round_2, party=party_b)
    return round_2


def test_the_text_of_an_answered_questionnaire_is_not_changed_by_a_file(answered, officer):
    text = QUESTIONS_HEADER + "2,1.1.a,1.1,Prevention,item,Changed\n"
    with pytest.raises(ImportRejected) as rejected:
        _import("questionnaire", text, officer)
    assert rejected.value.messages == [
        "line 2, column text_en, value “Changed”: round 2 has 1 submission(s): its questionnaire is not "
        "changed by a file (only a missing French text may be added)"
    ]


def test_no_question_is_added_to_an_answered_questionnaire(answered, officer):
    text = QUESTIONS_HEADER + "2,1.1.c,1.1,Prevention,item,New\n"
    with pytest.raises(ImportRejected, match=r"line 2, column ref.*no question is added"):
        _import("questionnaire", text, officer)


def test_an_answered_questionnaire_keeps_its_order(answered, officer):
    text = "ref,section\n1.1.b,Prevention\n1.1.a,Prevention\n"
    with pytest.raises(ImportRejected, match=r"line 3, column ref, value “1\.1\.a”: .* keep their order"):
        _import("questionnaire", text, officer, options={"round": 2})


def test_a_missing_french_text_may_still_be_added(answered, officer):
    report = _import(
        "questionnaire", "ref,text_fr\n1.1.a,images autoproduites\n", officer, options={"round": 2}
    )
    assert _counts(report) == (0, 1, 0)
    assert Question.objects.get(round=answered, ref="1.1.a").text_fr == "images autoproduites"


def test_the_unchanged_questionnaire_of_an_answered_round_imports_as_unchanged(answered, officer):
    report = run_import(
        "questionnaire",
        open_source(FIXTURES / "questionnaire_round2.csv"),
        user=officer,
        options={"round": 2},
    )
    assert _counts(report) == (0, 0, 118)


# --- export and import ----------------------------------------------------------------------


def _export() -> tuple[str, str]:
    return (
        RoundResource().export(RoundResource().get_queryset()).csv,
        QuestionnaireResource().export(QuestionnaireResource().get_queryset()).csv,
    )


def test_export_import_export_gives_the_same_files(officer, party_a, party_b):
    build_round(parties=[party_a, party_b], number=7)
    other = build_round(parties=[party_b], number=8, sections=1)
    Question.objects.filter(round=other, ref="1.a").update(text_en="=SUM(A1) “quoted”, two\nlines")
    rounds, questions = _export()
    assert rounds.splitlines()[0] == ",".join(RoundResource.columns())
    assert questions.splitlines()[0] == ",".join(QuestionnaireResource.columns())
    Question.objects.all().delete()
    MonitoringRound.objects.all().delete()

    _import("rounds", rounds, officer)
    _import("questionnaire", questions, officer)
    assert _export() == (rounds, questions)


def test_an_exported_questionnaire_imports_as_unchanged(round_2, officer):
    report = _import("questionnaire", _export()[1], officer)
    assert _counts(report) == (0, 0, 118)


# --- replies into the fixture questionnaire -------------------------------------------------


def test_the_russian_replies_fixture_imports_as_one_registered_submission(round_2, officer):
    source = open_source(FIXTURES / "replies_round2_RUS.csv")
    report = run_import("replies", source, user=officer, options={"round": 2})
    assert _counts(report) == (37, 0, 0)
    submission = Submission.objects.get()
    assert (submission.party.code, submission.status) == ("RUS", Submission.Status.REGISTERED)
    assert submission.replies.order_by("order").first().refs_label == "1.1, 1.2"
    again = run_import("replies", source, user=officer, options={"round": 2})
    assert _counts(again) == (0, 0, 37)
    assert Reply.history.count() == 37


def _replies_file(round_: MonitoringRound, rows: int) -> str:
    refs = list(round_.questions.order_by("order").values_list("ref", flat=True))
    ref_sets = [[ref] for ref in refs] + [list(pair) for pair in itertools.pairwise(refs)]
    lines = "".join(f'RUS,state,,{";".join(ref_sets[i])},en,"Reply {i}"\n' for i in range(rows))
    return "party,respondent_kind,respondent,question_refs,language,text\n" + lines


#: Queries of a replies import whatever its size (one chunk): lookups, then bulk writes, then the
#: new submission's case (read the submission, look for its case, write it and its history: 5).
REPLIES_QUERY_BUDGET = 25  # 23 on SQLite, 24 on PostgreSQL


@pytest.mark.parametrize("rows", [10, 200])
def test_importing_replies_takes_the_same_queries_for_10_or_200_rows(
    round_2, officer, rows, django_assert_max_num_queries
):
    text = _replies_file(round_2, rows)
    with django_assert_max_num_queries(REPLIES_QUERY_BUDGET):
        report = _import("replies", text, officer, options={"round": 2})
    assert report.new == rows


def test_imported_replies_open_their_submission_s_case(round_2, officer):
    _import("replies", _replies_file(round_2, 3), officer, options={"round": 2})
    submission = Submission.objects.get(round=round_2)
    case = cases.case_of("submission", submission, submission.party)
    assert (case.party, case.state) == (submission.party, Submission.Status.REGISTERED)
