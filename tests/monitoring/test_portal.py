"""The State portal's pages: who sees which round, the questionnaire, history, languages, access."""

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import MonitoringRound, Question, Submission, Transition
from secretariat.models import Role
from tests.factories import PartyFactory, ReplyFactory, SubmissionFactory, UserFactory, build_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_ab(party_a, party_b):
    """A collecting round where France (A) and the Russian Federation (B) take part."""
    return build_round(parties=[party_a, party_b], questions_per_section=2, sections=2)


@pytest.fixture
def submission_a(round_ab, party_a):
    return SubmissionFactory(round=round_ab, party=party_a)


def question(round, ref):
    return Question.objects.get(round=round, ref=ref)


def questionnaire_url(round):
    return reverse("portal:questionnaire", args=[round.number])


# --- signing in --------------------------------------------------------------------------------


def test_anonymous_user_is_sent_to_the_portal_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_login_leads_to_the_portal_home(client, coordinator_a):
    response = client.post(reverse("portal:login"), {"login": coordinator_a.username, "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_logout_is_a_post_that_returns_to_login(client_for, coordinator_a):
    response = client_for(coordinator_a).post(reverse("portal:logout"))
    assert response["Location"] == reverse("portal:login")


# --- home ----------------------------------------------------------------------------------------


def test_home_lists_only_own_rounds(client_for, coordinator_a, party_a, party_b, round_ab):
    only_b = build_round(parties=[party_b], questions_per_section=1, sections=1)
    in_preparation = build_round(parties=[party_a], questions_per_section=1, sections=1)
    in_preparation.status = MonitoringRound.Status.PREPARATION
    in_preparation.save()
    response = client_for(coordinator_a).get(reverse("portal:home"))
    assert questionnaire_url(round_ab) in response.text
    assert questionnaire_url(only_b) not in response.text
    assert questionnaire_url(in_preparation) not in response.text


def test_home_counts_a_question_answered_by_a_reply_to_any_of_its_nodes(
    client_for, coordinator_a, round_ab, submission_a
):
    ReplyFactory(submission=submission_a, questions=[question(round_ab, "1.a"), question(round_ab, "1.b")])
    ReplyFactory(submission=submission_a, questions=[question(round_ab, "3")])
    response = client_for(coordinator_a).get(reverse("portal:home"))
    rows = response.context["rows"]
    assert [(row.answered, row.total) for row in rows] == [(2, 4)]
    assert "2 / 4" in response.text


def test_home_shows_submission_status_and_overdue_deadline(client_for, coordinator_a, round_ab, party_a):
    SubmissionFactory(round=round_ab, party=party_a, deadline="2020-01-31")
    response = client_for(coordinator_a).get(reverse("portal:home"))
    assert "Draft" in response.text
    assert "Overdue" in response.text


def test_home_shows_not_started_before_the_first_visit(client_for, coordinator_a, round_ab):
    response = client_for(coordinator_a).get(reverse("portal:home"))
    assert "Not started" in response.text
    assert not Submission.objects.exists()


def test_home_sends_secretariat_to_the_admin(client_for, officer, round_ab):
    response = client_for(officer).get(reverse("portal:home"))
    assert reverse("admin:index") in response.text
    assert questionnaire_url(round_ab) not in response.text


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_home_offers_no_way_into_the_admin_to_states_and_stakeholders(request, client_for, persona, round_ab):
    response = client_for(request.getfixturevalue(persona)).get(reverse("portal:home"))
    assert 'href="/admin/' not in response.text


# --- questionnaire -------------------------------------------------------------------------------


def section_url(round, order):
    return reverse("portal:questionnaire_section", args=[round.number, order])


def test_questionnaire_shows_the_first_section_and_a_table_of_contents(client_for, coordinator_a, round_ab):
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    assert response.status_code == 200
    assert "Section 1" in response.text and "Section 2" in response.text
    assert section_url(round_ab, 2) in response.text  # the contents and "next" lead to section 2
    for ref in ("1", "1.a", "2.b"):
        assert question(round_ab, ref).text_en in response.text
    assert question(round_ab, "4.b").text_en not in response.text


def test_each_section_has_its_own_page(client_for, coordinator_a, round_ab):
    response = client_for(coordinator_a).get(section_url(round_ab, 2))
    assert question(round_ab, "4.b").text_en in response.text
    assert question(round_ab, "1.a").text_en not in response.text
    assert 'rel="prev"' in response.text and 'rel="next"' not in response.text


def test_unknown_section_answers_404(client_for, coordinator_a, round_ab):
    assert client_for(coordinator_a).get(section_url(round_ab, 9)).status_code == 404


def test_table_of_contents_says_which_questions_are_answered(
    client_for, coordinator_a, round_ab, submission_a
):
    ReplyFactory(submission=submission_a, questions=[question(round_ab, "3.a")])
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    toc = response.text.split('id="toc"')[1].split("</nav>")[0]
    answered = [line for line in toc.split("<li") if 'class="answered"' in line]
    assert len(answered) == 1 and f"#q{question(round_ab, '3').pk}" in answered[0]
    assert toc.count('class="unanswered"') == 3


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "stakeholder_b"])
def test_reading_the_questionnaire_opens_no_submission(client_for, request, persona, round_ab):
    response = client_for(request.getfixturevalue(persona)).get(questionnaire_url(round_ab))
    assert response.status_code == 200
    shown = response.context["submission"]
    assert (shown.pk, shown.status, shown.effective_deadline) == (None, "draft", round_ab.reply_deadline)
    assert response.context["editable"]
    assert "Draft" in response.text and "Not sent yet." in response.text
    assert not Submission.objects.exists()


