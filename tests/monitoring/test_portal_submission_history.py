"""The history of a submission in the portal: who moved it, when, from which status to which, and why."""

import pytest
from django.urls import reverse

from monitoring import services
from tests.factories import ReplyFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=1, sections=1)


@pytest.fixture
def returned_submission(round_, party_a, coordinator_a, officer):
    """France's submission, sent, then returned by the Secretariat with a message."""
    submission = SubmissionFactory(round=round_, party=party_a)
    ReplyFactory(submission=submission, text="Our reply")
    services.submission_submit(submission=submission, by=coordinator_a, comment="Here it is")
    return services.submission_return(submission=submission, by=officer, message="Which law exactly?")


def _history(round_) -> str:
    return reverse("portal:submission_history", args=[round_.number])


def test_state_user_reads_who_moved_its_submission_and_why(client_for, contributor_a, returned_submission):
    response = client_for(contributor_a).get(_history(returned_submission.round))
    moves = [(t.from_status, t.to_status, t.by.username, t.comment) for t in response.context["transitions"]]
    assert moves == [
        ("draft", "submitted", "coord-a", "Here it is"),
        ("submitted", "returned", "officer", "Which law exactly?"),
    ]
    assert "Which law exactly?" in response.text


def test_another_partys_history_is_not_found(client_for, coordinator_b, returned_submission):
    # Party B has no submission of its own in this round yet: France's is not shown instead.
    assert client_for(coordinator_b).get(_history(returned_submission.round)).status_code == 404


def test_stakeholder_does_not_read_the_states_history(client_for, stakeholder_b, round_, party_b, officer):
    state = SubmissionFactory(round=round_, party=party_b)
    ReplyFactory(submission=state, text="State reply")
    assert client_for(stakeholder_b).get(_history(round_)).status_code == 404


def test_staff_have_no_portal_history_page(client_for, committee_member, returned_submission):
    assert client_for(committee_member).get(_history(returned_submission.round)).status_code == 404


def test_the_questionnaire_links_its_history(client_for, coordinator_a, returned_submission):
    response = client_for(coordinator_a).get(
        reverse("portal:questionnaire", args=[returned_submission.round.number])
    )
    assert f'href="{_history(returned_submission.round)}"' in response.text


@pytest.mark.parametrize("moves", [1, 20])
def test_history_page_query_budget(
    client_for, coordinator_a, officer, round_, party_a, moves, django_assert_max_num_queries
):
    submission = SubmissionFactory(round=round_, party=party_a)
    for _ in range(moves):
        submission.transitions.create(from_status="draft", to_status="submitted", by=officer)
    client = client_for(coordinator_a)
    # session, user; the submission (with round, Party, organisation); its transitions (with by).
    with django_assert_max_num_queries(4):
        response = client.get(_history(round_))
    assert len(response.context["transitions"]) == moves
