"""Coordinators (and stakeholders) report measures through the API, via services.update_submit."""

import pytest

from recommendations import services
from recommendations.models import FollowUpUpdate

pytestmark = pytest.mark.django_db


def _post(client, **data):
    return client.post("/api/v1/follow-up-updates/", data, format="json")


def _update(target, **extra):
    return {"follow_up": target.pk, "text": "A new law.", "reported_status": "done", **extra}


def test_coordinator_reports_measures_and_the_reported_status_follows(api_for, world, coordinator_a):
    follow_up = world.follow_ups["FRA"]
    data = _update(follow_up, measures_date="2026-01-15", links=["https://www.legifrance.gouv.fr/"])
    response = _post(api_for(coordinator_a), **data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["party"], body["author"], body["links"]) == (
        "FRA",
        "coord-a",
        ["https://www.legifrance.gouv.fr/"],
    )
    update = FollowUpUpdate.objects.get(pk=body["id"])
    assert (update.measures_date.isoformat(), update.organisation) == ("2026-01-15", None)
    follow_up.refresh_from_db()
    assert follow_up.reported_status == "done"


def test_stakeholder_informs_about_the_party_it_works_on(api_for, world, stakeholder_b):
    response = _post(
        api_for(stakeholder_b), **_update(world.follow_ups["RUS"], reported_status="in_progress")
    )
    assert response.status_code == 201, response.content
    assert FollowUpUpdate.objects.get(pk=response.json()["id"]).organisation == stakeholder_b.organisation
    world.follow_ups["RUS"].refresh_from_db()
    assert world.follow_ups["RUS"].reported_status == "planned"  # the State's word, unchanged


def test_contributor_may_not_report(api_for, world, contributor_a):
    response = _post(api_for(contributor_a), **_update(world.follow_ups["FRA"]))
    assert response.status_code == 403
    assert FollowUpUpdate.objects.count() == 2


def test_coordinator_cannot_report_for_another_party(api_for, world, coordinator_a):
    response = _post(api_for(coordinator_a), **_update(world.follow_ups["RUS"]))
    assert response.status_code == 400
    assert response.json() == {"follow_up": ["This record does not exist."]}
    assert FollowUpUpdate.objects.count() == 2


def test_secretariat_does_not_report_for_a_state(api_for, world, officer):
    assert _post(api_for(officer), **_update(world.follow_ups["FRA"])).status_code == 403
    assert FollowUpUpdate.objects.count() == 2


def test_coordinator_cannot_report_on_a_retired_follow_up(api_for, world, coordinator_a):
    world.recommendation.addressed_to_all = False
    world.recommendation.save()
    services.recommendation_sync_follow_ups(recommendation=world.recommendation)
    assert _post(api_for(coordinator_a), **_update(world.follow_ups["FRA"])).status_code == 403


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reported_status": "not_reported"}, "reported_status"),
        ({"reported_status": "finished"}, "reported_status"),
        ({"text": ""}, "text"),
        ({"text": "x" * 100_001}, "text"),
        ({"measures_date": "yesterday"}, "measures_date"),
        ({"links": ["not an address"]}, "links"),
        ({"links": "https://example.org"}, "links"),
        ({"follow_up": "first"}, "follow_up"),
    ],
)
def test_invalid_update_names_the_field_and_writes_nothing(api_for, world, coordinator_a, extra, field):
    response = _post(api_for(coordinator_a), **_update(world.follow_ups["FRA"], **extra))
    assert response.status_code == 400
    assert field in response.json()
    assert FollowUpUpdate.objects.count() == 2


def test_updates_are_neither_changed_nor_deleted(api_for, world, coordinator_a):
    client = api_for(coordinator_a)
    url = f"/api/v1/follow-up-updates/{world.update_a.pk}/"
    assert client.patch(url, {"text": "Changed."}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
