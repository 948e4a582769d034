"""Whatever a client sends, the API answers 4xx with a reason, never 500, and writes nothing.

The test client re-raises any exception a view lets through, so a 500 would fail these tests
with its traceback.
"""

import copy
from unittest.mock import ANY

import jsonschema
import pytest

from monitoring.models import Reply, Submission

pytestmark = pytest.mark.django_db

REPLY = {"round": 2, "questions": ["1"], "language": "en", "text": "A reply."}


@pytest.fixture
def contributor(api_for, world, contributor_a):
    return api_for(contributor_a)


def _nothing_written():
    assert Reply.objects.count() == 3
    assert Submission.objects.count() == 3


@pytest.mark.parametrize(
    "body",
    [
        '{"round": 2,',
        "not json",
        "[1, 2]",
        '"a string"',
        "null",
        "12",
        '{"round": NaN}',
        '{"round": Infinity}',
        '{"round": 2, "questions": ["1"], "language": "en", "text": "\\ud800"}',  # a lone surrogate
        "\ufeff{}",
        b"\xff\xfe{",
        "[" * 100_000 + "]" * 100_000,  # deeper than Python's JSON decoder goes
        '{"questions": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
)
def test_a_body_that_cannot_be_read_as_a_reply_is_refused(contributor, body):
    response = contributor.post("/api/v1/replies/", body, content_type="application/json")
    assert response.status_code == 400
    _nothing_written()


def test_form_data_is_refused_as_unsupported(contributor):
    response = contributor.post("/api/v1/replies/", {"round": "2", "questions": "1", "language": "en"})
    assert response.status_code == 415
    _nothing_written()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"questions": "1"}, "questions"),
        ({"questions": []}, "questions"),
        ({"questions": [True]}, "questions"),
        ({"questions": [1.5]}, "questions"),
        ({"questions": [None]}, "questions"),
        ({"questions": [{"ref": "1"}]}, "questions"),
        ({"questions": [""]}, "questions"),
        ({"questions": ["1" * 21]}, "questions"),
        ({"questions": [2**70]}, "questions"),
        ({"questions": ["1"] * 501}, "questions"),
        ({"round": "two"}, "round"),
        ({"round": -1}, "round"),
        ({"round": 2**70}, "round"),
        ({"round": 2.5}, "round"),
        ({"round": 9999}, "round"),
        ({"language": "de"}, "language"),
        ({"language": ["en"]}, "language"),
        ({"text": ["a"]}, "text"),
        ({"text": {"en": "a"}}, "text"),
        ({"text": "nul\x00character"}, "text"),
        ({"text": "x" * 100_001}, "text"),
        ({"see_reply": "the first"}, "see_reply"),
        ({"see_reply": 2**80}, "see_reply"),
    ],
)
def test_a_wrong_value_is_refused_with_its_field(contributor, change, field):
    response = contributor.post("/api/v1/replies/", {**REPLY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    _nothing_written()


@pytest.mark.parametrize("submission", ["abc", 0, 2**63, 2**80, 999_999])
def test_a_wrong_submission_is_refused(contributor, submission):
    data = {"submission": submission, "questions": ["1"], "language": "en"}
    response = contributor.post("/api/v1/replies/", data, format="json")
    assert response.status_code == 400
    _nothing_written()


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"version": "one"},
        {"version": 0},
        {"version": 2**40},
        {"version": 1, "text": None},
        {"version": 1, "questions": []},
    ],
)
def test_a_wrong_change_is_refused(contributor, world, change):
    response = contributor.patch(f"/api/v1/replies/{world.reply_a.pk}/", change, format="json")
    assert response.status_code == 400
    world.reply_a.refresh_from_db()
    assert world.reply_a.version == 1


