"""The case admin: who handles what, assigned alone or in bulk, with the history saying who and when."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from monitoring.models import Submission
from secretariat import cases
from secretariat.models import Case, Role
from tests.factories import PartyFactory, RoundFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:secretariat_case_changelist")


def open_cases(parties, status=Submission.Status.SUBMITTED) -> list[Case]:
    round_ = RoundFactory()
    for party in parties:
        SubmissionFactory(round=round_, party=party, status=status)
    cases.sync_all()
    return list(Case.objects.filter(party__in=parties).order_by("pk"))


@pytest.fixture
def case(party_a):
    return open_cases([party_a])[0]


#: The page's notes inline, left empty.
NO_NEW_NOTE = {"notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0", "notes-MIN_NUM_FORMS": "0"}


@pytest.fixture
def other_officer():
    return UserFactory(
        username="other-officer", role=Role.SECRETARIAT_OFFICER, first_name="Olga", last_name="Other"
    )


def test_an_officer_assigns_a_case_on_its_page_and_the_history_says_who(
    case, officer, other_officer, client_for
):
    response = client_for(officer).post(
        reverse("admin:secretariat_case_change", args=[case.pk]),
        {"handler": other_officer.pk, **NO_NEW_NOTE},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.handler == other_officer
    latest = case.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (officer, "assigned to Olga Other")


def test_reassigning_and_unassigning_each_leave_a_record(case, officer, other_officer):
    cases.assign([case], handler=officer, by=officer)
    cases.assign([case], handler=other_officer, by=officer)
    cases.assign([case], handler=None, by=officer)
    reasons = [row.history_change_reason for row in case.history.order_by("history_id")][-3:]
    assert reasons == ["assigned to officer", "assigned to Olga Other", "unassigned"]


def test_the_change_page_offers_only_the_handler(case, officer, client_for):
    response = client_for(officer).get(reverse("admin:secretariat_case_change", args=[case.pk]))
    assert list(response.context["adminform"].form.fields) == ["handler"]


def test_bulk_assign_asks_for_the_handler_then_assigns(party_a, party_b, officer, other_officer, client_for):
    chosen = open_cases([party_a, party_b])
    client = client_for(officer)
    selected = {"action": "assign_to", ACTION_CHECKBOX_NAME: [c.pk for c in chosen]}
    page = client.post(CHANGELIST, selected)
    assert page.status_code == 200 and "handler" in page.context["form"].fields
    client.post(CHANGELIST, {**selected, "apply": "1", "handler": other_officer.pk})
    assert {c.handler for c in Case.objects.filter(pk__in=[c.pk for c in chosen])} == {other_officer}


def test_bulk_unassign(party_a, party_b, officer, client_for):
    chosen = open_cases([party_a, party_b])
    cases.assign(chosen, handler=officer, by=officer)
    client_for(officer).post(CHANGELIST, {"action": "unassign", ACTION_CHECKBOX_NAME: [c.pk for c in chosen]})
    assert not Case.objects.filter(handler__isnull=False).exists()


def test_a_case_cannot_go_to_someone_outside_the_secretariat(case, officer, committee_member, client_for):
    response = client_for(officer).post(
        reverse("admin:secretariat_case_change", args=[case.pk]), {"handler": committee_member.pk}
    )
    assert response.status_code == 200  # the form refuses the choice
    case.refresh_from_db()
    assert case.handler is None


def test_only_the_secretariat_assigns(case, committee_member, officer):
    with pytest.raises(PermissionDenied):
        cases.assign([case], handler=officer, by=committee_member)


def test_a_committee_member_reads_cases_but_cannot_assign(case, committee_member, officer, client_for):
    client = client_for(committee_member)
    assert client.get(CHANGELIST).status_code == 200
    client.post(reverse("admin:secretariat_case_change", args=[case.pk]), {"handler": officer.pk})
    case.refresh_from_db()
    assert case.handler is None


def test_state_users_are_refused_the_case_admin(case, coordinator_a, client_for):
    response = client_for(coordinator_a).get(CHANGELIST)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_unassigned_filter_lists_unassigned_cases_only(party_a, party_b, officer, client_for):
    mine, unassigned = open_cases([party_a, party_b])
    cases.assign([mine], handler=officer, by=officer)
    response = client_for(officer).get(CHANGELIST, {"handler": "none"})
    assert [row.pk for row in response.context["cl"].result_list] == [unassigned.pk]
    assert "Unassigned" in response.content.decode()


def test_the_overdue_filter_and_highlight(party_a, officer, client_for):
    late = open_cases([party_a], status=Submission.Status.DRAFT)[0]
    Case.objects.filter(pk=late.pk).update(due_date="2020-01-01")
    response = client_for(officer).get(CHANGELIST, {"overdue": "yes"})
    assert [row.pk for row in response.context["cl"].result_list] == [late.pk]
    assert 'class="overdue"' in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_changelist_runs_a_fixed_number_of_queries(
    count, officer, client_for, django_assert_max_num_queries
):
    chosen = open_cases([PartyFactory() for _ in range(count)])
    cases.assign(chosen[::2], handler=officer, by=officer)
    client = client_for(officer)
    with django_assert_max_num_queries(14):
        assert client.get(CHANGELIST).status_code == 200