def test_first_write_opens_the_partys_draft(client_for, contributor_a, round_ab, party_a):
    client = client_for(contributor_a)
    client.get(questionnaire_url(round_ab))
    top = question(round_ab, "1")
    prefix = f"q{top.pk}"
    data = {
        "question": top.pk,
        f"{prefix}-text": "Ours",
        f"{prefix}-language": "en",
        f"{prefix}-questions": top.pk,
    }
    assert client.post(questionnaire_url(round_ab), data).status_code == 302
    submission = Submission.objects.get(round=round_ab)
    assert (submission.party, submission.organisation, submission.status) == (party_a, None, "draft")
    assert [reply.text for reply in submission.replies.all()] == ["Ours"]


def test_questionnaire_shows_replies_under_their_numbered_question(
    client_for, coordinator_a, round_ab, submission_a
):
    reply = ReplyFactory(
        submission=submission_a, text="Our **national** plan", questions=[question(round_ab, "2.b")]
    )
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    blocks = {block.question.ref: block for block in response.context["page"].blocks}
    assert blocks["2"].replies == [reply]
    assert blocks["1"].replies == []
    assert "Our <strong>national</strong> plan" in response.text


def test_reply_answering_two_numbered_questions_is_shown_under_both(
    client_for, coordinator_a, round_ab, submission_a
):
    reply = ReplyFactory(
        submission=submission_a, questions=[question(round_ab, "1"), question(round_ab, "2.a")]
    )
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    blocks = {block.question.ref: block for block in response.context["page"].blocks}
    assert blocks["1"].replies == [reply] and blocks["2"].replies == [reply]
    assert response.context["page"].answered == 2


def test_raw_html_script_in_a_reply_is_not_rendered(client_for, coordinator_a, round_ab, submission_a):
    ReplyFactory(
        submission=submission_a,
        text='<script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">link</a>',
        questions=[question(round_ab, "1")],
    )
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    assert "<script" not in response.text
    assert 'href="javascript' not in response.text
    assert " onclick=" not in response.text


def test_see_reply_pointer_names_the_reply_it_points_to(client_for, coordinator_a, round_ab, submission_a):
    target = ReplyFactory(submission=submission_a, questions=[question(round_ab, "1.a")])
    ReplyFactory(submission=submission_a, text="", see_reply=target, questions=[question(round_ab, "3")])
    response = client_for(coordinator_a).get(section_url(round_ab, 2))
    # The reply pointed to is in section 1: the link leads to that section's page.
    assert f'href="{section_url(round_ab, 1)}#r{target.pk}"' in response.text
    assert "See reply to" in response.text


def test_returned_message_is_shown_prominently(client_for, coordinator_a, officer, round_ab, party_a):
    submission = SubmissionFactory(round=round_ab, party=party_a, status=Submission.Status.RETURNED)
    Transition.objects.create(
        submission=submission,
        from_status="submitted",
        to_status="returned",
        by=officer,
        comment="Please add the 2016 statistics to 3.a.",
    )
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    assert 'id="returned"' in response.text
    assert "Please add the 2016 statistics to 3.a." in response.text


