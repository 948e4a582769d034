"""Query budgets of the monitoring admin pages: the same for a few rows as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import RapporteurAssignment, Submission, Transition
from tests.factories import OrganisationFactory, PartyFactory, ReplyFactory

pytestmark = pytest.mark.django_db
Status = Submission.Status


def _grow(round_, parties: int, replies_each: int = 3):
    """Parties with a registered State submission, its replies, and one stakeholder comment each."""
    for _ in range(parties):
        party = PartyFactory()
        round_.parties.add(party)
        submission = Submission.objects.create(round=round_, party=party, status=Status.REGISTERED)
        for ref in ["1", "2.a", "3", "4.b", "5"][:replies_each]:
            ReplyFactory(submission=submission, questions=[round_.questions.get(ref=ref)])
        Submission.objects.create(round=round_, party=party, organisation=OrganisationFactory(party=party))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def rapporteur(committee_member, round_):
    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    return committee_member


# Allowed, for the Secretariat: session, user, the user's and the groups' permissions, the
# rounds of the round filter, the count, the page of rows (replies counted in a subquery).
# A rapporteur adds their assignments and the questions below them (2 queries) each time the
# access rule is applied: for the rows and for the round filter.
SUBMISSIONS_BUDGET = {"officer": 7, "rapporteur": 11}


@pytest.mark.parametrize("persona", ["officer", "rapporteur"])
def test_submission_changelist_query_count_does_not_grow_with_rows(
    request, client_for, round_, persona, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("admin:monitoring_submission_changelist")
    _grow(round_, parties=2)
    few = _count(client, url)
    _grow(round_, parties=10, replies_each=5)
    with django_assert_max_num_queries(SUBMISSIONS_BUDGET[persona]):
        assert client.get(url).status_code == 200
    assert _count(client, url) == few


def test_submission_changelist_of_a_committee_member_is_bounded(
    client_for, committee_member, round_, party_a, django_assert_max_num_queries
):
    submission = Submission.objects.create(round=round_, party=party_a, status="registered")
    ReplyFactory.create_batch(30, submission=submission)
    client = client_for(committee_member)
    # Allowed: the same 7 as for the Secretariat.
    with django_assert_max_num_queries(7):
        assert client.get(reverse("admin:monitoring_submission_changelist")).status_code == 200


# Allowed, for the Secretariat: session, user, the user's and the groups' permissions, the
# rounds and the Parties of the two related filters, the count, the page of rows, the
# questions of the page's replies (one prefetch). A rapporteur adds their assignments and the
# questions below them (2 queries) each time the access rule is applied: for the rows and
# for each of the two related filters.
REPLIES_BUDGET = {"officer": 9, "rapporteur": 15}


@pytest.mark.parametrize("persona", ["officer", "rapporteur"])
def test_reply_changelist_query_count_does_not_grow_with_rows(
    request, client_for, round_, persona, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("admin:monitoring_reply_changelist")
    _grow(round_, parties=2)
    few = _count(client, url)
    _grow(round_, parties=10, replies_each=5)
    with django_assert_max_num_queries(REPLIES_BUDGET[persona]):
        assert client.get(url).status_code == 200
    assert _count(client, url) == few


def test_submission_page_with_many_replies_and_transitions_is_bounded(
    client_for, officer, round_, party_a, django_assert_max_num_queries
):
    submission = Submission.objects.create(round=round_, party=party_a, status=Status.RETURNED)
    for question in round_.questions.all():
        ReplyFactory(submission=submission, questions=[question])
    Transition.objects.bulk_create(
        Transition(submission=submission, from_status="draft", to_status="submitted", by=officer)
        for _ in range(20)
    )
    url = reverse("admin:monitoring_submission_change", args=[submission.pk])
    client = client_for(officer)
    few = _count(client, url)
    ReplyFactory.create_batch(20, submission=submission, questions=[round_.questions.get(ref="1")])
    # Allowed: session, user, the submission, the user's and the groups' permissions, the
    # replies and their questions (one prefetch), the transitions with their authors, the Party
    # and the round shown read-only, the content type of the history link.
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    assert few <= 11