def test_a_body_above_the_upload_limit_is_refused(contributor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = contributor.post("/api/v1/replies/", {**REPLY, "text": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: at most 1000\xa0bytes."}
    _nothing_written()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/replies/abc/",
        "/api/v1/replies/-1/",
        "/api/v1/replies/99999999999999999999999/",
        "/api/v1/rounds/two/",
        "/api/v1/rounds/99999/",
        "/api/v1/rounds/123456/questions/",
        "/api/v1/parties/fra/",
        "/api/v1/parties/FRANCE/",
        "/api/v1/factsheets/no-such-factsheet/",
        "/api/v1/replies/?page=999",
        "/api/v1/replies/?page=abc",
    ],
)
def test_an_address_that_names_nothing_answers_404(contributor, url):
    assert contributor.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "replies/?round=two",
        "replies/?round=99999999999999999999",
        "replies/?submission=-1",
        "replies/?status=lost",
        "replies/?language=de",
        "follow-ups/?assessed_status=great",
        "follow-ups/?report=first",
        "practices/?article=abc",
        "questions/?kind=essay",
        "practices/?q=%00",
    ],
)
def test_a_wrong_filter_value_answers_400(contributor, query):
    assert contributor.get(f"/api/v1/{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "replies/?question=" + "9" * 500,
        "replies/?party=" + "X" * 500,
        "practices/?party=ZZZ",
        "practices/?theme=no-such-theme",
    ],
)
def test_a_filter_matching_nothing_gives_an_empty_list(contributor, query):
    response = contributor.get(f"/api/v1/{query}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_ordering_by_a_field_not_offered_is_ignored(contributor, world):
    response = contributor.get("/api/v1/replies/?ordering=submission__party__users__password")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.reply_a.pk]


def test_patching_an_address_that_names_nothing_answers_404(contributor):
    assert contributor.patch("/api/v1/replies/abc/", {"version": 1}, format="json").status_code == 404


def test_submitting_with_a_malformed_body_is_refused(contributor, world):
    response = contributor.post(
        f"/api/v1/submissions/{world.submission_a.pk}/submit/", "{", content_type="application/json"
    )
    assert response.status_code == 400


# --- what schemathesis found (tests/api/test_schemathesis.py): answers the schema did not describe ---


SERVED_SCHEMA: dict = {}


@pytest.fixture
def schema(api_for, officer) -> dict:
    """The schema /api/schema/ serves: read once per test process (it comes from the code alone)."""
    if not SERVED_SCHEMA:
        SERVED_SCHEMA.update(api_for(officer).get("/api/schema/?format=json").json())
    return copy.deepcopy(SERVED_SCHEMA)


def _documented(schema: dict, path: str, method: str, code: int) -> dict:
    """The JSON schema of an operation's documented answer with that status (KeyError if none)."""
    response = schema["paths"][path][method]["responses"][str(code)]
    return response["content"]["application/json"]["schema"]


def _assert_matches(schema: dict, documented: dict, body) -> None:
    jsonschema.validate(body, {**documented, "components": schema["components"]})


def test_a_refused_body_answers_400_with_the_messages_by_field_the_schema_describes(contributor, schema):
    response = contributor.post("/api/v1/replies/", {"text": "A reply."}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"questions", "language"}
    _assert_matches(schema, _documented(schema, "/api/v1/replies/", "post", 400), response.json())


def test_a_wrong_filter_value_answers_400_as_the_schema_describes(contributor, schema):
    response = contributor.get("/api/v1/replies/?round=two")
    assert response.status_code == 400
    _assert_matches(schema, _documented(schema, "/api/v1/replies/", "get", 400), response.json())


