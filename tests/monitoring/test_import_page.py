"""The admin's reply import: preview first, nothing written until confirmed."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import imports
from monitoring.models import Reply
from secretariat import services as core_services
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def round_2():
    core_services.load_reference_data()
    round_ = RoundFactory(number=2)
    imports.import_questionnaire(round=round_, text=(FIXTURES / "questionnaire_round2.csv").read_text())
    return round_


def _upload(client, round_, content: bytes):
    return client.post(
        reverse("import_file", args=["replies"]),
        {"round": round_.pk, "file": SimpleUploadedFile("replies.csv", content)},
    )


def test_preview_shows_what_would_be_imported_and_writes_nothing(client_for, officer, round_2):
    response = _upload(client_for(officer), round_2, (FIXTURES / "replies_round2_RUS.csv").read_bytes())
    assert "Would create 1 submissions, 37 replies" in response.text
    assert not Reply.objects.exists()


def test_confirming_the_preview_imports(client_for, officer, round_2):
    client = client_for(officer)
    preview = _upload(client, round_2, (FIXTURES / "replies_round2_RUS.csv").read_bytes())
    response = client.post(
        reverse("import_file", args=["replies"]), {"confirm": "1", "token": preview.context["token"]}
    )
    assert response.status_code == 302
    assert Reply.objects.count() == 37


def test_a_token_cannot_be_confirmed_twice(client_for, officer, round_2):
    client = client_for(officer)
    preview = _upload(client, round_2, (FIXTURES / "replies_round2_RUS.csv").read_bytes())
    client.post(reverse("import_file", args=["replies"]), {"confirm": "1", "token": preview.context["token"]})
    client.post(reverse("import_file", args=["replies"]), {"confirm": "1", "token": preview.context["token"]})
    assert Reply.objects.count() == 37


def test_errors_are_listed_by_line(client_for, officer, round_2):
    content = b"party,respondent_kind,respondent,question_refs,language,text\nZZZ,state,X,1.1,en,Text\n"
    response = _upload(client_for(officer), round_2, content)
    assert "line 2: unknown Party code" in response.text
    assert "Nothing was imported" in response.text


def test_a_file_that_is_neither_text_nor_xlsx_is_refused(client_for, officer, round_2):
    response = _upload(client_for(officer), round_2, b"\x81\x8d\x8f\x90 binary")
    assert "neither UTF-8 nor Windows-1252 text" in response.text


@pytest.mark.parametrize("persona", ["coordinator_a", "committee_member"])
def test_only_the_secretariat_imports(request, client_for, persona, round_2):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("import_file", args=["replies"])).status_code == 404
