"""State users write their own draft replies through the API, always through services.reply_save."""

import pytest

from monitoring.models import Reply, Submission
from tests.factories import QuestionFactory, build_round

pytestmark = pytest.mark.django_db

Status = Submission.Status


def _post(client, **data):
    return client.post("/api/v1/replies/", data, format="json")


def _patch(client, reply, **data):
    return client.patch(f"/api/v1/replies/{reply.pk}/", data, format="json")


# --- creating --------------------------------------------------------------------------------------


def test_contributor_adds_a_reply_to_its_submission_by_refs(api_for, world, contributor_a):
    response = _post(
        api_for(contributor_a),
        submission=world.submission_a.pk,
        questions=["1.b", "2"],
        text="Our *law*.",
        language="fr",
    )
    assert response.status_code == 201, response.content
    reply = Reply.objects.get(pk=response.json()["id"])
    assert sorted(q.ref for q in reply.questions.all()) == ["1.b", "2"]
    assert (reply.text, reply.language, reply.version, reply.updated_by) == (
        "Our *law*.",
        "fr",
        1,
        contributor_a,
    )
    assert response.json()["text_html"] == "<p>Our <em>law</em>.</p>"


def test_reply_may_name_its_questions_by_id(api_for, world, contributor_a):
    question = world.questions["4.a"]
    response = _post(api_for(contributor_a), round=2, questions=[question.pk], text="Yes.", language="en")
    assert response.status_code == 201, response.content
    assert response.json()["questions"] == ["4.a"]


def test_reply_by_round_number_opens_the_party_submission_on_first_use(api_for, party_a, coordinator_a):
    build_round(parties=[party_a], number=5)
    response = _post(api_for(coordinator_a), round=5, questions=["1"], text="First.", language="en")
    assert response.status_code == 201, response.content
    submission = Submission.objects.get(round__number=5)
    assert (submission.party, submission.status, submission.replies.count()) == (party_a, Status.DRAFT, 1)


def test_reply_points_to_another_reply_of_the_same_submission(api_for, world, contributor_a):
    response = _post(
        api_for(contributor_a), round=2, questions=["1.b"], language="en", see_reply=world.reply_a.pk
    )
    assert response.status_code == 201, response.content
    assert response.json()["see_reply"] == world.reply_a.pk


def test_reply_text_is_shown_sanitised(api_for, world, contributor_a):
    text = 'Hi<script>alert(1)</script> <a href="javascript:alert(1)" onclick="x()">link</a>'
    response = _post(api_for(contributor_a), round=2, questions=["1"], text=text, language="en")
    assert response.json()["text"] == text
    html = response.json()["text_html"]
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html


def test_state_user_cannot_add_a_reply_to_another_party_submission(api_for, world, contributor_a):
    response = _post(api_for(contributor_a), submission=world.submission_b.pk, questions=["2"], language="en")
    assert response.status_code == 400
    assert Reply.objects.count() == 3


def test_another_party_submission_reads_exactly_like_a_missing_one(api_for, world, contributor_a):
    client = api_for(contributor_a)
    theirs = _post(client, submission=world.submission_b.pk, questions=["2"], language="en")
    missing = _post(client, submission=999_999, questions=["2"], language="en")
    assert theirs.json() == missing.json() == {"submission": ["This record does not exist."]}


def test_state_user_cannot_add_a_reply_to_its_registered_submission(api_for, world, coordinator_b):
    response = _post(api_for(coordinator_b), submission=world.submission_b.pk, questions=["2"], language="en")
    assert response.status_code == 403
    assert response.json() == {"detail": "This submission cannot be changed now."}
    assert world.submission_b.replies.count() == 1


def test_committee_member_cannot_add_a_reply(api_for, world, committee_member):
    response = _post(
        api_for(committee_member), submission=world.submission_b.pk, questions=["2"], language="en"
    )
    assert response.status_code == 403
    assert Reply.objects.count() == 3


def test_secretariat_has_no_submission_of_its_own_to_write_in(api_for, world, officer):
    response = _post(api_for(officer), round=2, questions=["2"], language="en")
    assert response.status_code == 400
    assert list(response.json()) == ["round"]
    assert Submission.objects.count() == 3


def test_state_user_cannot_reply_in_a_round_its_party_does_not_take_part_in(api_for, world, contributor_a):
    response = _post(api_for(contributor_a), round=4, questions=["1"], language="en")
    assert response.status_code == 400
    assert not Submission.objects.filter(round__number=4).exists()


def test_unknown_refs_are_named_and_nothing_is_written(api_for, party_a, coordinator_a):
    build_round(parties=[party_a], number=5)
    response = _post(api_for(coordinator_a), round=5, questions=["1", "99", "1.z"], language="en")
    assert response.status_code == 400
    assert response.json() == {"questions": ["Not in this round's questionnaire: 1.z, 99."]}
    # The submission the call would have opened is not left behind either.
    assert not Submission.objects.exists()


