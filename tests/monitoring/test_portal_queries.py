"""The portal's pages run a fixed number of queries, whatever the size of the questionnaire or the replies."""

import pytest
from django.urls import reverse

from monitoring.models import ReplyAttachment, Transition
from tests.factories import ReplyFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db

SMALL = {"sections": 1, "questions_per_section": 1}
LARGE = {"sections": 2, "questions_per_section": 3}  # 6 numbered questions, 18 nodes: 6 times SMALL


def filled_submission(round, party, *, by):
    """The Party's draft with one reply (with an attachment and a pointer) per node, and two moves."""
    submission = SubmissionFactory(round=round, party=party)
    previous = None
    for node in round.questions.all():
        previous = ReplyFactory(submission=submission, questions=[node], see_reply=previous)
        ReplyAttachment.objects.create(reply=previous, file="attachments/2026/figures.csv")
    for from_status, to_status in (("draft", "submitted"), ("submitted", "returned")):
        Transition.objects.create(submission=submission, from_status=from_status, to_status=to_status, by=by)
    submission.status = "returned"
    submission.save()
    return submission


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_questionnaire_query_budget(
    client_for, coordinator_a, officer, party_a, size, django_assert_max_num_queries
):
    round = build_round(parties=[party_a], **size)
    filled_submission(round, party_a, by=officer)
    client = client_for(coordinator_a)
    # session, user; the round; submission_to_show: the Party takes part, its submission;
    # the submission again through access (with round, Party, organisation); sections; questions;
    # replies (with updated_by), their questions, their attachments; transitions (with by).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:questionnaire", args=[round.number]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_questionnaire_before_the_first_write_query_budget(
    client_for, coordinator_a, party_a, size, django_assert_max_num_queries
):
    round = build_round(parties=[party_a], **size)
    client = client_for(coordinator_a)
    # session, user; the round; submission_to_show: the Party takes part, no submission yet; the
    # Party (printed); sections; questions. Nothing is written.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:questionnaire", args=[round.number]))
    assert response.status_code == 200
    assert response.context["submission"].pk is None


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_home_query_budget(client_for, coordinator_a, officer, party_a, size, django_assert_max_num_queries):
    for _ in range(1 if size is SMALL else 3):
        round = build_round(parties=[party_a], **size)
        filled_submission(round, party_a, by=officer)
    client = client_for(coordinator_a)
    # session, user (with its unread notifications); rounds; submissions; numbered questions per
    # round; answered refs per submission; what the Secretariat waits for from the Party (its cases).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("portal:home"))
    assert len(response.context["rows"]) == (1 if size is SMALL else 3)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_reply_edit_query_budget(
    client_for, coordinator_a, officer, party_a, size, django_assert_max_num_queries
):
    round = build_round(parties=[party_a], **size)
    reply = filled_submission(round, party_a, by=officer).replies.last()
    client = client_for(coordinator_a)
    # session, user; the reply (with submission and round); then the questionnaire as on its page:
    # sections, questions, replies, their questions, their attachments, transitions.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("portal:reply_edit", args=[reply.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_questionnaire_section_query_budget(
    client_for, coordinator_a, officer, party_a, size, django_assert_max_num_queries
):
    round = build_round(parties=[party_a], **size)
    filled_submission(round, party_a, by=officer)
    client = client_for(coordinator_a)
    # As the first section's page: the table of contents and the links to the other sections are
    # built from the questionnaire already in memory.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:questionnaire_section", args=[round.number, 1]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_send_confirmation_query_budget(
    client_for, coordinator_a, officer, party_a, size, django_assert_max_num_queries
):
    round = build_round(parties=[party_a], **size)
    submission = filled_submission(round, party_a, by=officer)
    client = client_for(coordinator_a)
    # session, user; the round; submission_to_show: the Party takes part, its submission; the
    # submission again through access; sections; questions; replies, their questions, their
    # attachments; transitions. The unanswered questions and items are counted in Python.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:submit", args=[round.number]))
    assert response.status_code == 200
    assert response.context["submission"] == submission