def test_history_lists_who_moved_the_submission(client_for, coordinator_a, round_ab, party_a):
    submission = SubmissionFactory(round=round_ab, party=party_a, status=Submission.Status.SUBMITTED)
    Transition.objects.create(
        submission=submission, from_status="draft", to_status="submitted", by=coordinator_a, comment="Sent."
    )
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    history = response.text.split('id="history"')[1]
    assert coordinator_a.username in history
    assert "Draft → Submitted" in history
    assert "Sent." in history


def test_questionnaire_in_french_shows_french_titles(client_for, coordinator_a, round_ab):
    response = client_for(coordinator_a).get(questionnaire_url(round_ab), headers={"accept-language": "fr"})
    assert "Partie 1" in response.text
    assert question(round_ab, "1").text_fr in response.text
    assert '<html lang="fr">' in response.text


def test_question_without_french_text_falls_back_to_english_and_says_so(client_for, coordinator_a, round_ab):
    Question.objects.filter(round=round_ab, ref="1").update(text_fr="")
    response = client_for(coordinator_a).get(questionnaire_url(round_ab), headers={"accept-language": "fr"})
    card = response.text.split(f'id="q{question(round_ab, "1").pk}"')[1].split("</section>")[0]
    assert f'<span lang="en">{question(round_ab, "1").text_en}</span>' in card
    assert 'class="fallback muted"' in card


def test_question_with_its_french_text_is_not_marked(client_for, coordinator_a, round_ab):
    response = client_for(coordinator_a).get(questionnaire_url(round_ab), headers={"accept-language": "fr"})
    card = response.text.split(f'id="q{question(round_ab, "1").pk}"')[1].split("</section>")[0]
    assert 'lang="en"' not in card and "fallback" not in card


def test_english_pages_do_not_mark_the_english_text(client_for, coordinator_a, round_ab):
    Question.objects.filter(round=round_ab, ref="1").update(text_fr="")
    response = client_for(coordinator_a).get(questionnaire_url(round_ab))
    assert 'class="fallback muted"' not in response.text


def test_language_switcher_posts_to_set_language(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("portal:home"))
    assert f'action="{reverse("set_language")}"' in response.text


def test_stakeholder_comments_on_its_organisations_party(client_for, stakeholder_b, organisation_b, round_ab):
    services.submission_for_respondent(round=round_ab, user=stakeholder_b)
    response = client_for(stakeholder_b).get(questionnaire_url(round_ab))
    assert response.status_code == 200
    submission = Submission.objects.get(round=round_ab)
    assert (submission.party, submission.organisation) == (organisation_b.party, organisation_b)
    assert "Comments of Stakeholder of B" in response.text


def test_state_user_does_not_see_stakeholder_comments_on_its_party(
    client_for, coordinator_b, organisation_b, party_b, round_ab
):
    comments = SubmissionFactory(round=round_ab, party=party_b, organisation=organisation_b)
    ReplyFactory(submission=comments, text="NGO view", questions=[question(round_ab, "1")])
    response = client_for(coordinator_b).get(questionnaire_url(round_ab))
    assert "NGO view" not in response.text


# --- access --------------------------------------------------------------------------------------


def test_user_of_a_party_not_in_the_round_gets_404(client_for, round_ab):
    outsider = UserFactory(role=Role.STATE_COORDINATOR, party=PartyFactory(code="DEU"))
    response = client_for(outsider).get(questionnaire_url(round_ab))
    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_round_in_preparation_answers_404(client_for, coordinator_a, round_ab):
    round_ab.status = MonitoringRound.Status.PREPARATION
    round_ab.save()
    assert client_for(coordinator_a).get(questionnaire_url(round_ab)).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
def test_questionnaire_is_only_for_respondents(client_for, round_ab, persona, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(questionnaire_url(round_ab)).status_code == 404


def test_party_b_never_sees_party_a_replies(client_for, coordinator_b, round_ab, submission_a):
    ReplyFactory(submission=submission_a, text="France only", questions=[question(round_ab, "1")])
    response = client_for(coordinator_b).get(questionnaire_url(round_ab))
    assert response.status_code == 200
    assert "France only" not in response.text


def test_login_page_is_the_portals_own(client):
    response = client.get(reverse("portal:login"))
    assert response.status_code == 200
    assert "portal/login.html" in [template.name for template in response.templates]
