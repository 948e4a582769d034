"""Whatever a client sends, the API answers 4xx with a reason, never 500, and writes nothing.

The test client re-raises any exception a view lets through, so a 500 would fail these tests
with its traceback.
"""

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
    assert response.status_code == 400
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
