"""Internal notes never reach a State or a stakeholder, by any entry point: the portal's pages, the
admin, the API, the exports, the compilations and the generated documents. A note with a unique
marker is written on every case of both Parties; no answer or file given to a State user or a
stakeholder holds the marker, nor do the documents the Secretariat shares with States.

Also: a State user cannot read another Party's correspondence by guessing ids (404)."""

import io
import json
import re
import zipfile

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import URLResolver, get_resolver, reverse

from recommendations.models import Factsheet
from secretariat import access, correspondence, exports, notes
from secretariat.models import Correspondence, Note
from tests.factories import ReplyFactory, SubmissionFactory, build_round
from tests.recommendations.factories import RecommendationFactory, ReportFactory
from tests.secretariat.casework_helpers import follow_up_case, submission_case

pytestmark = pytest.mark.django_db

MARKER = "ZQXNOTEMARKER"


@pytest.fixture
def world(party_a, party_b, officer, committee_member, coordinator_a, stakeholder_b):
    round = build_round(parties=[party_a, party_b], questions_per_section=1, sections=1, number=9)
    question = round.questions.filter(parent__isnull=True).first()
    submissions = {}
    for party in (party_a, party_b):
        submission = SubmissionFactory(round=round, party=party)
        ReplyFactory(submission=submission, questions=[question], text=f"Reply of {party.code}")
        submissions[party.code] = submission
    report = ReportFactory(round=round)
    recommendation = RecommendationFactory(chapter__report=report, addressees=[party_a, party_b])
    cases = []
    for party in (party_a, party_b):
        cases.append(submission_case(submissions[party.code], handler=officer))
        cases.append(follow_up_case(report, party, handler=officer))
    for case in cases:
        notes.add_note(case, f"{MARKER} internal remark on **{case.party.code}** {case.kind}", by=officer)
    letters = {}
    correspondence.load_default_templates()
    for case in cases[::2]:
        letters[case.party.code] = correspondence.send_letter(case, "reminder", "en", by=officer)
    Factsheet.objects.create(slug="leak-check", title_en="Leak check", report=report)
    return {
        "round": round,
        "report": report,
        "recommendation": recommendation,
        "submissions": submissions,
        "cases": cases,
        "letters": letters,
    }


def _portal_urls(world, party_code: str) -> list[str]:
    follow_up = world["recommendation"].follow_ups.get(party__code=party_code)
    number = world["round"].number
    urls = [
        reverse("portal:home"),
        reverse("portal:questionnaire", args=[number]),
        reverse("portal:submission_history", args=[number]),
        reverse("portal:documents"),
        reverse("follow_up:list"),
        reverse("follow_up:detail", args=[follow_up.pk]),
    ]
    return urls


