"""The Secretariat's admin of submissions: workflow actions, filters, read-only records, scope."""

import datetime
import re

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import formats, timezone

from monitoring.models import Submission, Transition
from tests.factories import OrganisationFactory, PartyFactory, ReplyFactory

pytestmark = pytest.mark.django_db
Status = Submission.Status
CHANGELIST = reverse("admin:monitoring_submission_changelist")


def _act(client, action, submissions, **data):
    payload = {"action": action, helpers.ACTION_CHECKBOX_NAME: [s.pk for s in submissions], **data}
    return client.post(CHANGELIST, payload, follow=True)


def _statuses(*submissions) -> list[str]:
    return [Submission.objects.get(pk=s.pk).status for s in submissions]


# --- actions --------------------------------------------------------------------------------


def test_register_action_registers_several_submissions_and_records_transitions(
    client_for, officer, round_, party_a, party_b, make_submission
):
    submitted = make_submission(round_, party_a, Status.SUBMITTED)
    resubmitted = make_submission(round_, party_b, Status.RESUBMITTED)
    response = _act(client_for(officer), "register", [submitted, resubmitted])
    assert _statuses(submitted, resubmitted) == [Status.REGISTERED, Status.REGISTERED]
    assert Transition.objects.filter(to_status=Status.REGISTERED, by=officer).count() == 2
    assert "2 submissions registered." in response.text


def test_register_action_refuses_an_out_of_order_move_with_a_message_and_changes_nothing(
    client_for, officer, round_, party_a, make_submission
):
    draft = make_submission(round_, party_a, Status.DRAFT)
    response = _act(client_for(officer), "register", [draft])
    assert _statuses(draft) == [Status.DRAFT]
    assert not Transition.objects.exists()
    assert "cannot become" in response.text


def test_register_action_registers_the_valid_ones_and_reports_each_refusal(
    client_for, officer, round_, party_a, party_b, make_submission
):
    draft = make_submission(round_, party_a, Status.DRAFT)
    submitted = make_submission(round_, party_b, Status.SUBMITTED)
    response = _act(client_for(officer), "register", [draft, submitted])
    assert _statuses(draft, submitted) == [Status.DRAFT, Status.REGISTERED]
    assert "France, round" in response.text
    assert "1 submission registered." in response.text


def test_return_action_first_asks_for_the_message(client_for, officer, round_, party_a, make_submission):
    submitted = make_submission(round_, party_a, Status.SUBMITTED)
    response = _act(client_for(officer), "return_for_clarification", [submitted])
    assert response.templates[0].name == "admin/action_with_message.html"
    assert 'name="message"' in response.text
    assert _statuses(submitted) == [Status.SUBMITTED]


def test_return_action_requires_a_message(client_for, officer, round_, party_a, make_submission):
    submitted = make_submission(round_, party_a, Status.SUBMITTED)
    response = _act(client_for(officer), "return_for_clarification", [submitted], apply="1", message="  ")
    assert response.context["form"].errors["message"]
    assert _statuses(submitted) == [Status.SUBMITTED]
    assert not Transition.objects.exists()


def test_return_action_returns_the_submissions_with_the_message(
    client_for, officer, round_, party_a, party_b, make_submission
):
    submitted = make_submission(round_, party_a, Status.SUBMITTED)
    resubmitted = make_submission(round_, party_b, Status.RESUBMITTED)
    _act(
        client_for(officer),
        "return_for_clarification",
        [submitted, resubmitted],
        apply="1",
        message="Please give the 2025 statistics.",
    )
    assert _statuses(submitted, resubmitted) == [Status.RETURNED, Status.RETURNED]
    comments = set(Transition.objects.values_list("comment", flat=True))
    assert comments == {"Please give the 2025 statistics."}


def test_return_of_a_registered_submission_is_refused_before_the_message_is_asked(
    client_for, officer, round_, party_a, make_submission
):
    registered = make_submission(round_, party_a, Status.REGISTERED)
    response = _act(client_for(officer), "return_for_clarification", [registered])
    assert response.templates[0].name != "admin/action_with_message.html"  # back to the list
    assert 'name="message"' not in response.text
    assert "not possible in its present state (Registered)." in response.text
    assert _statuses(registered) == [Status.REGISTERED]