def test_a_refused_list_of_question_keys_is_described_by_position(contributor, schema):
    response = contributor.post("/api/v1/replies/", {**REPLY, "questions": ["1", True]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"questions": {"1": [ANY]}}
    _assert_matches(schema, _documented(schema, "/api/v1/replies/", "post", 400), response.json())


@pytest.mark.parametrize(
    ("request_args", "path", "method", "code"),
    [
        (("get", "/api/v1/replies/999999/"), "/api/v1/replies/{id}/", "get", 404),
        (("get", "/api/v1/replies/?page=999"), "/api/v1/replies/", "get", 404),
        (("get", "/api/v1/factsheets/nothing/"), "/api/v1/factsheets/{slug}/", "get", 404),
        (("patch", "/api/v1/replies/999999/"), "/api/v1/replies/{id}/", "patch", 404),
        (("post", "/api/v1/submissions/999999/submit/"), "/api/v1/submissions/{id}/submit/", "post", 404),
        (("post", "/api/v1/follow-up-updates/"), "/api/v1/follow-up-updates/", "post", 415),
    ],
)
def test_every_refusal_answered_is_documented(contributor, schema, request_args, path, method, code):
    method_name, url = request_args
    body = {} if method_name == "get" else {"data": "text", "content_type": "text/plain"}
    response = getattr(contributor, method_name)(url, **body)
    assert response.status_code == code
    _assert_matches(schema, _documented(schema, path, method, code), response.json())


def test_an_anonymous_call_answers_the_documented_401(api, world, schema):
    response = api.get("/api/v1/replies/")
    assert response.status_code == 401
    _assert_matches(schema, _documented(schema, "/api/v1/replies/", "get", 401), response.json())


def test_a_write_the_role_may_not_make_answers_the_documented_403(api_for, officer, world, schema):
    follow_up = world.recommendation.follow_ups.get(party=world.party_a)
    data = {"follow_up": follow_up.pk, "text": "A law.", "reported_status": "done"}
    response = api_for(officer).post("/api/v1/follow-up-updates/", data, format="json")
    assert response.status_code == 403
    _assert_matches(schema, _documented(schema, "/api/v1/follow-up-updates/", "post", 403), response.json())


@pytest.mark.parametrize(
    ("url", "component", "field"),
    [
        ("/api/v1/questions/?ref=1", "Question", "parent"),  # a question, not an item
        ("/api/v1/practices/", "Practice", "round"),  # a practice from no round
        ("/api/v1/factsheets/", "Factsheet", "chapter"),  # a factsheet on a theme
        ("/api/v1/factsheets/", "Factsheet", "article"),
    ],
)
def test_a_missing_relation_is_null_and_the_schema_allows_it(contributor, schema, url, component, field):
    [shown] = contributor.get(url).json()["results"]
    assert shown[field] is None
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


@pytest.mark.parametrize(
    ("path", "parameter", "bounds"),
    [
        ("/api/v1/replies/", "round", (1, 32767)),
        ("/api/v1/replies/", "submission", (1, 2**63 - 1)),
        ("/api/v1/questions/", "section", (0, 32767)),
        ("/api/v1/practices/", "article", (1, 1000)),
    ],
)
def test_an_id_filter_documents_the_bounds_it_checks(contributor, schema, path, parameter, bounds):
    [documented] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == parameter]
    assert (documented["schema"]["minimum"], documented["schema"]["maximum"]) == bounds
    assert contributor.get(f"{path}?{parameter}={bounds[0] - 1}").status_code == 400
    assert contributor.get(f"{path}?{parameter}={bounds[0]}").status_code == 200


def test_the_reply_schema_asks_for_the_submission_or_the_round_but_not_both(contributor, world, schema):
    documented = schema["components"]["schemas"]["ReplyCreate"]
    assert documented["oneOf"] == [{"required": ["submission"]}, {"required": ["round"]}]
    both = {**REPLY, "submission": world.submission_a.pk}
    response = contributor.post("/api/v1/replies/", both, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_the_change_schema_requires_the_version_read(contributor, world, schema):
    assert schema["components"]["schemas"]["PatchedReplyUpdate"]["required"] == ["version"]
    response = contributor.patch(f"/api/v1/replies/{world.reply_a.pk}/", {"text": "New."}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_the_update_schema_refuses_a_blank_text_as_the_api_does(api_for, coordinator_a, world, schema):
    documented = schema["components"]["schemas"]["FollowUpUpdateCreate"]["properties"]["text"]
    assert (documented["minLength"], documented["pattern"]) == (1, r"\S")
    follow_up = world.recommendation.follow_ups.get(party=world.party_a)
    data = {"follow_up": follow_up.pk, "text": "  \n ", "reported_status": "done"}
    response = api_for(coordinator_a).post("/api/v1/follow-up-updates/", data, format="json")
    assert response.status_code == 400
    assert "text" in response.json()


def test_the_question_key_schema_refuses_a_blank_ref_and_a_zero_id(schema):
    ref, id_ = schema["components"]["schemas"]["ReplyCreate"]["properties"]["questions"]["items"]["oneOf"]
    assert (ref["minLength"], ref["pattern"]) == (1, r"\S")
    assert (id_["minimum"], id_["maximum"]) == (1, 2**63 - 1)


def test_a_practice_search_of_a_thousand_words_answers_400_not_500(contributor, schema):
    # Each word is a condition of the query: SQLite refused a thousand of them (a 500).
    response = contributor.get("/api/v1/practices/", {"q": " ".join(["word"] * 1000)})
    assert response.status_code == 400
    assert "q" in response.json()
    [q] = [p for p in schema["paths"]["/api/v1/practices/"]["get"]["parameters"] if p["name"] == "q"]
    assert q["schema"]["maxLength"] == 200
