"""Submission workflow: draft -> submitted -> registered, with returns for clarification."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring import services
from monitoring.models import Submission
from tests.factories import ReplyFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db
Status = Submission.Status


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b])


@pytest.fixture
def draft(round_, party_a):
    submission = SubmissionFactory(round=round_, party=party_a)
    ReplyFactory(submission=submission, questions=[round_.questions.get(ref="1")])
    return submission


def test_coordinator_submits_a_draft(draft, coordinator_a):
    services.submission_submit(submission=draft, by=coordinator_a, comment="Here are our replies")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_at is not None
    transition = draft.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by, transition.comment) == (
        Status.DRAFT,
        Status.SUBMITTED,
        coordinator_a,
        "Here are our replies",
    )


def test_transition_is_recorded_in_the_submission_history(draft, coordinator_a):
    services.submission_submit(submission=draft, by=coordinator_a)
    latest = draft.history.latest()
    assert (latest.status, latest.history_user) == (Status.SUBMITTED, coordinator_a)


def test_contributor_cannot_submit(draft, contributor_a):
    with pytest.raises(services.InvalidTransition, match="You may not"):
        services.submission_submit(submission=draft, by=contributor_a)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not draft.transitions.exists()


def test_coordinator_of_another_party_cannot_submit(draft, coordinator_b):
    with pytest.raises(services.InvalidTransition, match="does not exist"):
        services.submission_submit(submission=draft, by=coordinator_b)


def test_empty_submission_cannot_be_submitted(round_, party_a, coordinator_a):
    submission = SubmissionFactory(round=round_, party=party_a)
    with pytest.raises(services.InvalidTransition, match="no reply"):
        services.submission_submit(submission=submission, by=coordinator_a)


def test_secretariat_registers_a_submitted_submission(draft, coordinator_a, officer):
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_register(submission=draft, by=officer)
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert draft.registered_by == officer and draft.registered_at is not None


def test_a_draft_cannot_be_registered(draft, officer):
    with pytest.raises(services.InvalidTransition, match="cannot become"):
        services.submission_register(submission=draft, by=officer)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_state_user_cannot_register(draft, coordinator_a):
    services.submission_submit(submission=draft, by=coordinator_a)
    with pytest.raises(services.InvalidTransition):
        services.submission_register(submission=draft, by=coordinator_a)


def test_return_for_clarification_needs_a_message(draft, coordinator_a, officer):
    services.submission_submit(submission=draft, by=coordinator_a)
    with pytest.raises(services.InvalidTransition, match="message is required"):
        services.submission_return(submission=draft, by=officer, message="  ")


def test_returned_submission_is_editable_and_resubmitted(draft, coordinator_a, contributor_a, officer):
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_return(submission=draft, by=officer, message="Please give statistics for 2016.")
    reply = draft.replies.get()
    services.reply_save(
        submission=draft,
        by=contributor_a,
        reply=reply,
        based_on_version=reply.version,
        data=services.ReplyInput(
            text="With statistics", language="en", question_ids=[q.pk for q in reply.questions.all()]
        ),
    )
    services.submission_submit(submission=draft, by=coordinator_a)
    draft.refresh_from_db()
    assert draft.status == Status.RESUBMITTED
    assert [t.to_status for t in draft.transitions.all()] == [
        Status.SUBMITTED,
        Status.RETURNED,
        Status.RESUBMITTED,
    ]
    assert draft.transitions.get(to_status=Status.RETURNED).comment == "Please give statistics for 2016."


def test_registered_submission_is_read_only(draft, coordinator_a, contributor_a, officer):
    services.submission_submit(submission=draft, by=coordinator_a)
    services.submission_register(submission=draft, by=officer)
    reply = draft.replies.get()
    with pytest.raises(PermissionDenied):
        services.reply_save(
            submission=draft,
            by=contributor_a,
            reply=reply,
            data=services.ReplyInput(
                text="changed", language="en", question_ids=[q.pk for q in reply.questions.all()]
            ),
        )
    reply.refresh_from_db()
    assert reply.text != "changed"


def test_stale_submission_object_cannot_move_twice(draft, coordinator_a, officer):
    services.submission_submit(submission=draft, by=coordinator_a)
    stale = Submission.objects.get(pk=draft.pk)
    services.submission_register(submission=draft, by=officer)
    with pytest.raises(services.InvalidTransition):
        services.submission_register(submission=stale, by=officer)
    assert draft.transitions.filter(to_status=Status.REGISTERED).count() == 1


def test_second_concurrent_edit_is_refused_and_first_kept(draft, coordinator_a, contributor_a):
    reply = draft.replies.get()
    opened = reply.version
    ids = [q.pk for q in reply.questions.all()]
    services.reply_save(
        submission=draft,
        by=coordinator_a,
        reply=reply,
        based_on_version=opened,
        data=services.ReplyInput(text="first", language="en", question_ids=ids),
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.reply_save(
            submission=draft,
            by=contributor_a,
            reply=reply,
            based_on_version=opened,
            data=services.ReplyInput(text="second", language="en", question_ids=ids),
        )
    assert (conflict.value.current.text, conflict.value.attempted_text) == ("first", "second")
    reply.refresh_from_db()
    assert reply.text == "first"


def test_reply_must_answer_a_question_of_the_round(draft, contributor_a):
    other_round = build_round(parties=[draft.party])
    with pytest.raises(ValidationError):
        services.reply_save(
            submission=draft,
            by=contributor_a,
            data=services.ReplyInput(
                text="x", language="en", question_ids=[other_round.questions.first().pk]
            ),
        )


def test_stakeholder_comments_are_confidential_by_default(round_, party_b, organisation_b):
    submission = services.submission_create(round=round_, party=party_b, organisation=organisation_b, by=None)
    assert submission.consent_to_publication is False


def test_state_replies_consent_to_publication_by_default(round_, party_a):
    assert services.submission_create(round=round_, party=party_a, by=None).consent_to_publication is True


def test_respondent_of_a_party_outside_the_round_gets_no_submission(party_a, coordinator_b):
    round_ = build_round(parties=[party_a])
    assert services.submission_for_respondent(round=round_, user=coordinator_b) is None


def test_deadline_defaults_to_the_round_deadline_and_extension_wins(round_, party_a):
    import datetime

    submission = SubmissionFactory(round=round_, party=party_a)
    assert submission.effective_deadline == round_.reply_deadline
    submission.extended_deadline = datetime.date(2027, 2, 1)
    assert submission.effective_deadline == datetime.date(2027, 2, 1)
    assert not submission.is_overdue(today=datetime.date(2027, 1, 15))
    assert submission.is_overdue(today=datetime.date(2027, 2, 2))


def test_stakeholder_gives_consent_to_publication_while_editable(
    round_, party_b, organisation_b, stakeholder_b
):
    submission = services.submission_create(round=round_, party=party_b, organisation=organisation_b, by=None)
    services.submission_set_consent(submission=submission, by=stakeholder_b, consent=True)
    submission.refresh_from_db()
    assert submission.consent_to_publication is True


def test_consent_of_a_registered_submission_cannot_change(round_, party_b, organisation_b, stakeholder_b):
    submission = SubmissionFactory(
        round=round_, party=party_b, organisation=organisation_b, status=Status.REGISTERED
    )
    with pytest.raises(PermissionDenied):
        services.submission_set_consent(submission=submission, by=stakeholder_b, consent=True)


def test_reply_cannot_point_to_another_submission_reply(draft, round_, party_b, contributor_a):
    foreign = ReplyFactory(submission=SubmissionFactory(round=round_, party=party_b))
    with pytest.raises(ValidationError, match="same submission"):
        services.reply_save(
            submission=draft,
            by=contributor_a,
            data=services.ReplyInput(
                text="x",
                language="en",
                question_ids=[round_.questions.get(ref="1").pk],
                see_reply_id=foreign.pk,
            ),
        )