def test_return_leaves_out_the_registered_ones_and_asks_for_the_others(
    client_for, officer, round_, party_a, party_b, make_submission
):
    registered = make_submission(round_, party_a, Status.REGISTERED)
    submitted = make_submission(round_, party_b, Status.SUBMITTED)
    response = _act(client_for(officer), "return_for_clarification", [registered, submitted])
    assert [row for row, _detail in response.context["items"]] == [submitted]
    assert f'value="{registered.pk}"' not in response.text.split('name="action"')[0].split("<form")[-1]


def test_a_message_refused_all_the_same_is_kept(client_for, officer, round_, party_a, make_submission):
    submitted = make_submission(round_, party_a, Status.SUBMITTED)
    client = client_for(officer)
    page = _act(client, "return_for_clarification", [submitted])
    assert page.context["items"]
    Submission.objects.filter(pk=submitted.pk).update(status=Status.REGISTERED)  # meanwhile
    # The officer's page still holds the submission; its POST names it.
    payload = {
        "action": "return_for_clarification",
        helpers.ACTION_CHECKBOX_NAME: [submitted.pk],
        "apply": "1",
        "message": "Please give the 2025 statistics.",
    }
    response = client.post(CHANGELIST, payload, follow=True)
    assert "Please give the 2025 statistics." in response.text
    assert not Transition.objects.exists()


def test_committee_member_cannot_register(client_for, committee_member, round_, party_a, make_submission):
    submitted = make_submission(round_, party_a, Status.SUBMITTED, consent_to_publication=True)
    _act(client_for(committee_member), "register", [submitted])
    assert _statuses(submitted) == [Status.SUBMITTED]


# --- the changelist -------------------------------------------------------------------------


def _listed(client, query="") -> set[int]:
    response = client.get(f"{CHANGELIST}{query}")
    assert response.status_code == 200
    return {submission.pk for submission in response.context["cl"].result_list}


def test_overdue_filter_lists_awaited_submissions_past_their_effective_deadline(
    client_for, officer, round_, make_submission
):
    past, future = datetime.date(2020, 1, 1), datetime.date(2100, 1, 1)
    late_draft = make_submission(round_, PartyFactory(), Status.DRAFT, deadline=past)
    late_returned = make_submission(round_, PartyFactory(), Status.RETURNED, deadline=past)
    extended = make_submission(round_, PartyFactory(), Status.DRAFT, deadline=past, extended_deadline=future)
    sent = make_submission(round_, PartyFactory(), Status.SUBMITTED, deadline=past)
    client = client_for(officer)
    assert _listed(client, "?overdue=yes") == {late_draft.pk, late_returned.pk}
    assert _listed(client, "?overdue=no") == {extended.pk, sent.pk}


def test_submission_without_deadline_is_never_overdue(client_for, officer, round_, party_a, make_submission):
    round_.reply_deadline = None
    round_.save()
    undated = make_submission(round_, party_a, Status.DRAFT)
    client = client_for(officer)
    assert _listed(client, "?overdue=no") == {undated.pk}
    assert _listed(client, "?overdue=yes") == set()


def test_respondent_filter_separates_state_replies_from_stakeholder_comments(
    client_for, officer, round_, party_b, organisation_b, make_submission
):
    state = make_submission(round_, party_b)
    comment = make_submission(round_, party_b, organisation=organisation_b)
    client = client_for(officer)
    assert _listed(client, "?respondent=state") == {state.pk}
    assert _listed(client, "?respondent=stakeholder") == {comment.pk}


def test_changelist_shows_reply_count_and_effective_deadline(
    client_for, officer, round_, party_a, make_submission
):
    submission = make_submission(round_, party_a, extended_deadline=datetime.date(2027, 3, 15))
    ReplyFactory.create_batch(3, submission=submission)
    response = client_for(officer).get(CHANGELIST)
    row = response.context["cl"].result_list[0]
    assert (row.replies_count, row.due_date) == (3, datetime.date(2027, 3, 15))


# --- the change page ------------------------------------------------------------------------


def test_status_is_not_a_form_field(client_for, officer, round_, party_a, make_submission):
    submission = make_submission(round_, party_a, Status.SUBMITTED)
    response = client_for(officer).get(reverse("admin:monitoring_submission_change", args=[submission.pk]))
    assert "status" not in response.context["adminform"].form.fields


def test_registered_submission_is_read_only(client_for, officer, round_, party_a, make_submission):
    submission = make_submission(round_, party_a, Status.REGISTERED, reference="T-ES(2017)ICT-FR")
    url = reverse("admin:monitoring_submission_change", args=[submission.pk])
    client = client_for(officer)
    assert client.get(url).context["has_change_permission"] is False
    client.post(url, {"reference": "CHANGED", "deadline": "2030-01-01"})
    submission.refresh_from_db()
    assert submission.reference == "T-ES(2017)ICT-FR"


