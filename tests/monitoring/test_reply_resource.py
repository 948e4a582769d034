"""The replies import kind: registered submissions from a file, matched by round + respondent + refs."""

import pytest

from monitoring.models import Reply, Submission
from secretariat.imports import ImportRejected, open_source, run_import
from tests.factories import build_round

pytestmark = pytest.mark.django_db

HEADER = "round,party,respondent_kind,respondent,question_refs,language,text\n"
CONSENT_HEADER = "round,party,respondent_kind,respondent,question_refs,language,consent_to_publication,text\n"


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b])


def _import(text: str, officer, **kwargs):
    return run_import("replies", open_source(text.encode(), "replies.csv"), user=officer, **kwargs)


def _file(round_, party, *rows):
    return HEADER + "".join(f"{round_.number},{party.code},{row}\n" for row in rows)


def test_replies_create_a_registered_submission_per_respondent(round_, party_a, officer):
    report = _import(
        _file(round_, party_a, "state,,1.a;1.b,en,First", "stakeholder,Child Rights NGO,2,fr,Deux"), officer
    )
    assert (report.new, report.changed, report.unchanged) == (2, 0, 0)
    assert Submission.objects.filter(status=Submission.Status.REGISTERED).count() == 2
    reply = Reply.objects.get(text="First")
    assert [q.ref for q in reply.questions.all()] == ["1.a", "1.b"]
    assert reply.history.get().history_user == officer


def test_reimporting_the_same_file_changes_nothing(round_, party_a, officer):
    text = _file(round_, party_a, "state,,1.a;1.b,en,First", "state,,2,en,Second")
    _import(text, officer)
    report = _import(text, officer)
    assert (report.new, report.changed, report.unchanged) == (0, 0, 2)
    assert "Nothing to change" in report.summary()
    assert Reply.history.count() == 2


def test_a_registered_reply_is_not_overwritten(round_, party_a, officer):
    _import(_file(round_, party_a, "state,,1.a,en,First"), officer)
    with pytest.raises(ImportRejected) as rejected:
        _import(_file(round_, party_a, "state,,1.a,en,Changed"), officer)
    assert "registered; its replies are not overwritten" in rejected.value.messages[0]
    assert Reply.objects.get().text == "First"


def test_errors_name_line_column_value_and_reason_and_nothing_is_written(round_, party_a, officer):
    text = _file(round_, party_a, "state,,1.a,en,Good", "state,,9.z,en,Bad ref", "robot,,1.b,de,Bad")
    with pytest.raises(ImportRejected) as rejected:
        _import(text, officer)
    messages = rejected.value.messages
    assert (
        f"line 3, column question_refs, value “9.z”: not a question ref of round {round_.number}: 9.z"
        in messages
    )
    assert "line 4, column language, value “de”: expected one of en, fr" in messages
    assert "line 4, column respondent_kind, value “robot”: expected state or stakeholder" in messages
    assert not Reply.objects.exists() and not Submission.objects.exists()


def test_the_round_may_come_from_an_option(round_, party_a, officer):
    text = (
        "party,respondent_kind,respondent,question_refs,language,text\n" + f"{party_a.code},state,,1,en,Hi\n"
    )
    report = _import(text, officer, options={"round": round_.number})
    assert report.new == 1


def test_export_gives_the_import_layout(round_, party_a, officer):
    from monitoring.resources import ReplyResource

    text = _file(round_, party_a, "state,,1.a;1.b,en,First", "stakeholder,NGO,2,fr,=Deux")
    _import(text, officer)
    exported = ReplyResource().export(ReplyResource().get_queryset()).csv
    assert exported.splitlines()[0] == CONSENT_HEADER.strip()
    assert f"{round_.number},{party_a.code},state,{party_a.name_en},1.a;1.b,en,yes,First" in exported


def test_an_unsaved_reply_can_be_named():
    assert str(Reply(text="draft")) == "Reply"


def test_a_changed_reply_of_a_draft_is_updated_with_its_history(round_, party_a, officer):
    _import(_file(round_, party_a, "state,,1.a,en,First"), officer)
    Submission.objects.update(status=Submission.Status.DRAFT)  # handed back to the State
    report = _import(_file(round_, party_a, "state,,1.a,fr,Premier"), officer)
    assert (report.new, report.changed, report.unchanged) == (0, 1, 0)
    reply = Reply.objects.get()
    assert (reply.text, reply.language, reply.version) == ("Premier", "fr", 2)
    latest = reply.history.first()
    assert (latest.text, latest.history_type, latest.history_user) == ("Premier", "~", officer)


# --- consent to publication ---------------------------------------------------------------------


def _consent_file(round_, party, *rows):
    """Rows of `kind,respondent,refs,consent,text`."""
    return CONSENT_HEADER + "".join(
        f"{round_.number},{party.code},{kind},{respondent},{refs},en,{consent},{text}\n"
        for kind, respondent, refs, consent, text in rows
    )