def test_a_question_of_another_round_is_refused(api_for, world, contributor_a):
    elsewhere = QuestionFactory(section__round__number=6, ref="1")
    response = _post(api_for(contributor_a), round=2, questions=[elsewhere.pk], language="en")
    assert response.status_code == 400
    assert list(response.json()) == ["questions"]


def test_pointer_to_a_reply_of_another_submission_is_refused(api_for, world, contributor_a):
    response = _post(
        api_for(contributor_a), round=2, questions=["1"], language="en", see_reply=world.reply_b.pk
    )
    assert response.status_code == 400
    assert list(response.json()) == ["see_reply"]
    assert world.submission_a.replies.count() == 1


def test_submission_and_round_together_are_refused(api_for, world, contributor_a):
    response = _post(
        api_for(contributor_a), submission=world.submission_a.pk, round=2, questions=["1"], language="en"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


# --- changing --------------------------------------------------------------------------------------


def test_contributor_changes_its_reply_based_on_the_version_read(api_for, world, contributor_a):
    response = _patch(api_for(contributor_a), world.reply_a, version=1, text="Changed.")
    assert response.status_code == 200, response.content
    world.reply_a.refresh_from_db()
    assert (world.reply_a.text, world.reply_a.version) == ("Changed.", 2)
    assert response.json()["version"] == 2


def test_a_change_keeps_what_it_does_not_name(api_for, world, contributor_a):
    response = _patch(api_for(contributor_a), world.reply_a, version=1, language="fr")
    body = response.json()
    assert (body["text"], body["language"], body["questions"]) == ("France's **draft**.", "fr", ["1.a"])


def test_a_change_may_move_the_reply_to_other_questions(api_for, world, contributor_a):
    response = _patch(api_for(contributor_a), world.reply_a, version=1, questions=["5", "5.a"])
    assert response.json()["questions"] == ["5", "5.a"]


def test_a_change_needs_the_version_read(api_for, world, contributor_a):
    response = _patch(api_for(contributor_a), world.reply_a, text="No version.")
    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    world.reply_a.refresh_from_db()
    assert world.reply_a.text == "France's **draft**."


def test_a_change_based_on_an_outdated_version_answers_409_with_both_texts(
    api_for, world, contributor_a, coordinator_a
):
    assert (
        _patch(api_for(coordinator_a), world.reply_a, version=1, text="The coordinator's text.").status_code
        == 200
    )
    response = _patch(api_for(contributor_a), world.reply_a, version=1, text="The contributor's text.")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Someone else saved this reply while you were editing it.",
        "current_version": 2,
        "current_text": "The coordinator's text.",
        "your_text": "The contributor's text.",
    }
    world.reply_a.refresh_from_db()
    assert (world.reply_a.text, world.reply_a.version) == ("The coordinator's text.", 2)


def test_state_user_gets_404_changing_another_party_reply(api_for, world, coordinator_a):
    response = _patch(api_for(coordinator_a), world.reply_b, version=1, text="Overwritten.")
    assert response.status_code == 404
    world.reply_b.refresh_from_db()
    assert world.reply_b.text == "Russia's reply."


def test_registered_reply_cannot_be_changed(api_for, world, coordinator_b):
    response = _patch(api_for(coordinator_b), world.reply_b, version=1, text="Too late.")
    assert response.status_code == 403
    world.reply_b.refresh_from_db()
    assert world.reply_b.text == "Russia's reply."


def test_secretariat_cannot_change_a_state_reply_through_the_api(api_for, world, officer):
    response = _patch(api_for(officer), world.reply_a, version=1, text="Edited by the Secretariat.")
    assert response.status_code == 403
    world.reply_a.refresh_from_db()
    assert world.reply_a.version == 1


@pytest.mark.parametrize("method", ["put", "delete"])
def test_replies_are_neither_replaced_nor_deleted(api_for, world, contributor_a, method):
    response = getattr(api_for(contributor_a), method)(
        f"/api/v1/replies/{world.reply_a.pk}/", {}, format="json"
    )
    assert response.status_code == 405
    assert Reply.objects.filter(pk=world.reply_a.pk).exists()


def test_stakeholder_writes_its_comments_in_its_own_submission(api_for, world, stakeholder_b, organisation_b):
    response = _post(api_for(stakeholder_b), round=2, questions=["2"], text="Our view.", language="en")
    assert response.status_code == 201, response.content
    submission = Submission.objects.get(pk=response.json()["submission"])
    assert (submission.party, submission.organisation) == (world.party_b, organisation_b)
    assert not submission.consent_to_publication
