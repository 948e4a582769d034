"""manage.py compile_replies: a compilation written to a file, with clear errors."""

import io

import docx
import pypdf
import pytest
from django.core.management import CommandError, call_command

from monitoring.models import Question, Submission
from secretariat.models import Role
from tests.factories import PartyFactory, ReplyFactory, SubmissionFactory, UserFactory, build_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(secretariat_admin):
    germany = PartyFactory(code="DEU", name_en="Germany", name_fr="Allemagne")
    round = build_round(parties=[germany], number=2)
    for text, status, consent in (
        ("Registered reply", Submission.Status.REGISTERED, True),
        ("Draft reply", Submission.Status.DRAFT, True),
        ("Confidential reply", Submission.Status.REGISTERED, False),
    ):
        submission = SubmissionFactory(
            round=round, party=PartyFactory(), status=status, consent_to_publication=consent
        )
        ReplyFactory(
            submission=submission, questions=[Question.objects.get(round=round, ref="1.a")], text=text
        )
    return round


def compile_to(path, *args):
    out = io.StringIO()
    call_command("compile_replies", "--round", "2", "--output", str(path), *args, stdout=out)
    return out.getvalue()


def read(path, format) -> str:
    if format == "docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if format == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("format", ["html", "docx", "pdf"])
def test_command_writes_the_compilation_of_a_question(round, tmp_path, format):
    path = tmp_path / f"q1.{format}"

    output = compile_to(path, "--question", "1", "--format", format)

    assert "Wrote" in output
    assert "Registered reply" in read(path, format)


def test_command_without_a_question_compiles_the_whole_round(round, tmp_path):
    path = tmp_path / "round.html"

    compile_to(path, "--format", "html")

    html = read(path, "html")
    assert "Compilation of replies to the questionnaire" in html
    assert html.count('class="question"') == 6


def test_command_leaves_drafts_and_confidential_replies_out_by_default(round, tmp_path):
    path = tmp_path / "q1.html"

    compile_to(path, "--question", "1", "--format", "html")

    assert "Draft reply" not in read(path, "html")
    assert "Confidential reply" not in read(path, "html")


def test_command_draft_preview_includes_drafts(round, tmp_path):
    path = tmp_path / "q1.html"

    compile_to(path, "--question", "1", "--format", "html", "--draft")

    assert "Draft reply" in read(path, "html")
    assert "DRAFT PREVIEW" in read(path, "html")


def test_command_can_include_confidential_replies(round, tmp_path):
    path = tmp_path / "q1.html"

    compile_to(path, "--question", "1", "--format", "html", "--include-confidential")

    assert "Confidential reply" in read(path, "html")


def test_command_uses_the_reference_given(round, tmp_path):
    path = tmp_path / "q1.html"

    compile_to(path, "--question", "1", "--format", "html", "--reference", "T-ES(2018)21_bil rev.2")

    assert "T-ES(2018)21_bil rev.2" in read(path, "html")


def test_command_refuses_an_unknown_round(round, tmp_path):
    with pytest.raises(CommandError, match="no monitoring round 9"):
        call_command("compile_replies", "--round", "9", "--format", "html", "--output", str(tmp_path / "x"))


def test_command_refuses_an_unknown_question(round, tmp_path):
    with pytest.raises(CommandError, match="Round 2 has no question '99'"):
        compile_to(tmp_path / "x.html", "--question", "99", "--format", "html")


def test_command_refuses_an_unknown_format(round, tmp_path):
    with pytest.raises(CommandError, match="Unknown format 'odt': choose html, docx or pdf"):
        compile_to(tmp_path / "x.odt", "--format", "odt")


def test_command_refuses_a_missing_output_folder(round, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        compile_to(tmp_path / "missing" / "x.html", "--format", "html")


def test_command_refuses_a_user_outside_the_secretariat(round, tmp_path):
    UserFactory(username="member", role=Role.COMMITTEE_MEMBER)

    with pytest.raises(CommandError, match="not an active Secretariat user"):
        compile_to(tmp_path / "x.html", "--format", "html", "--user", "member")


def test_command_refuses_an_unknown_user(round, tmp_path):
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        compile_to(tmp_path / "x.html", "--format", "html", "--user", "nobody")


def test_command_needs_a_secretariat_administrator_when_no_user_is_given(tmp_path):
    build_round(parties=[], number=2)

    with pytest.raises(CommandError, match="pass --user"):
        compile_to(tmp_path / "x.html", "--format", "html")


def test_command_runs_as_the_user_given(round, tmp_path, officer):
    path = tmp_path / "q1.html"

    compile_to(path, "--question", "1", "--format", "html", "--user", officer.username)

    assert "Registered reply" in read(path, "html")
