"""The API's cases, notifications and correspondence: scoped like everything else, writes through services."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from secretariat.models import Case, Correspondence, Notification
from tests.conftest import make_user
from tests.factories import OrganisationFactory, PartyFactory

pytestmark = pytest.mark.django_db

BASE = 4  # session, user, user permissions, group permissions
TODAY = timezone.localdate()


def make_case(
    party,
    *,
    kind="submission",
    organisation=None,
    handler=None,
    due=None,
    waiting_on=Case.WaitingOn.SECRETARIAT,
):
    return Case.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(party),
        subject_id=party.pk,
        party=party,
        organisation=organisation,
        title_en=f"{party.name_en}'s replies",
        title_fr=f"Réponses de {party.name_fr}",
        state="submitted",
        waiting_on=waiting_on,
        due_date=due,
        handler=handler,
    )


def make_notification(recipient, subject="Something happened", **fields):
    return Notification.objects.create(
        recipient=recipient,
        event="submission.submitted",
        key=f"k:{subject}",
        subject=subject,
        body="…",
        **fields,
    )


def make_letter(party, subject="Reminder", **fields):
    return Correspondence.objects.create(
        party=party,
        kind=Correspondence.Kind.LETTER_SENT,
        subject=subject,
        recipients="a@x.org\nb@x.org",
        **fields,
    )


# --- cases -----------------------------------------------------------------------------------------


def test_a_state_user_lists_its_own_party_s_cases_only(api_for, coordinator_a, party_a, party_b):
    own = make_case(party_a)
    make_case(party_b)
    answer = api_for(coordinator_a).get("/api/v1/cases/")
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [own.pk]


def test_a_state_user_does_not_see_the_stakeholders_cases_about_its_party(api_for, coordinator_a, party_a):
    make_case(party_a, organisation=OrganisationFactory(party=party_a))
    assert api_for(coordinator_a).get("/api/v1/cases/").json()["count"] == 0


def test_another_party_s_case_answers_404(api_for, coordinator_a, party_b):
    other = make_case(party_b)
    assert api_for(coordinator_a).get(f"/api/v1/cases/{other.pk}/").status_code == 404


def test_a_case_shows_its_handler_and_what_it_waits_on(api_for, officer, party_a):
    case = make_case(party_a, handler=officer, due=TODAY - datetime.timedelta(days=1))
    row = api_for(officer).get(f"/api/v1/cases/{case.pk}/").json()
    assert row["handler"] == officer.pk
    assert row["waiting_on"] == "secretariat"
    assert row["party"] == party_a.code
    assert row["overdue"] is True


def test_cases_filter_unassigned_and_overdue(api_for, officer, party_a, party_b):
    late = make_case(party_a, due=TODAY - datetime.timedelta(days=3))
    make_case(party_b, handler=officer, due=TODAY + datetime.timedelta(days=3))
    client = api_for(officer)
    assert [r["id"] for r in client.get("/api/v1/cases/?unassigned=true").json()["results"]] == [late.pk]
    assert [r["id"] for r in client.get("/api/v1/cases/?overdue=true").json()["results"]] == [late.pk]


def test_an_officer_assigns_a_case_and_its_history_says_who(api_for, officer, secretariat_admin, party_a):
    case = make_case(party_a)
    answer = api_for(secretariat_admin).post(
        f"/api/v1/cases/{case.pk}/assign/", {"handler": officer.pk}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["handler"] == officer.pk
    latest = case.history.latest()
    assert (latest.handler_id, latest.history_user) == (officer.pk, secretariat_admin)


def test_a_case_is_unassigned_with_null(api_for, officer, party_a):
    case = make_case(party_a, handler=officer)
    answer = api_for(officer).post(f"/api/v1/cases/{case.pk}/assign/", {"handler": None}, format="json")
    assert answer.status_code == 200
    assert answer.json()["handler"] is None


def test_a_state_user_may_not_assign_its_case(api_for, coordinator_a, officer, party_a):
    case = make_case(party_a)
    answer = api_for(coordinator_a).post(
        f"/api/v1/cases/{case.pk}/assign/", {"handler": officer.pk}, format="json"
    )
    assert answer.status_code == 403
    case.refresh_from_db()
    assert case.handler is None


def test_a_case_goes_only_to_a_secretariat_user(api_for, officer, committee_member, party_a):
    case = make_case(party_a)
    answer = api_for(officer).post(
        f"/api/v1/cases/{case.pk}/assign/", {"handler": committee_member.pk}, format="json"
    )
    assert answer.status_code == 400
    assert "Secretariat" in str(answer.json())


def test_an_unknown_handler_reads_as_a_missing_record(api_for, officer, party_a):
    case = make_case(party_a)
    answer = api_for(officer).post(f"/api/v1/cases/{case.pk}/assign/", {"handler": 10**9}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"handler": ["This record does not exist."]}


@pytest.mark.parametrize("rows", [2, 20])
def test_the_case_list_runs_a_fixed_number_of_queries(api_for, officer, rows, django_assert_max_num_queries):
    for party in PartyFactory.create_batch(rows):
        make_case(party, handler=officer)
    client = api_for(officer)
    with django_assert_max_num_queries(BASE + 2):
        assert client.get("/api/v1/cases/").json()["count"] == rows


# --- notifications ---------------------------------------------------------------------------------


def test_everyone_reads_their_own_notifications_only(api_for, officer, coordinator_a):
    mine = make_notification(coordinator_a, "Yours")
    make_notification(officer, "Not yours")
    rows = api_for(coordinator_a).get("/api/v1/notifications/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]


def test_someone_else_s_notification_answers_404(api_for, officer, coordinator_a):
    theirs = make_notification(officer)
    client = api_for(coordinator_a)
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_is_marked_read(api_for, coordinator_a):
    notification = make_notification(coordinator_a)
    answer = api_for(coordinator_a).post(f"/api/v1/notifications/{notification.pk}/read/")
    assert answer.status_code == 200
    assert answer.json()["unread"] is False


def test_all_notifications_are_marked_read_at_once(api_for, coordinator_a, officer):
    make_notification(coordinator_a, "one")
    make_notification(coordinator_a, "two")
    make_notification(officer, "someone else's")
    client = api_for(coordinator_a)
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 1


# --- correspondence --------------------------------------------------------------------------------


def test_a_state_user_reads_its_own_party_s_correspondence(api_for, coordinator_a, party_a, party_b):
    own = make_letter(party_a)
    make_letter(party_b)
    rows = api_for(coordinator_a).get("/api/v1/correspondence/").json()["results"]
    assert [row["id"] for row in rows] == [own.pk]
    assert rows[0]["recipients"] == ["a@x.org", "b@x.org"]


def test_another_party_s_letter_answers_404_whatever_the_filter(api_for, coordinator_a, party_b):
    other = make_letter(party_b)
    client = api_for(coordinator_a)
    assert client.get(f"/api/v1/correspondence/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/correspondence/?party={party_b.code}").json()["count"] == 0


def test_a_stakeholder_reads_no_correspondence(api_for, stakeholder_b, party_b):
    make_letter(party_b)
    assert api_for(stakeholder_b).get("/api/v1/correspondence/").json()["count"] == 0


def test_the_secretariat_filters_the_log_by_party(api_for, officer, party_a, party_b):
    make_letter(party_a)
    theirs = make_letter(party_b)
    rows = api_for(officer).get(f"/api/v1/correspondence/?party={party_b.code.lower()}").json()["results"]
    assert [row["id"] for row in rows] == [theirs.pk]


def test_a_user_without_a_role_reads_nothing(api_for, party_a):
    make_case(party_a)
    nobody = make_user("nobody", role="")
    assert api_for(nobody).get("/api/v1/cases/").status_code == 403


# --- my work ---------------------------------------------------------------------------------------


def test_my_work_lists_the_officer_s_own_cases_by_default(api_for, officer, party_a, party_b):
    mine = make_case(party_a, handler=officer)
    make_case(party_b)
    answer = api_for(officer).get("/api/v1/my-work/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["scope"] == "mine"
    assert [item["case"] for item in body["items"]] == [mine.pk]
    assert sum(body["counts"].values()) == 1


def test_my_work_shows_the_unassigned_cases_on_request(api_for, officer, party_a, party_b):
    make_case(party_a, handler=officer)
    free = make_case(party_b)
    body = api_for(officer).get("/api/v1/my-work/?scope=unassigned").json()
    assert [item["case"] for item in body["items"]] == [free.pk]


def test_an_unknown_scope_reads_as_mine(api_for, officer):
    assert api_for(officer).get("/api/v1/my-work/?scope=<script>").json()["scope"] == "mine"


def test_a_state_user_s_work_is_what_the_secretariat_awaits_from_its_party(
    api_for, coordinator_a, party_a, party_b
):
    awaited = make_case(party_a, waiting_on=Case.WaitingOn.PARTY, due=TODAY)
    make_case(party_a, kind="follow_up")  # waiting on the Secretariat: not the Party's work
    make_case(party_b, waiting_on=Case.WaitingOn.PARTY)
    body = api_for(coordinator_a).get("/api/v1/my-work/").json()
    assert [item["case"] for item in body["items"]] == [awaited.pk]


@pytest.mark.parametrize("rows", [2, 20])
def test_my_work_runs_a_fixed_number_of_queries(api_for, officer, rows, django_assert_max_num_queries):
    for party in PartyFactory.create_batch(rows):
        make_case(party, handler=officer)
    client = api_for(officer)
    with django_assert_max_num_queries(BASE + 4):
        assert len(client.get("/api/v1/my-work/").json()["items"]) == rows