def test_submission_page_shows_transitions_and_replies(client_for, officer, round_, party_a, make_submission):
    submission = make_submission(round_, party_a, Status.SUBMITTED)
    ReplyFactory(
        submission=submission, text="We trained **judges**.", questions=[round_.questions.get(ref="1.a")]
    )
    Transition.objects.create(submission=submission, from_status="draft", to_status="submitted", by=officer)
    response = client_for(officer).get(reverse("admin:monitoring_submission_change", args=[submission.pk]))
    assert "We trained judges." in response.text
    assert "1.a" in response.text
    assert "Submitted" in response.text


def test_submission_page_lists_its_replies_in_order_each_linked_to_its_page(
    client_for, officer, round_, party_a, make_submission
):
    submission = make_submission(round_, party_a, Status.SUBMITTED)
    questions = {question.ref: question for question in round_.questions.all()}
    second = ReplyFactory(submission=submission, order=2, text="Second " + "long " * 60)
    second.questions.set([questions["1.b"], questions["1.a"]])
    first = ReplyFactory(submission=submission, order=1, text="First.", questions=[questions["1"]])
    response = client_for(officer).get(reverse("admin:monitoring_submission_change", args=[submission.pk]))
    page = response.text
    first_link = f'href="{reverse("admin:monitoring_reply_change", args=[first.pk])}">1</a>'
    second_link = f'href="{reverse("admin:monitoring_reply_change", args=[second.pk])}">1.a and b</a>'
    assert first_link in page and second_link in page
    assert page.index(first_link) < page.index(second_link)
    assert "Second long" in page and "long " * 60 not in page  # the excerpt is cut at 160 characters
    first.refresh_from_db()
    updated = formats.localize(timezone.localtime(first.updated_at))
    assert '<td class="field-language">English</td>' in page
    assert f'<td class="field-updated_at">{updated}</td>' in page


def test_submission_page_lists_replies_without_an_inline_form_each(
    client_for, officer, round_, party_a, make_submission
):
    submission = make_submission(round_, party_a, Status.SUBMITTED)
    ReplyFactory.create_batch(3, submission=submission, questions=[round_.questions.get(ref="1")])
    response = client_for(officer).get(reverse("admin:monitoring_submission_change", args=[submission.pk]))
    assert len(response.context["replies"]) == 3
    assert [formset.opts.model for formset in response.context["inline_admin_formsets"]] == [Transition]


def test_reply_admin_is_read_only(client_for, officer, round_, party_a, make_submission):
    reply = ReplyFactory(submission=make_submission(round_, party_a), text="Original")
    url = reverse("admin:monitoring_reply_change", args=[reply.pk])
    client = client_for(officer)
    assert client.get(url).status_code == 200
    client.post(url, {"text": "Changed", "language": "en"})
    reply.refresh_from_db()
    assert reply.text == "Original"


def test_reply_changelist_search_finds_words_of_the_text(
    client_for, officer, round_, party_a, make_submission
):
    submission = make_submission(round_, party_a)
    wanted = ReplyFactory(submission=submission, text="A national helpline for children.")
    ReplyFactory(submission=submission, text="Police training.")
    response = client_for(officer).get(reverse("admin:monitoring_reply_changelist") + "?q=Helpline+children")
    assert [reply.pk for reply in response.context["cl"].result_list] == [wanted.pk]


# --- scope ----------------------------------------------------------------------------------


def test_committee_member_lists_only_registered_submissions_that_may_be_published(
    client_for, committee_member, round_, party_a, party_b, organisation_b, make_submission
):
    make_submission(round_, party_a)
    published = make_submission(round_, party_b, Status.REGISTERED, consent_to_publication=True)
    make_submission(
        round_, party_b, Status.REGISTERED, organisation=organisation_b, consent_to_publication=False
    )
    assert _listed(client_for(committee_member)) == {published.pk}


def test_committee_member_cannot_open_a_draft_submission(
    client_for, committee_member, round_, party_b, make_submission
):
    draft = make_submission(round_, party_b)
    response = client_for(committee_member).get(
        reverse("admin:monitoring_submission_change", args=[draft.pk])
    )
    # Not yours looks like missing: the admin's "does not exist" redirect, or a 404.
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    else:
        assert response.status_code == 404


