"""The API stores the renderings of what it writes and shows the stored HTML (never renders on read)."""

import pytest

from monitoring.models import Reply
from recommendations.models import Assessment, FollowUpUpdate, Practice
from tests.secretariat.test_rendering import assert_fresh

pytestmark = pytest.mark.django_db

STORED = "<p>Stored rendering</p>"


def test_a_reply_written_through_the_api_stores_its_rendering(api_for, world, contributor_a):
    client = api_for(contributor_a)
    created = client.post(
        "/api/v1/replies/",
        {
            "submission": world.submission_a.pk,
            "questions": ["1.b"],
            "text": "A *new* reply.",
            "language": "en",
        },
        format="json",
    ).json()
    reply = Reply.objects.get(pk=created["id"])
    assert_fresh(reply)
    assert created["text_html"] == reply.text_html == "<p>A <em>new</em> reply.</p>"

    changed = client.patch(
        f"/api/v1/replies/{reply.pk}/", {"version": 1, "text": "**Changed**."}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert_fresh(reply)
    assert changed.json()["text_html"] == "<p><strong>Changed</strong>.</p>"


def test_an_update_sent_through_the_api_stores_its_rendering(api_for, world, coordinator_a):
    response = api_for(coordinator_a).post(
        "/api/v1/follow-up-updates/",
        {"follow_up": world.follow_ups["FRA"].pk, "text": "A *law*.", "reported_status": "done"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert_fresh(FollowUpUpdate.objects.get(pk=response.json()["id"]))


@pytest.mark.parametrize(
    ("model", "url", "field"),
    [
        (Reply, "/api/v1/replies/", "text_html"),
        (FollowUpUpdate, "/api/v1/follow-up-updates/", "text_html"),
        (Assessment, "/api/v1/assessments/", "reasoning_html"),
        (Practice, "/api/v1/practices/", "text_html"),
    ],
)
def test_the_api_shows_the_stored_html(api_for, world, officer, model, url, field):
    row = model.objects.order_by("pk").first()
    model.objects.filter(pk=row.pk).update(**{field: STORED})
    body = api_for(officer).get(f"{url}{row.pk}/").json()
    assert body[field] == STORED
