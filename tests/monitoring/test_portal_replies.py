"""Writing, editing, deleting and sending replies through the State portal."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import services
from monitoring.models import Question, Reply, ReplyAttachment, Submission
from tests.factories import ReplyFactory, SubmissionFactory, build_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_ab(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=2, sections=1)


@pytest.fixture
def submission_a(round_ab, party_a):
    return SubmissionFactory(round=round_ab, party=party_a)


@pytest.fixture
def reply_a(round_ab, submission_a):
    return ReplyFactory(submission=submission_a, text="First text", questions=[question(round_ab, "1")])


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def question(round, ref):
    return Question.objects.get(round=round, ref=ref)


def questionnaire_url(round):
    return reverse("portal:questionnaire", args=[round.number])


def new_reply(top, *, text="Our reply", refs=None, **fields):
    """The POST of the "add a reply" form under numbered question `top`."""
    prefix = f"q{top.pk}"
    data = {
        "question": top.pk,
        f"{prefix}-text": text,
        f"{prefix}-language": "en",
        f"{prefix}-questions": [q.pk for q in refs or [top]],
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def edit(reply, *, text, version=None, refs=None):
    return {
        "text": text,
        "language": "en",
        "questions": [q.pk for q in refs or reply.questions.all()],
        "version": reply.version if version is None else version,
    }


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- adding ------------------------------------------------------------------------------------


def test_contributor_saves_a_reply_recorded_in_history_with_its_author(
    client_for, contributor_a, round_ab, submission_a
):
    top, item = question(round_ab, "1"), question(round_ab, "1.a")
    response = client_for(contributor_a).post(
        questionnaire_url(round_ab), new_reply(top, text="We did it", refs=[top, item])
    )
    assert response.status_code == 302
    reply = Reply.objects.get(submission=submission_a)
    assert (reply.text, set(reply.questions.all())) == ("We did it", {top, item})
    assert reply.history.latest().history_user == contributor_a


def section_url(round, order):
    return reverse("portal:questionnaire_section", args=[round.number, order])


def test_after_a_save_the_page_lands_on_the_new_reply_with_the_message_beside_it(
    client_for, contributor_a, round_ab, submission_a
):
    client = client_for(contributor_a)
    top = question(round_ab, "2")
    response = client.post(questionnaire_url(round_ab), new_reply(top, text="Saved here"))
    reply = Reply.objects.get()
    assert response["Location"] == f"{section_url(round_ab, 1)}#r{reply.pk}"
    page = client.get(response["Location"]).text
    article = page.split(f'id="r{reply.pk}"')[1].split("</article>")[0]
    assert "Your reply has been saved." in article
    assert 'class="messages"' not in page  # not also at the top, out of sight


def test_a_refused_reply_is_shown_in_its_section_with_its_form_in_view(
    client_for, contributor_a, round_ab, submission_a
):
    top = question(round_ab, "2")
    response = client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, text="  "))
    assert response.context["current"].section.order == 1
    # The form posts to its own anchor, so that the browser shows the answer at the form.
    assert f'action="{section_url(round_ab, 1)}#add-q{top.pk}"' in response.text
    assert f'<details class="add" id="add-q{top.pk}" open>' in response.text
    assert "Your reply has not been saved" in response.text


def test_after_an_edit_the_page_lands_on_the_reply(client_for, contributor_a, round_ab, reply_a):
    client = client_for(contributor_a)
    response = client.post(reverse("portal:reply_edit", args=[reply_a.pk]), edit(reply_a, text="Better"))
    assert response["Location"] == f"{section_url(round_ab, 1)}#r{reply_a.pk}"
    article = client.get(response["Location"]).text.split(f'id="r{reply_a.pk}"')[1].split("</article>")[0]
    assert "Your reply has been saved." in article


def test_reply_form_only_offers_the_nodes_of_its_question(client_for, contributor_a, round_ab, submission_a):
    top = question(round_ab, "1")
    data = new_reply(top, refs=[question(round_ab, "2.a")])
    response = client_for(contributor_a).post(questionnaire_url(round_ab), data)
    assert response.status_code == 200
    assert response.context["page"].block(top.pk).form.errors["questions"]
    assert not Reply.objects.exists()


def test_empty_reply_is_refused(client_for, contributor_a, round_ab, submission_a):
    top = question(round_ab, "1")
    response = client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, text="  "))
    assert "Write a reply, point to another reply, or attach a file." in response.text
    assert not Reply.objects.exists()


def test_reply_may_point_to_another_reply_of_the_submission(
    client_for, contributor_a, round_ab, submission_a, reply_a
):
    top = question(round_ab, "2")
    client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, text="", see_reply=reply_a.pk))
    assert Reply.objects.get(questions=top).see_reply == reply_a


def test_reply_cannot_point_to_another_partys_reply(
    client_for, contributor_a, coordinator_b, party_b, round_ab, submission_a
):
    theirs = ReplyFactory(submission=SubmissionFactory(round=round_ab, party=party_b), questions=[])
    top = question(round_ab, "2")
    client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, text="", see_reply=theirs.pk))
    assert not Reply.objects.filter(submission=submission_a).exists()


def test_attachment_is_kept_with_the_reply(client_for, contributor_a, round_ab, submission_a):
    top = question(round_ab, "1")
    upload = SimpleUploadedFile("figures.csv", b"year,cases\n2016,12\n", content_type="text/csv")
    client_for(contributor_a).post(
        questionnaire_url(round_ab), new_reply(top, attachment=upload, attachment_title="Figures 2016")
    )
    attachment = ReplyAttachment.objects.get()
    assert attachment.reply.submission == submission_a
    assert attachment.title == "Figures 2016"


def test_attachment_of_a_wrong_type_shows_the_error_and_saves_nothing(
    client_for, contributor_a, round_ab, submission_a
):
    top = question(round_ab, "1")
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, attachment=upload))
    assert response.status_code == 200
    assert response.context["page"].block(top.pk).form.errors["attachment"]
    assert "not accepted" in response.text or "not allowed" in response.text
    assert not Reply.objects.exists()
    assert not ReplyAttachment.objects.exists()


def test_attachment_whose_content_does_not_match_its_extension_is_refused(
    client_for, contributor_a, round_ab, submission_a
):
    top = question(round_ab, "1")
    upload = SimpleUploadedFile("report.pdf", b"not a pdf", content_type="application/pdf")
    client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, attachment=upload))
    assert not Reply.objects.exists()


# --- editing -----------------------------------------------------------------------------------


def test_edit_page_shows_the_current_text(client_for, contributor_a, reply_a):
    response = client_for(contributor_a).get(reverse("portal:reply_edit", args=[reply_a.pk]))
    assert response.status_code == 200
    assert "First text" in response.text


def test_editing_a_reply_saves_the_new_text(client_for, contributor_a, reply_a):
    url = reverse("portal:reply_edit", args=[reply_a.pk])
    response = client_for(contributor_a).post(url, edit(reply_a, text="Second text"))
    assert response.status_code == 302
    reply_a.refresh_from_db()
    assert (reply_a.text, reply_a.version, reply_a.updated_by) == ("Second text", 2, contributor_a)


def test_conflicting_save_is_refused_showing_both_texts(client_for, contributor_a, coordinator_a, reply_a):
    opened_version = reply_a.version
    services.reply_save(
        submission=reply_a.submission,
        by=coordinator_a,
        reply=reply_a,
        based_on_version=opened_version,
        data=services.ReplyInput(
            text="Coordinator's text", language="en", question_ids=[reply_a.questions.get().pk]
        ),
    )
    url = reverse("portal:reply_edit", args=[reply_a.pk])
    response = client_for(contributor_a).post(
        url, edit(reply_a, text="Contributor's text", version=opened_version)
    )
    assert response.status_code == 200
    assert "Someone else saved this reply" in response.text
    assert "Coordinator&#x27;s text" in response.text
    assert "Contributor&#x27;s text" in response.text
    reply_a.refresh_from_db()
    assert reply_a.text == "Coordinator's text"


def test_after_a_conflict_saving_again_is_a_deliberate_choice(
    client_for, contributor_a, coordinator_a, reply_a
):
    Reply.objects.filter(pk=reply_a.pk).update(version=2, text="Theirs")
    url = reverse("portal:reply_edit", args=[reply_a.pk])
    client = client_for(contributor_a)
    response = client.post(url, edit(reply_a, text="Merged", version=1))
    assert response.context["form"]["version"].value() == 2
    client.post(url, edit(reply_a, text="Merged", version=2))
    reply_a.refresh_from_db()
    assert reply_a.text == "Merged"


def test_deleting_a_reply(client_for, contributor_a, round_ab, reply_a):
    response = client_for(contributor_a).post(reverse("portal:reply_delete", args=[reply_a.pk]))
    # Back to the question the reply answered, where the message is shown.
    top = question(round_ab, "1")
    assert (
        response["Location"]
        == reverse("portal:questionnaire_section", args=[round_ab.number, 1]) + f"#q{top.pk}"
    )
    assert not Reply.objects.exists()


def test_delete_needs_a_post(client_for, contributor_a, reply_a):
    response = client_for(contributor_a).get(reverse("portal:reply_delete", args=[reply_a.pk]))
    assert response.status_code == 405
    assert Reply.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_partys_user_gets_404_on_reply_edit(client_for, coordinator_b, reply_a, method):
    url = reverse("portal:reply_edit", args=[reply_a.pk])
    response = getattr(client_for(coordinator_b), method)(url, edit(reply_a, text="Hacked"))
    assert response.status_code == 404
    reply_a.refresh_from_db()
    assert reply_a.text == "First text"


@pytest.mark.parametrize("persona", ["coordinator_b", "stakeholder_b"])
def test_other_respondent_gets_404_on_reply_delete(client_for, reply_a, persona, request):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(reverse("portal:reply_delete", args=[reply_a.pk]))
    assert response.status_code == 404
    assert Reply.objects.filter(pk=reply_a.pk).exists()


# --- sending -----------------------------------------------------------------------------------


def submit_url(round):
    return reverse("portal:submit", args=[round.number])


CONFIRMED = {"confirmed": "yes"}  # the POST of the confirmation page


def test_coordinator_sees_the_send_button(client_for, coordinator_a, round_ab, submission_a):
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    assert submit_url(round_ab) in response.text


def test_contributor_does_not_see_the_send_button(client_for, contributor_a, round_ab, submission_a):
    response = client_for(contributor_a).get(questionnaire_url(round_ab))
    assert submit_url(round_ab) not in response.text


def test_coordinator_submits(client_for, coordinator_a, round_ab, submission_a, reply_a):
    response = client_for(coordinator_a).post(submit_url(round_ab), {"comment": "Here you are.", **CONFIRMED})
    assert response["Location"] == questionnaire_url(round_ab)
    submission_a.refresh_from_db()
    assert submission_a.status == Submission.Status.SUBMITTED
    transition = submission_a.transitions.get()
    assert (transition.by, transition.comment) == (coordinator_a, "Here you are.")


def test_sending_asks_for_confirmation_with_what_is_unanswered(
    client_for, coordinator_a, round_ab, submission_a, reply_a
):
    response = client_for(coordinator_a).get(submit_url(round_ab))
    assert response.status_code == 200
    assert "1 of 2 questions answered." in response.text
    unanswered = response.text.split('id="unanswered"')[1].split("</div>")[0]
    second = question(round_ab, "2")
    assert f"{section_url(round_ab, 1)}#q{second.pk}" in unanswered
    assert "What happens next" in response.text
    assert 'name="confirmed" value="yes"' in response.text
    submission_a.refresh_from_db()
    assert submission_a.status == Submission.Status.DRAFT


def test_confirmation_lists_the_items_without_a_reply_in_answered_questions(
    client_for, coordinator_a, round_ab, submission_a
):
    ReplyFactory(submission=submission_a, questions=[question(round_ab, "1.a")])
    response = client_for(coordinator_a).get(submit_url(round_ab))
    assert [item.ref for item in response.context["page"].partly_answered[0].unanswered_items] == ["1.b"]


def test_a_reply_to_a_question_answers_all_its_items(
    client_for, coordinator_a, round_ab, submission_a, reply_a
):
    response = client_for(coordinator_a).get(submit_url(round_ab))
    assert response.context["page"].partly_answered == []


def test_a_post_without_confirmation_sends_nothing_and_keeps_the_comment(
    client_for, coordinator_a, round_ab, submission_a, reply_a
):
    response = client_for(coordinator_a).post(submit_url(round_ab), {"comment": "Typed before"})
    assert response.status_code == 200
    assert "Typed before" in response.text
    submission_a.refresh_from_db()
    assert submission_a.status == Submission.Status.DRAFT


def test_the_questionnaire_links_the_confirmation_not_a_send_button(
    client_for, coordinator_a, round_ab, submission_a, reply_a
):
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    assert f'href="{submit_url(round_ab)}"' in response.text
    assert 'name="confirmed"' not in response.text


def test_confirmation_page_is_refused_to_a_contributor(client_for, contributor_a, round_ab, reply_a):
    response = client_for(contributor_a).get(submit_url(round_ab))
    assert response.status_code == 302
    assert messages_of(response) == ["You may not send this submission."]


def test_confirmation_of_an_empty_submission_says_there_is_nothing_to_send(
    client_for, coordinator_a, round_ab, submission_a
):
    response = client_for(coordinator_a).get(submit_url(round_ab))
    assert messages_of(response) == ["There is no reply to submit yet."]


def test_contributor_cannot_submit_and_is_told_why(
    client_for, contributor_a, round_ab, submission_a, reply_a
):
    response = client_for(contributor_a).post(submit_url(round_ab), CONFIRMED)
    assert response.status_code == 302
    assert messages_of(response) == ["You may not mark this submission as “Submitted”."]
    submission_a.refresh_from_db()
    assert submission_a.status == Submission.Status.DRAFT


def test_submitting_nothing_is_refused_with_a_message(client_for, coordinator_a, round_ab, submission_a):
    response = client_for(coordinator_a).post(submit_url(round_ab), CONFIRMED)
    assert messages_of(response) == ["There is no reply to submit yet."]
    submission_a.refresh_from_db()
    assert submission_a.status == Submission.Status.DRAFT


def test_returned_submission_is_sent_again_as_resubmitted(client_for, coordinator_a, round_ab, party_a):
    submission = SubmissionFactory(round=round_ab, party=party_a, status=Submission.Status.RETURNED)
    ReplyFactory(submission=submission, questions=[question(round_ab, "1")])
    client_for(coordinator_a).post(submit_url(round_ab), CONFIRMED)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RESUBMITTED


def test_stakeholder_submits_its_own_comments(client_for, stakeholder_b, organisation_b, round_ab):
    comments = SubmissionFactory(round=round_ab, party=organisation_b.party, organisation=organisation_b)
    ReplyFactory(submission=comments, questions=[question(round_ab, "1")])
    client_for(stakeholder_b).post(submit_url(round_ab), CONFIRMED)
    comments.refresh_from_db()
    assert comments.status == Submission.Status.SUBMITTED


def test_submit_of_a_round_the_party_is_not_in_answers_404(client_for, party_a, coordinator_b):
    only_a = build_round(parties=[party_a], questions_per_section=1, sections=1)
    assert client_for(coordinator_b).post(submit_url(only_a), CONFIRMED).status_code == 404


# --- the first write opens the submission; reading, or a refused write, opens nothing -----------


def test_first_upload_opens_the_submission_with_its_reply(client_for, contributor_a, round_ab, party_a):
    top = question(round_ab, "1")
    upload = SimpleUploadedFile("figures.csv", b"year,cases\n2016,12\n", content_type="text/csv")
    response = client_for(contributor_a).post(
        questionnaire_url(round_ab), new_reply(top, text="", attachment=upload)
    )
    assert response.status_code == 302
    attachment = ReplyAttachment.objects.get()
    submission = Submission.objects.get()
    assert attachment.reply.submission == submission
    assert (submission.round, submission.party, submission.status) == (round_ab, party_a, "draft")


def test_refused_first_reply_opens_nothing(client_for, contributor_a, round_ab):
    top = question(round_ab, "1")
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    client = client_for(contributor_a)
    assert client.post(questionnaire_url(round_ab), new_reply(top, text="  ")).status_code == 200
    assert client.post(questionnaire_url(round_ab), new_reply(top, attachment=upload)).status_code == 200
    assert not Submission.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a"])
def test_refused_first_submit_opens_nothing(client_for, request, persona, round_ab):
    response = client_for(request.getfixturevalue(persona)).post(submit_url(round_ab), CONFIRMED)
    assert response["Location"] == questionnaire_url(round_ab)
    assert messages_of(response) == ["There is no reply to submit yet."]
    assert not Submission.objects.exists()


def test_first_consent_opens_the_stakeholders_comments(client_for, stakeholder_b, organisation_b, round_ab):
    response = client_for(stakeholder_b).post(
        reverse("portal:consent", args=[round_ab.number]), {"consent": "yes"}
    )
    assert response["Location"] == questionnaire_url(round_ab)
    submission = Submission.objects.get()
    assert (submission.organisation, submission.consent_to_publication) == (organisation_b, True)


# --- read-only once sent -----------------------------------------------------------------------


@pytest.fixture
def sent(submission_a, reply_a):
    Submission.objects.filter(pk=submission_a.pk).update(status=Submission.Status.SUBMITTED)
    return submission_a


def test_sent_submission_is_shown_read_only(client_for, contributor_a, round_ab, sent, reply_a):
    response = client_for(contributor_a).get(questionnaire_url(round_ab))
    assert "First text" in response.text
    assert "read-only" in response.text
    assert reverse("portal:reply_edit", args=[reply_a.pk]) not in response.text
    assert "<textarea" not in response.text


def test_editing_a_reply_of_a_sent_submission_is_refused(client_for, contributor_a, round_ab, sent, reply_a):
    url = reverse("portal:reply_edit", args=[reply_a.pk])
    response = client_for(contributor_a).post(url, edit(reply_a, text="Too late"))
    assert response["Location"] == questionnaire_url(round_ab)
    assert messages_of(response) == ["This submission cannot be changed now."]
    reply_a.refresh_from_db()
    assert reply_a.text == "First text"


def test_adding_a_reply_to_a_sent_submission_is_refused(client_for, contributor_a, round_ab, sent):
    client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(question(round_ab, "2")))
    assert Reply.objects.count() == 1


def test_deleting_a_reply_of_a_sent_submission_is_refused(client_for, contributor_a, sent, reply_a):
    response = client_for(contributor_a).post(reverse("portal:reply_delete", args=[reply_a.pk]))
    assert messages_of(response) == ["This submission cannot be changed now."]
    assert Reply.objects.filter(pk=reply_a.pk).exists()


def test_adding_a_reply_to_a_question_of_another_round_answers_404(
    client_for, contributor_a, party_a, round_ab, submission_a
):
    other_round = build_round(parties=[party_a], questions_per_section=1, sections=1)
    foreign = question(other_round, "1")
    response = client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(foreign))
    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_edit_form_offers_the_nodes_of_every_question_the_reply_answers(
    client_for, contributor_a, round_ab, submission_a
):
    reply = ReplyFactory(
        submission=submission_a, questions=[question(round_ab, "1.a"), question(round_ab, "2")]
    )
    response = client_for(contributor_a).get(reverse("portal:reply_edit", args=[reply.pk]))
    offered = {label.split(" – ")[0] for _, label in response.context["form"].fields["questions"].choices}
    assert offered == {"1", "1.a", "1.b", "2", "2.a", "2.b"}


def test_stakeholder_consents_to_publication_in_the_portal(client_for, stakeholder_b, organisation_b):
    from django.urls import reverse

    from monitoring.models import Submission
    from tests.factories import build_round

    round_ = build_round(parties=[organisation_b.party], number=77)
    services.submission_for_respondent(round=round_, user=stakeholder_b)
    client = client_for(stakeholder_b)
    client.get(reverse("portal:questionnaire", args=[77]))
    assert Submission.objects.get(round=round_).consent_to_publication is False
    client.post(reverse("portal:consent", args=[77]), {"consent": "yes"})
    assert Submission.objects.get(round=round_).consent_to_publication is True


def test_a_stakeholder_reads_its_publication_choice_before_sending(
    client_for, stakeholder_b, organisation_b, round_ab
):
    comments = SubmissionFactory(
        round=round_ab, party=organisation_b.party, organisation=organisation_b, consent_to_publication=False
    )
    ReplyFactory(submission=comments, questions=[question(round_ab, "1")])
    response = client_for(stakeholder_b).get(submit_url(round_ab))
    assert "confidential: never published" in response.text.split('id="consent"')[1]
