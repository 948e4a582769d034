"""Who reads which rounds, submissions and replies (secretariat/access.py)."""

import pytest

from monitoring.models import MonitoringRound, RapporteurAssignment, Reply, Submission
from secretariat import access
from tests.factories import OrganisationFactory, ReplyFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db
REGISTERED = Submission.Status.REGISTERED


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b])


def test_state_user_sees_rounds_of_their_party_only(party_a, party_b, coordinator_b):
    mine = build_round(parties=[party_b], number=3)
    build_round(parties=[party_a], number=4)
    assert list(access.scoped(MonitoringRound, coordinator_b)) == [mine]


def test_rounds_in_preparation_are_hidden_from_states(party_b, coordinator_b):
    round_ = build_round(parties=[party_b])
    round_.status = MonitoringRound.Status.PREPARATION
    round_.save()
    assert not access.scoped(MonitoringRound, coordinator_b).exists()


def test_state_user_sees_own_party_submission_but_not_stakeholder_comments(
    round_, party_b, organisation_b, coordinator_b
):
    own = SubmissionFactory(round=round_, party=party_b)
    SubmissionFactory(round=round_, party=party_b, organisation=organisation_b)
    assert list(access.scoped(Submission, coordinator_b)) == [own]


def test_state_user_never_sees_another_party_replies(round_, party_a, coordinator_b):
    ReplyFactory(submission=SubmissionFactory(round=round_, party=party_a, status=REGISTERED))
    assert not access.scoped(Reply, coordinator_b).exists()


def test_stakeholder_sees_only_own_comments(round_, party_b, organisation_b, stakeholder_b):
    own = SubmissionFactory(round=round_, party=party_b, organisation=organisation_b)
    SubmissionFactory(round=round_, party=party_b)
    SubmissionFactory(round=round_, party=party_b, organisation=OrganisationFactory(party=party_b))
    assert list(access.scoped(Submission, stakeholder_b)) == [own]


def test_committee_member_reads_registered_published_replies_only(round_, party_a, party_b, committee_member):
    published = ReplyFactory(submission=SubmissionFactory(round=round_, party=party_a, status=REGISTERED))
    ReplyFactory(submission=SubmissionFactory(round=round_, party=party_b))  # a draft
    confidential = SubmissionFactory(
        round=round_,
        party=party_b,
        organisation=OrganisationFactory(party=party_b),
        status=REGISTERED,
        consent_to_publication=False,
    )
    ReplyFactory(submission=confidential)
    assert list(access.scoped(Reply, committee_member)) == [published]


def test_rapporteur_reads_every_registered_reply_to_their_question(round_, party_b, committee_member):
    question_1 = round_.questions.get(ref="1")
    RapporteurAssignment.objects.create(question=question_1, member=committee_member)
    confidential = SubmissionFactory(
        round=round_,
        party=party_b,
        organisation=OrganisationFactory(party=party_b),
        status=REGISTERED,
        consent_to_publication=False,
    )
    to_item_of_1 = ReplyFactory(submission=confidential, questions=[round_.questions.get(ref="1.a")])
    ReplyFactory(submission=confidential, questions=[round_.questions.get(ref="2")])
    assert list(access.scoped(Reply, committee_member)) == [to_item_of_1]
    assert list(access.scoped(Submission, committee_member)) == [confidential]


def test_rapporteur_never_reads_drafts(round_, party_b, committee_member):
    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    ReplyFactory(
        submission=SubmissionFactory(round=round_, party=party_b), questions=[round_.questions.get(ref="1")]
    )
    assert not access.scoped(Reply, committee_member).exists()


def test_secretariat_reads_everything(round_, party_a, officer):
    ReplyFactory(submission=SubmissionFactory(round=round_, party=party_a))
    assert access.scoped(Reply, officer).count() == 1