@pytest.mark.parametrize(
    ("cell", "consent"),
    [
        ("yes", True),
        ("YES", True),
        ("true", True),
        ("True", True),
        ("1", True),
        ("oui", True),
        ("Oui", True),
        ("no", False),
        ("No", False),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("non", False),
        ("NON", False),
    ],
)
def test_the_consent_column_sets_the_new_submissions_consent(round_, party_a, officer, cell, consent):
    _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", cell, "Comment")), officer)
    assert Submission.objects.get().consent_to_publication is consent


def test_an_empty_consent_keeps_the_default_states_yes_stakeholders_no(round_, party_a, officer):
    rows = [("state", "", "1.a", "", "Reply"), ("stakeholder", "NGO", "1.a", "", "Comment")]
    _import(_consent_file(round_, party_a, *rows), officer)
    consents = dict(Submission.objects.values_list("organisation__name", "consent_to_publication"))
    assert consents == {None: True, "NGO": False}


def test_a_file_without_the_consent_column_keeps_the_default(round_, party_a, officer):
    _import(_file(round_, party_a, "stakeholder,NGO,1.a,en,Comment"), officer)
    assert Submission.objects.get().consent_to_publication is False


def test_another_consent_value_is_a_row_error_and_nothing_is_written(round_, party_a, officer):
    with pytest.raises(ImportRejected) as rejected:
        _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "maybe", "Comment")), officer)
    assert rejected.value.messages == [
        "line 2, column consent_to_publication, value “maybe”: "
        "expected yes or no (or true/false, 1/0, oui/non)"
    ]
    assert not Submission.objects.exists()


def test_the_consent_error_is_in_the_users_language(round_, party_a, officer):
    from django.utils import translation

    row = ("stakeholder", "NGO", "1.a", "peut-être", "Comment")
    with translation.override("fr"):  # as the worker runs a job sent from a French page
        with pytest.raises(ImportRejected) as rejected:
            _import(_consent_file(round_, party_a, row), officer)
        messages = rejected.value.messages
    assert messages == [
        "ligne 2, colonne consent_to_publication, valeur « peut-être » : "
        "oui ou non attendu (ou true/false, 1/0, yes/no)"
    ]


def test_rows_of_one_respondent_must_agree_on_consent(round_, party_a, officer):
    rows = [("stakeholder", "NGO", "1.a", "yes", "One"), ("stakeholder", "NGO", "1.b", "no", "Two")]
    with pytest.raises(ImportRejected) as rejected:
        _import(_consent_file(round_, party_a, *rows), officer)
    assert (
        "line 3, column consent_to_publication, value “no”: line 2 says otherwise"
        in rejected.value.messages[0]
    )


def test_a_registered_submissions_consent_is_changed_by_a_file_with_its_history(round_, party_a, officer):
    _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "", "Comment")), officer)
    report = _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "oui", "Comment")), officer)
    assert (report.new, report.changed, report.unchanged) == (0, 1, 0)
    submission = Submission.objects.get()
    assert submission.consent_to_publication is True
    latest = submission.history.first()
    assert (latest.consent_to_publication, latest.history_user, latest.history_change_reason) == (
        True,
        officer,
        "imported from replies.csv",
    )
    reply = Reply.objects.get()
    assert (reply.text, reply.version, reply.history.count()) == (
        "Comment",
        1,
        1,
    )  # the reply is not rewritten


def test_an_empty_consent_leaves_an_existing_submissions_consent_alone(round_, party_a, officer):
    _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "yes", "Comment")), officer)
    report = _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "", "Comment")), officer)
    assert (report.changed, report.unchanged) == (0, 1)
    assert Submission.objects.get().consent_to_publication is True


def test_a_dry_run_changes_no_consent(round_, party_a, officer):
    _import(_consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "", "Comment")), officer)
    report = _import(
        _consent_file(round_, party_a, ("stakeholder", "NGO", "1.a", "yes", "Comment")), officer, dry_run=True
    )
    assert report.changed == 1
    assert Submission.objects.get().consent_to_publication is False


def test_consent_makes_the_round_trip(round_, party_a, officer):
    from monitoring.resources import ReplyResource

    rows = [("state", "", "1.a", "no", "Reply"), ("stakeholder", "NGO", "1.a", "yes", "Comment")]
    _import(_consent_file(round_, party_a, *rows), officer)
    exported = ReplyResource().export(ReplyResource().get_queryset()).csv
    assert f"{round_.number},{party_a.code},state,{party_a.name_en},1.a,en,no,Reply" in exported
    assert f"{round_.number},{party_a.code},stakeholder,NGO,1.a,en,yes,Comment" in exported
    report = _import(exported.replace("\r\n", "\n"), officer)
    assert (report.new, report.changed, report.unchanged) == (0, 0, 2)