def _every_portal_route() -> list[str]:
    """Every route of the portal (its own pages, follow-up, notifications ...), as written."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return [route for route in walk(get_resolver().url_patterns) if route.startswith("portal/")]


def _filled(route: str, values: dict[str, list]) -> list[str]:
    """The route with each parameter filled with every value given for it."""
    urls = ["/" + route]
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        urls = [
            re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1) for url in urls for value in values[name]
        ]
    return urls


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_the_notes_exist_for_the_secretariat(world, officer):
    assert access.scoped(Note, officer).filter(text__contains=MARKER).count() == 4


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "stakeholder_b"])
def test_no_portal_page_shows_a_note(request, client_for, world, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    party_code = "FRA" if persona != "stakeholder_b" else "RUS"
    for url in _portal_urls(world, party_code):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert MARKER not in _text(response), url


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_no_portal_route_shows_a_note(request, client_for, world, persona):
    # Every route under /portal/, whoever added it, with every record's id of both Parties.
    client = client_for(request.getfixturevalue(persona))
    recommendation = world["recommendation"]
    values = {
        "number": [world["round"].number],
        "pk": sorted(
            {
                *recommendation.follow_ups.values_list("pk", flat=True),
                *(
                    reply.pk
                    for submission in world["submissions"].values()
                    for reply in submission.replies.all()
                ),
                *(case.pk for case in world["cases"]),
            }
        ),
    }
    routes = _every_portal_route()
    assert len(routes) >= 8
    for route in routes:
        try:
            urls = _filled(route, values)
        except KeyError:
            urls = []  # a parameter no record here fills (a token ...): nothing of a note to show
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, url
            assert MARKER not in _text(response), url


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_no_state_or_stakeholder_reads_notes(request, world, persona):
    assert not access.scoped(Note, request.getfixturevalue(persona)).exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_the_admin_refuses_states_and_stakeholders(request, client_for, world, persona, party_a):
    client = client_for(request.getfixturevalue(persona))
    case = world["cases"][0]
    for url in (
        reverse("admin:secretariat_party_case_file", args=[party_a.pk]),
        reverse("admin:secretariat_party_case_file_pdf", args=[party_a.pk]),
        reverse("admin:secretariat_case_letter", args=[case.pk]),
        reverse("admin:secretariat_correspondence_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        assert MARKER not in _text(response)


def _api_endpoints(client) -> dict[str, str]:
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b", "officer"])
def test_the_api_has_no_notes_and_embeds_none(request, client_for, world, persona):
    client = client_for(request.getfixturevalue(persona))
    endpoints = _api_endpoints(client)
    assert not [name for name in endpoints if "note" in name]
    for name, url in endpoints.items():
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 403), name
        body = _text(response)
        assert MARKER not in body, name
        if response.status_code == 200:
            for row in json.loads(body).get("results", [])[:5]:
                if isinstance(row, dict) and "url" in row:
                    detail = client.get(row["url"], HTTP_ACCEPT="application/json")
                    assert MARKER not in _text(detail), row["url"]


def test_the_api_schema_names_no_notes(client_for, world, officer):
    schema = _text(client_for(officer).get("/api/schema/", HTTP_ACCEPT="application/json"))
    assert "/notes" not in schema and MARKER not in schema


def test_the_dataset_export_holds_no_note(world, officer, tmp_path):
    for format in ("csv", "xlsx"):
        for name, content in exports.export_dataset(officer, format).items():
            data = content if isinstance(content, bytes) else content.encode()
            if format == "xlsx":
                with zipfile.ZipFile(io.BytesIO(data)) as workbook:
                    data = b"".join(workbook.read(part) for part in workbook.namelist())
            assert MARKER.encode() not in data, name
    call_command("export_data", str(tmp_path), user=officer.username)
    for path in tmp_path.iterdir():
        assert MARKER.encode() not in path.read_bytes(), path.name


def test_a_state_user_may_not_export_the_dataset(world, coordinator_a):
    with pytest.raises(PermissionDenied):
        list(exports.export_dataset(coordinator_a, "csv"))


@pytest.mark.parametrize("format", ["html", "docx", "pdf"])
def test_the_compilation_shared_with_states_holds_no_note(world, officer, tmp_path, format):
    output = tmp_path / f"compilation.{format}"
    call_command(
        "compile_replies",
        round=world["round"].number,
        format=format,
        output=str(output),
        draft=True,
        user=officer.username,
    )
    assert MARKER not in _document_text(output, format)


@pytest.mark.parametrize("format", ["html", "docx", "pdf"])
def test_the_factsheet_holds_no_note(world, officer, tmp_path, format):
    output = tmp_path / f"factsheet.{format}"
    call_command("render_factsheet", "leak-check", format=format, output=str(output), user=officer.username)
    assert MARKER not in _document_text(output, format)


def test_the_letters_hold_no_note(world):
    for sent in world["letters"].values():
        assert MARKER not in _document_text_of(sent.pdf.file.open("rb").read(), "pdf")
        assert MARKER not in _document_text_of(sent.docx.file.open("rb").read(), "docx")
        assert MARKER not in sent.correspondence.body


def _document_text(path, format: str) -> str:
    return _document_text_of(path.read_bytes(), format)


def _document_text_of(data: bytes, format: str) -> str:
    if format == "pdf":
        return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if format == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            return b"".join(document.read(part) for part in document.namelist()).decode(errors="replace")
    return data.decode(errors="replace")


# --- another Party's correspondence by guessing ids ------------------------------------------------


def test_a_state_user_cannot_download_another_partys_letter(client_for, world, coordinator_a, coordinator_b):
    theirs = world["letters"]["RUS"]
    for document in (theirs.pdf, theirs.docx):
        assert client_for(coordinator_a).get(document.link).status_code == 404
    mine = world["letters"]["FRA"]
    assert client_for(coordinator_a).get(mine.pdf.link).status_code == 200


def test_a_state_user_reads_only_its_own_partys_correspondence(world, coordinator_a, stakeholder_b):
    assert set(access.scoped(Correspondence, coordinator_a).values_list("party__code", flat=True)) == {"FRA"}
    assert not access.scoped(Correspondence, stakeholder_b).exists()


def test_a_state_user_cannot_open_another_partys_correspondence_in_the_api(client_for, world, coordinator_a):
    theirs = world["letters"]["RUS"].correspondence
    client = client_for(coordinator_a)
    endpoints = _api_endpoints(client)
    if "correspondence" not in endpoints:
        pytest.skip("the correspondence endpoint is not installed")
    url = endpoints["correspondence"].rstrip("/") + f"/{theirs.pk}/"
    assert client.get(url, HTTP_ACCEPT="application/json").status_code == 404
