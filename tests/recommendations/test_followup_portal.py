"""The follow-up in the State portal: a Party's recommendations, its updates, the update form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services
from recommendations.models import FollowUpUpdate, Recommendation, ReportedStatus, UpdateAttachment

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("follow_up:list")


def _detail(follow_up):
    return reverse("follow_up:detail", args=[follow_up.pk])


def _submit(follow_up, by, text="A national action plan."):
    return services.update_submit(
        follow_up=follow_up, by=by, text=text, reported_status=ReportedStatus.PLANNED
    )


def _update_form(**fields):
    return {"text": "The Criminal Code was amended.", "reported_status": "done", "links": "", **fields}


def test_anonymous_user_is_sent_to_the_portal_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_list_shows_only_the_users_partys_follow_ups(client_for, coordinator_a, follow_up_a, follow_up_b):
    response = client_for(coordinator_a).get(LIST)
    assert [row.follow_up for row in response.context["rows"]] == [follow_up_a]


def test_list_leaves_out_retired_follow_ups(client_for, coordinator_a, chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.addressees.remove(party_a)
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    assert client_for(coordinator_a).get(LIST).context["rows"] == []


def test_list_shows_the_urgency_with_its_definition(client_for, coordinator_a, recommendation):
    content = client_for(coordinator_a).get(LIST).content.decode()
    assert (
        'title="The step corresponds to an obligation of the Lanzarote Convention, as clarified by its'
        in content
    )


def test_list_shows_the_own_partys_assessed_status(client_for, coordinator_a, follow_up_a, officer):
    services.follow_up_assess(
        follow_up=follow_up_a, by=officer, status="partly", reasoning="Not published yet"
    )
    row = client_for(coordinator_a).get(LIST).context["rows"][0]
    assert row.status == "partly"


def test_stakeholder_sees_only_published_assessed_status(client_for, stakeholder_b, follow_up_b, officer):
    services.follow_up_assess(
        follow_up=follow_up_b, by=officer, status="partly", reasoning="Published", published=True
    )
    services.follow_up_assess(follow_up=follow_up_b, by=officer, status="implemented", reasoning="Internal")
    rows = client_for(stakeholder_b).get(LIST).context["rows"]
    assert [(row.follow_up, row.status) for row in rows] == [(follow_up_b, "partly")]


def test_list_filters_by_urgency(client_for, coordinator_a, chapter):
    RecommendationFactory(chapter=chapter, urgency="invite", addressed_to_all=True, number="V-9")
    RecommendationFactory(chapter=chapter, urgency="require", addressed_to_all=True, number="V-1")
    rows = client_for(coordinator_a).get(LIST + "?urgency=invite").context["rows"]
    assert [row.follow_up.recommendation.number for row in rows] == ["V-9"]


def test_detail_of_another_partys_follow_up_is_not_found(client_for, coordinator_a, follow_up_b):
    assert client_for(coordinator_a).get(_detail(follow_up_b)).status_code == 404


def test_posting_to_another_partys_follow_up_is_not_found(client_for, coordinator_a, follow_up_b):
    assert client_for(coordinator_a).post(_detail(follow_up_b), _update_form()).status_code == 404
    assert not FollowUpUpdate.objects.exists()


def test_state_user_sees_neither_stakeholder_updates_nor_unpublished_reasoning(
    client_for, coordinator_a, follow_up_a, stakeholder_b, officer, party_a, party_b
):
    from tests.factories import OrganisationFactory, UserFactory

    ngo_a = UserFactory(
        role="stakeholder_contributor", organisation=OrganisationFactory(party=party_a), party=None
    )
    stakeholder_update = _submit(follow_up_a, ngo_a, text="What the NGO says")
    own = _submit(follow_up_a, coordinator_a, text="What the State says")
    services.follow_up_assess(
        follow_up=follow_up_a, by=officer, status="partly", reasoning="Internal reasoning"
    )

    response = client_for(coordinator_a).get(_detail(follow_up_a))

    assert list(response.context["updates"]) == [own]
    assert stakeholder_update.text not in response.content.decode()
    assert list(response.context["assessments"]) == []
    assert "Internal reasoning" not in response.content.decode()


def test_detail_shows_published_assessments(client_for, coordinator_a, follow_up_a, officer):
    services.follow_up_assess(
        follow_up=follow_up_a,
        by=officer,
        status="partly",
        reasoning="**Funding** is missing.",
        published=True,
    )
    content = client_for(coordinator_a).get(_detail(follow_up_a)).content.decode()
    assert "<strong>Funding</strong> is missing." in content


def test_detail_shows_the_secretariats_request_for_information(
    client_for, coordinator_a, follow_up_a, officer
):
    update = _submit(follow_up_a, coordinator_a)
    services.update_request_information(update=update, by=officer, message="Which law exactly?")
    assert "Which law exactly?" in client_for(coordinator_a).get(_detail(follow_up_a)).content.decode()


def test_coordinator_submits_an_update_that_sets_the_reported_status(client_for, coordinator_a, follow_up_a):
    response = client_for(coordinator_a).post(
        _detail(follow_up_a),
        _update_form(measures_date="2025-01-15", links="https://example.org/law\n\n https://example.org/b "),
    )
    assert response.status_code == 302
    update = FollowUpUpdate.objects.get()
    assert (update.author, update.reported_status, str(update.measures_date)) == (
        coordinator_a,
        "done",
        "2025-01-15",
    )
    assert update.link_list == ["https://example.org/law", "https://example.org/b"]
    follow_up_a.refresh_from_db()
    assert follow_up_a.reported_status == "done"


def test_update_text_is_shown_sanitised(client_for, coordinator_a, follow_up_a):
    _submit(
        follow_up_a, coordinator_a, text="Adopted <script>alert(1)</script><a href='javascript:x'>law</a>"
    )
    content = client_for(coordinator_a).get(_detail(follow_up_a)).content.decode()
    assert "<script>alert(1)" not in content
    assert "javascript:" not in content


def test_update_refuses_a_link_that_is_not_a_web_address(client_for, coordinator_a, follow_up_a):
    response = client_for(coordinator_a).post(_detail(follow_up_a), _update_form(links="javascript:alert(1)"))
    assert response.status_code == 200
    assert response.context["form"].errors["links"]
    assert not FollowUpUpdate.objects.exists()


def test_update_keeps_its_attachment(client_for, coordinator_a, follow_up_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("figures.csv", b"year,cases\n2024,12\n", content_type="text/csv")
    response = client_for(coordinator_a).post(
        _detail(follow_up_a), _update_form(attachment=upload, attachment_title="Figures")
    )
    assert response.status_code == 302
    attachment = UpdateAttachment.objects.get()
    assert (attachment.update, attachment.title) == (FollowUpUpdate.objects.get(), "Figures")


def test_update_with_a_refused_attachment_is_not_saved(
    client_for, coordinator_a, follow_up_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(coordinator_a).post(_detail(follow_up_a), _update_form(attachment=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"]
    assert not FollowUpUpdate.objects.exists()


def test_contributor_sees_no_update_form_and_cannot_post_one(client_for, contributor_a, follow_up_a):
    client = client_for(contributor_a)
    assert client.get(_detail(follow_up_a)).context["form"] is None
    response = client.post(_detail(follow_up_a), _update_form())
    assert response.status_code == 302
    assert not FollowUpUpdate.objects.exists()


def test_stakeholder_informs_without_changing_the_reported_status(client_for, stakeholder_b, follow_up_b):
    response = client_for(stakeholder_b).post(_detail(follow_up_b), _update_form())
    assert response.status_code == 302
    assert FollowUpUpdate.objects.get().organisation == stakeholder_b.organisation
    follow_up_b.refresh_from_db()
    assert follow_up_b.reported_status == ReportedStatus.NOT_REPORTED


def test_pages_follow_the_active_language(client_for, coordinator_a, follow_up_a):
    client = client_for(coordinator_a)
    client.cookies["django_language"] = "fr"
    content = client.get(_detail(follow_up_a)).content.decode()
    assert follow_up_a.recommendation.text_fr in content


def test_each_update_shows_its_review_trail(client_for, coordinator_a, follow_up_a, officer):
    update = _submit(follow_up_a, coordinator_a)
    services.update_request_information(update=update, by=officer, message="Which law exactly?")
    services.follow_up_assess(
        follow_up=follow_up_a, by=officer, status="partly", reasoning="Internal", updates=[update]
    )
    response = client_for(coordinator_a).get(_detail(follow_up_a))
    trail = response.context["updates"][0].review_trail
    assert [(step.status, step.history_user) for step in trail] == [
        ("submitted", coordinator_a),
        ("more_information", officer),
        ("assessed", officer),
    ]
    assert "History of this update" in response.text


def test_the_review_trail_holds_only_the_users_own_updates(
    client_for, stakeholder_b, coordinator_b, follow_up_b
):
    _submit(follow_up_b, coordinator_b, text="What the State says")
    own = _submit(follow_up_b, stakeholder_b, text="What the NGO says")
    updates = client_for(stakeholder_b).get(_detail(follow_up_b)).context["updates"]
    assert [(update, [step.id for step in update.review_trail]) for update in updates] == [(own, [own.pk])]


def test_update_form_starts_with_no_status_chosen(client_for, coordinator_a, follow_up_a):
    form = client_for(coordinator_a).get(_detail(follow_up_a)).context["form"]
    assert form["reported_status"].value() is None
    assert form.fields["reported_status"].choices[0][0] == ""


def test_update_without_a_status_is_refused(client_for, coordinator_a, follow_up_a):
    response = client_for(coordinator_a).post(_detail(follow_up_a), _update_form(reported_status=""))
    assert response.status_code == 200
    assert response.context["form"].errors["reported_status"]
    assert not FollowUpUpdate.objects.exists()


def test_list_names_reports_not_their_codes(client_for, coordinator_a, follow_up_a):
    content = client_for(coordinator_a).get(LIST).content.decode()
    report = follow_up_a.recommendation.report
    assert report.reference not in content  # neither in the rows nor in the filter
    assert report.title_en in content


def test_a_state_is_not_shown_a_column_of_its_own_party(client_for, coordinator_a, follow_up_a):
    response = client_for(coordinator_a).get(LIST)
    assert not response.context["several_parties"]
    assert 'name="party"' not in response.content.decode()


def test_the_committee_reads_party_names_and_filters_by_party(
    client_for, committee_member, follow_up_a, follow_up_b
):
    client = client_for(committee_member)
    rows = client.get(LIST).content.decode().split('id="follow-ups"')[1]
    assert follow_up_a.party.name_en in rows and follow_up_b.party.name_en in rows
    assert f"<td>{follow_up_a.party.code}</td>" not in rows
    filtered = client.get(LIST, {"party": follow_up_b.party.pk})
    assert [row.follow_up for row in filtered.context["rows"]] == [follow_up_b]


def test_detail_names_the_report_by_its_title(client_for, coordinator_a, follow_up_a):
    content = client_for(coordinator_a).get(_detail(follow_up_a)).content.decode()
    report = follow_up_a.recommendation.report
    assert report.title_en in content and report.reference not in content


def test_a_recommendation_without_its_french_text_says_so_in_french(client_for, coordinator_a, follow_up_a):
    recommendation = follow_up_a.recommendation
    Recommendation.objects.filter(pk=recommendation.pk).update(text_html_fr="")
    content = (
        client_for(coordinator_a)
        .get(_detail(follow_up_a), headers={"accept-language": "fr"})
        .content.decode()
    )
    assert 'class="fallback muted"' in content
    assert f'<div lang="en">{recommendation.text_html_en}</div>' in content
