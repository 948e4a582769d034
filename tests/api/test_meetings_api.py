"""The Committee's meetings and decisions through the API: staff read them; a State reads the
published decisions on its Party or on every Party, never a meeting's agenda."""

import datetime

import pytest

from secretariat import meetings
from secretariat.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    day = datetime.date(2027, 3, 8)
    return Meeting.objects.create(number=47, starts_on=day, ends_on=day, place="Strasbourg")


def _decide(meeting, officer, *, party, published, order):
    item = AgendaItem.objects.create(meeting=meeting, order=order, title_en=f"Item {order}", party=party)
    return meetings.decision_record(
        item, kind="take_note", text_en=f"Decision {order}", published=published, by=officer
    )


def test_staff_read_a_meeting_with_its_agenda_in_order(api_for, meeting, officer, party_a):
    AgendaItem.objects.create(meeting=meeting, order=2, title_en="Second", party=party_a)
    AgendaItem.objects.create(meeting=meeting, order=1, title_en="First")

    body = api_for(officer).get("/api/v1/meetings/").json()

    [row] = body["results"]
    assert (row["number"], row["place"]) == (47, "Strasbourg")
    assert [(item["title_en"], item["party"]) for item in row["agenda"]] == [
        ("First", None),
        ("Second", "FRA"),
    ]


def test_a_state_reads_no_meeting(api_for, meeting, coordinator_a):
    assert api_for(coordinator_a).get("/api/v1/meetings/").status_code == 403
    assert api_for(coordinator_a).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 403


def test_a_state_reads_the_published_decisions_on_its_party_or_on_every_party(
    api_for, meeting, officer, coordinator_a, party_a, party_b
):
    own = _decide(meeting, officer, party=party_a, published=True, order=1)
    general = _decide(meeting, officer, party=None, published=True, order=2)
    unpublished = _decide(meeting, officer, party=party_a, published=False, order=3)
    other = _decide(meeting, officer, party=party_b, published=True, order=4)
    client = api_for(coordinator_a)

    listed = {row["id"] for row in client.get("/api/v1/decisions/").json()["results"]}

    assert listed == {own.pk, general.pk}
    assert client.get(f"/api/v1/decisions/{unpublished.pk}/").status_code == 404
    assert client.get(f"/api/v1/decisions/{other.pk}/").status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_the_meetings_list_runs_a_fixed_number_of_queries(
    api_for, officer, party_a, size, django_assert_max_num_queries
):
    for number in range(size):
        day = datetime.date(2027, 1, 1) + datetime.timedelta(days=number)
        meeting = Meeting.objects.create(number=number + 1, starts_on=day, ends_on=day)
        AgendaItem.objects.create(meeting=meeting, order=1, title_en="Item", party=party_a)
    client = api_for(officer)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/meetings/").status_code == 200
