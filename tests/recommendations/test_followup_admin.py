"""The follow-up admin: addressees through the recommendation form, assessments, reviews, scope."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from recommendations import services
from recommendations.models import (
    AssessedStatus,
    Assessment,
    FollowUpUpdate,
    Recommendation,
    ReportedStatus,
)
from tests.factories import DocumentFactory, ReplyFactory, SubmissionFactory

from .factories import PracticeFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _submit(follow_up, by, text="A national action plan."):
    return services.update_submit(
        follow_up=follow_up, by=by, text=text, reported_status=ReportedStatus.IN_PROGRESS
    )


# --- every page opens ---------------------------------------------------------------------------


PAGES = [
    "implementationreport",
    "chapter",
    "recommendation",
    "theme",
    "citation",
    "practice",
    "followup",
    "followupupdate",
    "assessment",
]


@pytest.mark.parametrize("model", PAGES)
def test_secretariat_opens_every_changelist(client_for, officer, recommendation, model):
    assert client_for(officer).get(reverse(f"admin:recommendations_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["implementationreport", "chapter", "recommendation", "theme", "practice"])
def test_secretariat_opens_every_add_form(client_for, officer, model):
    assert client_for(officer).get(reverse(f"admin:recommendations_{model}_add")).status_code == 200


def test_secretariat_opens_change_pages(client_for, officer, follow_up_a, party_a):
    client = client_for(officer)
    recommendation = follow_up_a.recommendation
    practice = PracticeFactory(parties=[party_a])
    for name, obj in [
        ("implementationreport", recommendation.report),
        ("recommendation", recommendation),
        ("followup", follow_up_a),
        ("practice", practice),
    ]:
        assert client.get(reverse(f"admin:recommendations_{name}_change", args=[obj.pk])).status_code == 200


def test_follow_ups_are_neither_added_nor_deleted_in_the_admin(client_for, officer, follow_up_a):
    client = client_for(officer)
    assert client.get(reverse("admin:recommendations_followup_add")).status_code == 403
    assert (
        client.get(reverse("admin:recommendations_followup_delete", args=[follow_up_a.pk])).status_code == 403
    )


# --- recommendations: the addressees open and retire follow-ups ---------------------------------


def _recommendation_form(chapter, **fields):
    data = {
        "report": chapter.report_id,
        "chapter": chapter.pk,
        "number": "V-17",
        "order": 1,
        "urgency": "require",
        "text_en": "The Committee requires...",
        "text_fr": "",
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
    }
    return {**data, **fields}


def test_adding_a_recommendation_in_the_admin_opens_its_follow_ups(client_for, officer, chapter, party_a):
    response = client_for(officer).post(
        reverse("admin:recommendations_recommendation_add"),
        _recommendation_form(chapter, addressees=[party_a.pk]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    recommendation = Recommendation.objects.get(number="V-17")
    assert list(recommendation.follow_ups.values_list("party__code", "active")) == [("FRA", True)]


def test_removing_an_addressee_in_the_admin_retires_its_follow_up(
    client_for, officer, chapter, party_a, party_b
):
    recommendation = RecommendationFactory(chapter=chapter, number="V-17", addressees=[party_a, party_b])
    response = client_for(officer).post(
        reverse("admin:recommendations_recommendation_change", args=[recommendation.pk]),
        _recommendation_form(chapter, addressees=[party_a.pk]),
    )
    assert response.status_code == 302
    assert dict(recommendation.follow_ups.values_list("party__code", "active")) == {"FRA": True, "RUS": False}


def test_recommendation_changelist_summarises_addressees(client_for, officer, chapter, party_a, party_b):
    RecommendationFactory(chapter=chapter, number="V-3", addressed_to_all=True)
    RecommendationFactory(chapter=chapter, number="V-17", addressees=[party_b, party_a])
    response = client_for(officer).get(reverse("admin:recommendations_recommendation_changelist"))
    content = response.content.decode()
    assert "All Parties" in content
    assert f"{party_a.name_en}, {party_b.name_en}" in content  # by name, not ISO code


# --- the assessment form -----------------------------------------------------------------------


def _assess_url(follow_up, **query):
    url = reverse("admin:recommendations_followup_assess", args=[follow_up.pk])
    return f"{url}?update={query['update']}" if query else url


def test_assessment_form_preselects_the_update_to_assess(client_for, officer, follow_up_a, coordinator_a):
    update = _submit(follow_up_a, coordinator_a)
    response = client_for(officer).get(_assess_url(follow_up_a, update=update.pk))
    assert response.status_code == 200
    assert response.context["form"]["updates"].value() == [str(update.pk)]


def test_assessment_form_records_the_assessment_with_its_evidence(
    client_for, officer, follow_up_a, coordinator_a
):
    update = _submit(follow_up_a, coordinator_a)
    response = client_for(officer).post(
        _assess_url(follow_up_a),
        {
            "status": AssessedStatus.PARTLY,
            "reasoning": "The plan is adopted, not funded.",
            "updates": [update.pk],
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.status, assessment.assessed_by, assessment.published) == ("partly", officer, False)
    assert list(assessment.updates.all()) == [update]
    follow_up_a.refresh_from_db()
    assert follow_up_a.assessed_status == AssessedStatus.PARTLY


def test_assessment_form_requires_the_reasoning(client_for, officer, follow_up_a):
    response = client_for(officer).post(
        _assess_url(follow_up_a), {"status": AssessedStatus.PARTLY, "reasoning": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reasoning"]
    assert not Assessment.objects.exists()


def test_assessment_form_shows_the_service_refusal(client_for, officer, chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.addressees.remove(party_b)
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    retired = recommendation.follow_ups.get(party=party_b)
    response = client_for(officer).post(
        _assess_url(retired), {"status": AssessedStatus.PARTLY, "reasoning": "Why"}
    )
    assert response.status_code == 200
    assert "no longer addressed" in str(response.context["form"].non_field_errors())


def test_assessment_form_offers_only_the_partys_registered_replies_and_documents(
    client_for, officer, follow_up_a, party_a, party_b
):
    own = ReplyFactory(submission=SubmissionFactory(party=party_a, status="registered"))
    ReplyFactory(submission=SubmissionFactory(party=party_a, status="draft"))
    ReplyFactory(submission=SubmissionFactory(party=party_b, status="registered"))
    document = DocumentFactory(party=party_a)
    DocumentFactory(party=party_b)
    response = client_for(officer).get(_assess_url(follow_up_a))
    form = response.context["form"]
    assert list(form.fields["replies"].queryset) == [own]
    assert list(form.fields["documents"].queryset) == [document]
    assert f'<option value="{document.pk}">{document}</option>' in response.content.decode()


def test_committee_member_may_not_assess(client_for, committee_member, follow_up_a):
    response = client_for(committee_member).post(
        _assess_url(follow_up_a), {"status": "partly", "reasoning": "x"}
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_committee_member_cannot_record_an_assessment(client_for, committee_member, follow_up_b):
    client = client_for(committee_member)
    assert client.get(_assess_url(follow_up_b)).status_code == 403
    client.post(_assess_url(follow_up_b), {"status": "implemented", "reasoning": "Done."})
    assert not Assessment.objects.exists()


# --- the bulk status change --------------------------------------------------------------------


def _bulk(client, follow_ups, **fields):
    data = {"action": "change_status", "_selected_action": [f.pk for f in follow_ups], **fields}
    return client.post(reverse("admin:recommendations_followup_changelist"), data)


def test_bulk_status_change_asks_for_status_and_reasoning_first(
    client_for, officer, follow_up_a, follow_up_b
):
    response = _bulk(client_for(officer), [follow_up_a, follow_up_b])
    assert response.status_code == 200
    assert "admin/recommendations/assess_follow_ups.html" in [t.name for t in response.templates]
    assert not Assessment.objects.exists()


def test_bulk_status_change_refuses_an_empty_reasoning(client_for, officer, follow_up_a):
    response = _bulk(client_for(officer), [follow_up_a], apply="1", status="implemented", reasoning=" ")
    assert response.status_code == 200
    assert response.context["form"].errors["reasoning"]
    assert not Assessment.objects.exists()


def test_bulk_status_change_assesses_each_and_reports_refusals(
    client_for, officer, chapter, party_a, party_b
):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.addressees.remove(party_b)
    services.recommendation_sync_follow_ups(recommendation=recommendation)

    response = _bulk(
        client_for(officer),
        recommendation.follow_ups.all(),
        apply="1",
        status="implemented",
        reasoning="The law entered into force.",
    )

    assert response.status_code == 302
    statuses = dict(recommendation.follow_ups.values_list("party__code", "assessed_status"))
    assert statuses == {"FRA": "implemented", "RUS": "not_assessed"}
    messages = _messages(response)
    assert "1 follow-up assessed." in messages
    assert any("Russian Federation" in message and "no longer addressed" in message for message in messages)


# --- updates: review --------------------------------------------------------------------------


def test_update_page_renders_the_text_sanitised(client_for, officer, follow_up_a, coordinator_a):
    update = _submit(follow_up_a, coordinator_a, text="**Law** adopted <script>alert(1)</script>")
    response = client_for(officer).get(
        reverse("admin:recommendations_followupupdate_change", args=[update.pk])
    )
    content = response.content.decode()
    assert "<strong>Law</strong>" in content
    assert "<script>alert(1)" not in content
    assert _assess_url(follow_up_a, update=update.pk).replace("&", "&amp;") in content


def test_submitted_updates_are_listed_for_review(client_for, officer, follow_up_a, coordinator_a):
    waiting = _submit(follow_up_a, coordinator_a)
    reviewed = _submit(follow_up_a, coordinator_a)
    services.update_request_information(update=reviewed, by=officer, message="Which law?")
    response = client_for(officer).get(
        reverse("admin:recommendations_followupupdate_changelist") + "?review=submitted"
    )
    assert list(response.context["cl"].result_list) == [waiting]


def test_asking_for_more_information_first_shows_the_updates_and_the_message_form(
    client_for, officer, follow_up_a, coordinator_a
):
    update = _submit(follow_up_a, coordinator_a)
    data = {"action": "request_information", "_selected_action": [update.pk]}
    response = client_for(officer).post(reverse("admin:recommendations_followupupdate_changelist"), data)
    assert response.templates[0].name == "admin/action_with_message.html"
    assert "will be asked for more information" in response.text
    assert f"<li>{update} — {update.get_status_display()}</li>" in response.text
    assert 'name="message"' in response.text
    assert f'name="_selected_action" value="{update.pk}"' in response.text
    assert 'name="action" value="request_information"' in response.text
    update.refresh_from_db()
    assert update.status == FollowUpUpdate.Status.SUBMITTED


def test_asking_for_more_information_needs_a_message(client_for, officer, follow_up_a, coordinator_a):
    update = _submit(follow_up_a, coordinator_a)
    data = {"action": "request_information", "_selected_action": [update.pk], "apply": "1", "message": ""}
    response = client_for(officer).post(reverse("admin:recommendations_followupupdate_changelist"), data)
    assert response.status_code == 200
    update.refresh_from_db()
    assert update.status == FollowUpUpdate.Status.SUBMITTED


def test_asking_for_more_information_marks_each_update_and_reports_refusals(
    client_for, officer, follow_up_a, coordinator_a
):
    update = _submit(follow_up_a, coordinator_a)
    assessed = _submit(follow_up_a, coordinator_a)
    services.follow_up_assess(
        follow_up=follow_up_a, by=officer, status="partly", reasoning="r", updates=[assessed]
    )
    data = {
        "action": "request_information",
        "_selected_action": [update.pk, assessed.pk],
        "apply": "1",
        "message": "Please send the text of the law.",
    }
    response = client_for(officer).post(reverse("admin:recommendations_followupupdate_changelist"), data)
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.review_comment) == ("more_information", "Please send the text of the law.")
    assert any("already taken into an assessment" in message for message in _messages(response))


# --- scope: a State user reads only its own Party ----------------------------------------------


@pytest.fixture
def both_parties_reported(follow_up_a, follow_up_b, coordinator_a, coordinator_b, officer):
    own = _submit(follow_up_a, coordinator_a, text="Own update")
    other = _submit(follow_up_b, coordinator_b, text="Other update")
    services.follow_up_assess(follow_up=follow_up_b, by=officer, status="partly", reasoning="Unpublished")
    return own, other


@pytest.mark.parametrize(
    "page", ["followup_changelist", "followupupdate_changelist", "assessment_changelist"]
)
def test_state_user_is_sent_to_log_in_as_staff(client_for, coordinator_a, both_parties_reported, page):
    # States read their follow-ups, updates and assessments in the portal and the API.
    response = client_for(coordinator_a).get(reverse(f"admin:recommendations_{page}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", ["change", "history", "assess"])
def test_state_user_cannot_open_a_follow_up_in_the_admin(client_for, coordinator_a, follow_up_a, page):
    response = client_for(coordinator_a).get(
        reverse(f"admin:recommendations_followup_{page}", args=[follow_up_a.pk])
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_overdue_filter_lists_late_non_compliant_follow_ups(client_for, officer, chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.follow_ups.update(deadline=datetime.date(2020, 1, 1))
    late = recommendation.follow_ups.get(party=party_a)
    services.follow_up_assess(
        follow_up=recommendation.follow_ups.get(party=party_b),
        by=officer,
        status="implemented",
        reasoning="Done",
    )
    response = client_for(officer).get(reverse("admin:recommendations_followup_changelist") + "?overdue=yes")
    assert list(response.context["cl"].result_list) == [late]


def test_overdue_filter_no_lists_the_others_undated_included(client_for, officer, chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.follow_ups.update(deadline=datetime.date(2020, 1, 1))
    compliant = recommendation.follow_ups.get(party=party_b)
    services.follow_up_assess(follow_up=compliant, by=officer, status="implemented", reasoning="Done")
    undated = RecommendationFactory(chapter=chapter, addressees=[party_a]).follow_ups.get()
    undated.deadline = None
    undated.save(update_fields=["deadline"])
    response = client_for(officer).get(reverse("admin:recommendations_followup_changelist") + "?overdue=no")
    assert set(response.context["cl"].result_list) == {compliant, undated}


def test_assessment_evidence_lists_only_what_the_reader_may_see(
    client_for, officer, committee_member, follow_up_b, party_b
):
    from tests.factories import ReplyFactory, SubmissionFactory

    draft_reply = ReplyFactory(
        submission=SubmissionFactory(round=follow_up_b.recommendation.report.round, party=party_b)
    )
    assessment = services.follow_up_assess(
        follow_up=follow_up_b, by=officer, status="partly", reasoning="On a draft", replies=[draft_reply]
    )
    url = reverse("admin:recommendations_assessment_change", args=[assessment.pk])
    assert str(draft_reply) in client_for(officer).get(url).text
    assert str(draft_reply) not in client_for(committee_member).get(url).text


def test_assess_page_starts_with_no_status_chosen(client_for, officer, follow_up_a):
    form = client_for(officer).get(_assess_url(follow_up_a)).context["form"]
    assert form["status"].value() is None
    assert form.fields["status"].choices[0][0] == ""


def test_assessment_without_a_status_is_refused(client_for, officer, follow_up_a):
    response = client_for(officer).post(_assess_url(follow_up_a), {"status": "", "reasoning": "Why"})
    assert response.context["form"].errors["status"]
    assert not follow_up_a.assessments.exists()