def test_committee_member_cannot_open_a_draft_submission_history(
    client_for, committee_member, round_, party_b, make_submission
):
    draft = make_submission(round_, party_b)
    url = reverse("admin:monitoring_submission_history", args=[draft.pk])
    assert client_for(committee_member).get(url).status_code == 404


def test_committee_member_cannot_open_a_draft_reply(
    client_for, committee_member, round_, party_b, make_submission
):
    reply = ReplyFactory(submission=make_submission(round_, party_b))
    response = client_for(committee_member).get(reverse("admin:monitoring_reply_change", args=[reply.pk]))
    assert response.status_code == 404 or response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_state_users_and_stakeholders_are_sent_to_log_in_as_staff(
    request, client_for, persona, round_, party_a, make_submission
):
    own = make_submission(round_, party_a)
    client = client_for(request.getfixturevalue(persona))
    for url in (CHANGELIST, reverse("admin:monitoring_submission_change", args=[own.pk])):
        assert client.get(url)["Location"].startswith(reverse("admin:login"))


def test_state_user_cannot_return_a_submission(
    client_for, coordinator_a, grant_monitoring_view, round_, party_a, party_b, make_submission
):
    own = make_submission(round_, party_a, Status.SUBMITTED)
    other = make_submission(round_, party_b, Status.SUBMITTED)
    client = client_for(grant_monitoring_view(coordinator_a))
    _act(client, "return_for_clarification", [own, other], apply="1", message="Give more.")
    assert _statuses(own, other) == [Status.SUBMITTED, Status.SUBMITTED]


def test_rapporteur_reads_confidential_registered_replies_to_their_question_only(
    client_for, committee_member, round_, party_b, organisation_b, make_submission
):
    from monitoring.models import RapporteurAssignment

    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    confidential = make_submission(
        round_, party_b, Status.REGISTERED, organisation=organisation_b, consent_to_publication=False
    )
    theirs = ReplyFactory(submission=confidential, questions=[round_.questions.get(ref="1.a")])
    ReplyFactory(submission=confidential, questions=[round_.questions.get(ref="2")])
    response = client_for(committee_member).get(reverse("admin:monitoring_reply_changelist"))
    assert [reply.pk for reply in response.context["cl"].result_list] == [theirs.pk]


def test_committee_member_without_assignment_does_not_read_confidential_replies(
    client_for, committee_member, round_, party_b, organisation_b, make_submission
):
    confidential = make_submission(
        round_, party_b, Status.REGISTERED, organisation=organisation_b, consent_to_publication=False
    )
    ReplyFactory(submission=confidential, questions=[round_.questions.get(ref="1")])
    response = client_for(committee_member).get(reverse("admin:monitoring_reply_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_stakeholder_comment_page_links_no_pdf_until_registered(
    client_for, officer, round_, party_b, make_submission
):
    draft = make_submission(round_, party_b, Status.DRAFT, organisation=OrganisationFactory(party=party_b))
    response = client_for(officer).get(reverse("admin:monitoring_submission_change", args=[draft.pk]))
    assert "download the PDF" not in response.text


def test_committee_export_of_submissions_holds_only_what_it_may_read(
    client_for, committee_member, round_, party_a, party_b, make_submission
):
    make_submission(
        round_, party_a, Status.REGISTERED, consent_to_publication=True, reference="T-ES(2017)ICT-FR"
    )
    make_submission(round_, party_b, reference="T-ES(2017)ICT-RU")
    client = client_for(committee_member)
    url = reverse("admin:monitoring_submission_export")
    fields = re.findall(r'name="(submissionresource_\w+)"', client.get(url).text)
    assert "submissionresource_reference" in fields
    response = client.post(url, {"format": "0", "resource": "0", **dict.fromkeys(fields, "on")})
    assert response["Content-Type"].startswith("text/csv")
    assert "T-ES(2017)ICT-FR" in response.text
    assert "T-ES(2017)ICT-RU" not in response.text


def test_registered_submission_page_links_its_pdf(client_for, officer, round_, party_a, make_submission):
    from monitoring.admin.common import optional_url

    registered = make_submission(round_, party_a, Status.REGISTERED)
    url = optional_url("monitoring:submission_pdf", registered.pk)
    if url is None:
        pytest.skip("the PDF view is not there yet")
    response = client_for(officer).get(reverse("admin:monitoring_submission_change", args=[registered.pk]))
    assert f'href="{url}"' in response.text
