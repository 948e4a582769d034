"""A NUL character (`\\u0000`) anywhere in a JSON body answers 400 by field; PostgreSQL never sees it.

Before, a question's ref holding one reached a query: 500 on PostgreSQL. Run on both databases.
"""

import json

import pytest

from monitoring.models import Reply

pytestmark = pytest.mark.django_db

NUL_REFUSED = ["Null characters are not allowed."]


@pytest.fixture
def contributor(api_for, world, contributor_a):
    return api_for(contributor_a)


def _post(client, body: dict):
    return client.post("/api/v1/replies/", json.dumps(body), content_type="application/json")


def test_a_question_ref_with_a_nul_is_refused_on_create(contributor):
    response = _post(contributor, {"round": 2, "questions": ["1\u0000"], "language": "en", "text": "Yes."})
    assert response.status_code == 400
    assert response.json() == {"questions": NUL_REFUSED}
    assert Reply.objects.count() == 3


def test_a_question_ref_with_a_nul_is_refused_on_change(contributor, world):
    response = contributor.patch(
        f"/api/v1/replies/{world.reply_a.pk}/",
        json.dumps({"version": 1, "questions": ["1\u0000"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"questions": NUL_REFUSED}
    world.reply_a.refresh_from_db()
    assert world.reply_a.version == 1


def test_a_nul_in_a_field_name_is_refused(contributor):
    response = _post(contributor, {"round": 2, "questions": ["1"], "language": "en", "a\u0000": "b"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": NUL_REFUSED}


def test_a_nul_deep_in_a_body_is_refused_by_its_field(contributor):
    response = _post(contributor, {"round": 2, "questions": [[{"x": ["\u0000"]}]], "language": "en"})
    assert response.status_code == 400
    assert response.json() == {"questions": NUL_REFUSED}
