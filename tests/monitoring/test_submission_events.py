"""The submission's events tell the right people, in their language, once, and nobody else."""

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import Submission
from secretariat import cases
from secretariat.models import Case, Notification, Role
from tests.factories import ReplyFactory, SubmissionFactory, UserFactory, build_round

pytestmark = pytest.mark.django_db
Status = Submission.Status


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b])


def _draft(round_, party, by, organisation=None) -> Submission:
    submission = SubmissionFactory(round=round_, party=party, organisation=organisation)
    ReplyFactory(submission=submission, questions=[round_.questions.get(ref="1")], updated_by=by)
    return submission


@pytest.fixture
def draft_a(round_, party_a, contributor_a):
    return _draft(round_, party_a, contributor_a)


def _told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def test_a_submission_sent_with_no_handler_tells_every_active_officer(
    draft_a, coordinator_a, officer, secretariat_admin, committee_member, coordinator_b
):
    other = UserFactory(username="officer-2", role=Role.SECRETARIAT_OFFICER)
    UserFactory(username="former-officer", role=Role.SECRETARIAT_OFFICER, is_active=False)
    services.submission_submit(submission=draft_a, by=coordinator_a)
    assert _told("submission.submitted") == {officer.username, other.username}


def test_a_submission_sent_tells_only_its_handler_when_it_has_one(draft_a, coordinator_a, officer):
    handler = UserFactory(username="handler", role=Role.SECRETARIAT_OFFICER)
    cases.sync_all()
    cases.assign(Case.objects.filter(party=draft_a.party), handler=handler, by=officer)
    services.submission_submit(submission=draft_a, by=coordinator_a)
    notification = Notification.objects.get(event="submission.submitted")
    assert notification.recipient == handler
    assert notification.url == reverse("admin:monitoring_submission_change", args=[draft_a.pk])
    assert notification.case.party == draft_a.party


def test_a_resubmission_tells_the_secretariat_again(draft_a, coordinator_a, officer):
    services.submission_submit(submission=draft_a, by=coordinator_a)
    services.submission_return(submission=draft_a, by=officer, message="Question 1?")
    services.submission_submit(submission=draft_a, by=coordinator_a)
    assert _told("submission.resubmitted") == {officer.username}


def test_a_return_tells_the_partys_people_the_message(draft_a, coordinator_a, contributor_a, officer):
    services.submission_submit(submission=draft_a, by=coordinator_a)
    services.submission_return(submission=draft_a, by=officer, message="Please complete question 1.")
    returned = Notification.objects.filter(event="submission.returned")
    assert {n.recipient for n in returned} == {coordinator_a, contributor_a}
    assert all("Please complete question 1." in n.body for n in returned)
    assert all(n.url == reverse("portal:questionnaire", args=[draft_a.round.number]) for n in returned)


def test_a_french_speaking_coordinator_reads_it_in_french(draft_a, coordinator_a, officer):
    coordinator_a.language = "fr"
    coordinator_a.save()
    services.submission_submit(submission=draft_a, by=coordinator_a)
    services.submission_register(submission=draft_a, by=officer)
    notification = Notification.objects.get(event="submission.registered", recipient=coordinator_a)
    assert draft_a.round.title_fr in notification.body
    assert draft_a.round.title_en not in notification.body


def test_registration_tells_the_coordinators_and_the_contributors_who_wrote(
    draft_a, coordinator_a, contributor_a, party_a, officer
):
    UserFactory(username="silent-contributor", role=Role.STATE_CONTRIBUTOR, party=party_a)
    services.submission_submit(submission=draft_a, by=coordinator_a)
    services.submission_register(submission=draft_a, by=officer)
    # The coordinator sent it: told of the registration all the same; the officer made it: not told.
    assert _told("submission.registered") == {coordinator_a.username, contributor_a.username}


def test_nobody_of_another_party_is_ever_told(draft_a, coordinator_a, officer, coordinator_b, party_b):
    UserFactory(username="contrib-b", role=Role.STATE_CONTRIBUTOR, party=party_b)
    services.submission_submit(submission=draft_a, by=coordinator_a)
    services.submission_return(submission=draft_a, by=officer, message="More please.")
    services.submission_submit(submission=draft_a, by=coordinator_a)
    services.submission_register(submission=draft_a, by=officer)
    assert not Notification.objects.filter(recipient__party=party_b).exists()
    assert set(Notification.objects.values_list("party", flat=True)) == {draft_a.party_id}


def test_a_stakeholders_comments_are_told_to_the_stakeholder_not_to_the_state(
    round_, party_b, organisation_b, stakeholder_b, coordinator_b, officer
):
    comments = _draft(round_, party_b, stakeholder_b, organisation=organisation_b)
    services.submission_submit(submission=comments, by=stakeholder_b)
    services.submission_return(submission=comments, by=officer, message="Which law?")
    assert _told("submission.returned") == {stakeholder_b.username}


def test_the_same_event_never_tells_anyone_twice(draft_a, coordinator_a, officer):
    from secretariat import events

    services.submission_submit(submission=draft_a, by=coordinator_a)
    transition = draft_a.transitions.get()
    # The same occurrence emitted again (a retried job, a replayed event) makes no new notification.
    events.emit(
        "submission.submitted",
        subject=draft_a,
        party=draft_a.party,
        by=coordinator_a,
        occurrence=str(transition.pk),
    )
    assert Notification.objects.filter(event="submission.submitted", recipient=officer).count() == 1
