"""My work: what waits on each user, oldest and most overdue first, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import MonitoringRound, Question, RapporteurAssignment, Submission
from secretariat import cases, work
from secretariat.models import Case, ImportJob
from tests.factories import PartyFactory, RoundFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db
Status = Submission.Status
HOME = reverse("admin:index")


def submission_case(party, status=Status.SUBMITTED, round_=None, **fields) -> Case:
    submission = SubmissionFactory(round=round_ or RoundFactory(), party=party, status=status, **fields)
    kind = cases.kinds()[[k.key for k in cases.kinds()].index("submission")]
    return cases.refresh(kind, submission, party)


def test_mine_lists_my_cases_waiting_on_the_secretariat(party_a, party_b, officer):
    mine = submission_case(party_a)
    submission_case(party_b)  # unassigned
    cases.assign([mine], handler=officer, by=officer)
    assert [item.case for item in work.items_for(officer, "mine")] == [mine]


def test_unassigned_and_everyone(party_a, party_b, officer):
    mine, other = submission_case(party_a), submission_case(party_b)
    cases.assign([mine], handler=officer, by=officer)
    assert [item.case for item in work.items_for(officer, "unassigned")] == [other]
    assert {item.case for item in work.items_for(officer, "everyone")} == {mine, other}


def test_an_unknown_scope_reads_as_mine(party_a, officer):
    submission_case(party_a)
    assert work.items_for(officer, "nonsense") == []


def test_parties_late_against_a_deadline_come_first_most_overdue_first(party_a, party_b, officer):
    waiting = submission_case(PartyFactory())
    later = submission_case(party_a, status=Status.DRAFT, deadline=datetime.date(2024, 5, 1))
    earlier = submission_case(party_b, status=Status.DRAFT, deadline=datetime.date(2023, 5, 1))
    submission_case(PartyFactory(), status=Status.DRAFT, deadline=datetime.date(2099, 1, 1))  # not late
    items = work.items_for(officer, "everyone")
    assert [item.case for item in items] == [earlier, later, waiting]
    assert items[0].overdue and items[0].category == "Submission: being written by the Party, overdue"


def test_counts_per_kind(party_a, party_b, officer):
    submission_case(party_a)
    submission_case(party_b, status=Status.RESUBMITTED)
    assert work.counts(officer, "everyone") == {
        "Submission: to look at again": 1,
        "Submission: to register": 1,
    }


def test_each_item_is_one_click_from_where_it_is_handled(party_a, officer):
    case = submission_case(party_a)
    (item,) = work.items_for(officer, "everyone")
    assert item.url == reverse("admin:monitoring_submission_change", args=[case.subject_id])


def test_my_finished_imports_are_in_my_work(officer, secretariat_admin):
    ImportJob.objects.create(
        kind="themes", file_name="themes.csv", user=officer, status="done", finished_at=timezone.now()
    )
    ImportJob.objects.create(
        kind="themes",
        file_name="theirs.csv",
        user=secretariat_admin,
        status="failed",
        finished_at=timezone.now(),
    )
    ImportJob.objects.create(kind="themes", file_name="running.csv", user=officer, status="importing")
    assert [item.title for item in work.items_for(officer)] == ["themes.csv"]
    assert work.counts(officer) == {"Import: Imported": 1}


def test_a_committee_member_sees_the_cases_of_the_rounds_of_their_questions(
    party_a, party_b, committee_member
):
    theirs = build_round(parties=[party_a], number=71)
    RapporteurAssignment.objects.create(
        question=Question.objects.filter(round=theirs).first(), member=committee_member
    )
    other = build_round(parties=[party_b], number=72)
    for round_ in (theirs, other):
        round_.status = MonitoringRound.Status.ANALYSIS
        round_.save()
    mine = submission_case(party_a, status=Status.REGISTERED, round_=theirs)
    submission_case(party_b, status=Status.REGISTERED, round_=other)
    assert [item.case for item in work.items_for(committee_member)] == [mine]


def test_the_admin_home_opens_on_my_work_and_keeps_the_app_list(party_a, officer, client_for):
    case = submission_case(party_a)
    cases.assign([case], handler=officer, by=officer)
    page = client_for(officer).get(HOME).content.decode()
    assert 'id="my-work"' in page and str(case) in page
    assert reverse("admin:secretariat_case_changelist") in page and 'id="applications"' in page


def test_the_scope_comes_from_the_query_string(party_a, officer, client_for):
    case = submission_case(party_a)
    client = client_for(officer)
    assert str(case) not in client.get(HOME).content.decode()
    assert str(case) in client.get(HOME, {"scope": "unassigned"}).content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_my_work_runs_a_fixed_number_of_queries(count, officer, client_for, django_assert_max_num_queries):
    round_ = RoundFactory()
    for index in range(count):
        case = submission_case(
            PartyFactory(), status=Status.DRAFT if index % 2 else Status.SUBMITTED, round_=round_
        )
        if index % 3 == 0:
            cases.assign([case], handler=officer, by=officer)
    Case.objects.update(due_date=datetime.date(2020, 1, 1))
    client = client_for(officer)
    with django_assert_max_num_queries(12):
        assert client.get(HOME, {"scope": "everyone"}).status_code == 200


# --- the portal's home: what the Secretariat waits for from the Party ----------------------------


def test_a_coordinator_sees_what_waits_on_its_party_only(party_a, party_b, coordinator_a, client_for):
    own = submission_case(party_a, status=Status.RETURNED)
    other = submission_case(party_b, status=Status.RETURNED)
    submission_case(party_a, status=Status.SUBMITTED)  # waits on the Secretariat, not on the Party
    assert [item.case for item in work.items_for(coordinator_a)] == [own]
    page = client_for(coordinator_a).get(reverse("portal:home")).content.decode()
    assert str(own) in page and str(other) not in page


def test_a_coordinator_does_not_see_a_stakeholders_case_on_its_party(party_b, organisation_b, coordinator_b):
    SubmissionFactory(round=RoundFactory(), party=party_b, organisation=organisation_b)
    cases.sync_all()
    assert work.items_for(coordinator_b) == []


@pytest.mark.parametrize("count", [2, 20])
def test_the_portal_home_runs_a_fixed_number_of_queries(
    count, party_a, coordinator_a, client_for, django_assert_max_num_queries
):
    for _ in range(count):
        submission_case(party_a, status=Status.DRAFT)
    client = client_for(coordinator_a)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("portal:home")).status_code == 200
