"""The admin's back doors found by the security probe (issue 9), each shut for good.

- a history page's form wrote the historical snapshot back (a revert) for view-only users;
- history pages skipped the row rules for those who "see everything" (the Committee);
- stakeholders read unpublished assessments of their Party in the admin;
- the history of a model without history (Transition) answered 500.
"""

import pytest
from django.urls import reverse

from monitoring import services as monitoring_services
from monitoring.models import Submission
from recommendations import services as recommendation_services
from secretariat.models import Role
from tests.factories import ReplyFactory, SubmissionFactory, UserFactory, build_round, party_admin_form
from tests.recommendations.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def _history_form_url(obj, version) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id]
    )


def _history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def _user_form(user, **changes) -> dict:
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "party": user.party_id or "",
        "organisation": user.organisation_id or "",
        "is_active": "on",
    }
    return {**form, **changes}


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=1, sections=1)


@pytest.fixture
def draft_reply(round_, party_b):
    """A draft reply of Party B, changed once (so it has an older version to revert to)."""
    reply = ReplyFactory(submission=SubmissionFactory(round=round_, party=party_b), text="First text")
    reply.text = "Second text"
    reply.save()
    return reply


@pytest.fixture
def registered_confidential_submission(round_, party_a, coordinator_a, officer):
    """Party A's submission, sent and registered, without consent to publication."""
    submission = SubmissionFactory(round=round_, party=party_a, consent_to_publication=False)
    ReplyFactory(submission=submission, text="Our reply")
    monitoring_services.submission_submit(submission=submission, by=coordinator_a)
    return monitoring_services.submission_register(submission=submission, by=officer)


# --- 1. the history form never writes ----------------------------------------------------------


def test_state_contributor_cannot_make_itself_secretariat_administrator(client_for, contributor_a):
    version = contributor_a.history.earliest()
    url = _history_form_url(contributor_a, version)
    form = _user_form(contributor_a, role=Role.SECRETARIAT_ADMIN, party="")

    client_for(contributor_a).post(url, form)

    contributor_a.refresh_from_db()
    assert contributor_a.role == Role.STATE_CONTRIBUTOR


def test_state_contributor_cannot_put_its_registered_submission_back_to_draft(
    client_for, contributor_a, registered_confidential_submission
):
    submission = registered_confidential_submission
    draft_version = submission.history.filter(status=Submission.Status.DRAFT).earliest()
    form = {"reference": "", "deadline": "", "extended_deadline": ""}

    client_for(contributor_a).post(_history_form_url(submission, draft_version), form)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.REGISTERED


def test_state_contributor_cannot_rename_its_party(client_for, contributor_a, party_a):
    party_a.name_en = "France (renamed)"
    party_a.save()
    version = party_a.history.earliest()

    client_for(contributor_a).post(_history_form_url(party_a, version), party_admin_form(name_en="Hacked"))

    party_a.refresh_from_db()
    assert party_a.name_en == "France (renamed)"


def test_committee_member_cannot_revert_a_reply(client_for, committee_member, draft_reply):
    version = draft_reply.history.earliest()

    client_for(committee_member).post(_history_form_url(draft_reply, version), {})

    draft_reply.refresh_from_db()
    assert draft_reply.text == "Second text"


def test_committee_member_cannot_change_a_follow_up_deadline(client_for, committee_member, party_a, party_b):
    follow_up = RecommendationFactory(addressees=[party_a, party_b]).follow_ups.get(party=party_b)
    deadline = follow_up.deadline
    version = follow_up.history.earliest()

    client_for(committee_member).post(_history_form_url(follow_up, version), {"deadline": "2040-01-01"})

    follow_up.refresh_from_db()
    assert follow_up.deadline == deadline


def test_committee_member_cannot_deactivate_a_user(client_for, committee_member, coordinator_b):
    version = coordinator_b.history.earliest()
    form = _user_form(coordinator_b)
    del form["is_active"]

    client_for(committee_member).post(_history_form_url(coordinator_b, version), form)

    coordinator_b.refresh_from_db()
    assert coordinator_b.is_active


def test_even_the_secretariat_cannot_revert_through_the_history_form(client_for, secretariat_admin, party_a):
    # A revert would skip the services and the workflow: past versions are read, never saved back.
    party_a.name_en = "France (renamed)"
    party_a.save()
    version = party_a.history.earliest()

    response = client_for(secretariat_admin).post(_history_form_url(party_a, version), party_admin_form())

    assert response.status_code == 403
    party_a.refresh_from_db()
    assert party_a.name_en == "France (renamed)"


def test_the_secretariat_still_reads_a_past_version(client_for, officer, party_a):
    party_a.name_en = "France (renamed)"
    party_a.save()
    response = client_for(officer).get(_history_form_url(party_a, party_a.history.earliest()))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text  # nothing to submit: no revert button


# --- 2. history pages follow the row rules, for the Committee too --------------------------------


@pytest.mark.parametrize("page", ["history", "version"])
def test_committee_member_does_not_read_a_draft_reply_history(
    client_for, committee_member, draft_reply, page
):
    url = (
        _history_url(draft_reply)
        if page == "history"
        else _history_form_url(draft_reply, draft_reply.history.earliest())
    )
    response = client_for(committee_member).get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["history", "version"])
def test_committee_member_does_not_read_a_confidential_submission_history(
    client_for, committee_member, registered_confidential_submission, page
):
    submission = registered_confidential_submission
    version = submission.history.earliest()
    url = _history_url(submission) if page == "history" else _history_form_url(submission, version)
    assert client_for(committee_member).get(url).status_code == 404


def test_committee_member_reads_the_history_of_a_publishable_registered_submission(
    client_for, committee_member, registered_confidential_submission
):
    submission = registered_confidential_submission
    Submission.objects.filter(pk=submission.pk).update(consent_to_publication=True)
    assert client_for(committee_member).get(_history_url(submission)).status_code == 200


def test_history_of_a_deleted_record_is_not_read_from_the_history_table(
    client_for, committee_member, draft_reply
):
    reply_pk = draft_reply.pk
    draft_reply.delete()
    url = reverse("admin:monitoring_reply_history", args=[reply_pk])
    assert client_for(committee_member).get(url).status_code == 404


# --- 3. stakeholders do not read unpublished assessments ---------------------------------------


@pytest.fixture
def unpublished_assessment(party_a, party_b, officer):
    follow_up = RecommendationFactory(addressees=[party_a, party_b]).follow_ups.get(party=party_b)
    return recommendation_services.follow_up_assess(
        follow_up=follow_up, by=officer, status="partly", reasoning="Internal reasoning"
    )


@pytest.mark.parametrize("page", ["change", "history"])
def test_stakeholder_does_not_open_the_follow_up_in_the_admin(
    client_for, stakeholder_b, unpublished_assessment, page
):
    follow_up = unpublished_assessment.follow_up
    url = reverse(f"admin:recommendations_followup_{page}", args=[follow_up.pk])
    response = client_for(stakeholder_b).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_stakeholder_does_not_export_follow_ups_from_the_admin(
    client_for, stakeholder_b, unpublished_assessment
):
    response = client_for(stakeholder_b).post(
        reverse("admin:recommendations_followup_export"), {"format": "0", "resource": "0"}
    )
    assert response.status_code == 302
    assert b"partly" not in response.content


def test_stakeholder_cannot_find_an_unpublished_status_with_the_api_filter(
    client_for, stakeholder_b, unpublished_assessment
):
    response = client_for(stakeholder_b).get("/api/v1/follow-ups/", {"assessed_status": "partly"})
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- 4. a model without history has no history page ---------------------------------------------


def test_transition_history_is_not_found_rather_than_an_error(
    client_for, officer, registered_confidential_submission
):
    transition = registered_confidential_submission.transitions.first()
    url = reverse("admin:monitoring_transition_history", args=[transition.pk])
    assert client_for(officer).get(url).status_code == 404


# --- the admin is for staff ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [
        (Role.SECRETARIAT_ADMIN, True),
        (Role.SECRETARIAT_OFFICER, True),
        (Role.COMMITTEE_MEMBER, True),
        (Role.STATE_COORDINATOR, False),
        (Role.STATE_CONTRIBUTOR, False),
        (Role.STAKEHOLDER_CONTRIBUTOR, False),
    ],
)
def test_only_staff_roles_are_staff(role, is_staff, party_a, organisation_b):
    affiliation = {
        Role.STATE_COORDINATOR: {"party": party_a},
        Role.STATE_CONTRIBUTOR: {"party": party_a},
        Role.STAKEHOLDER_CONTRIBUTOR: {"organisation": organisation_b},
    }.get(role, {})
    assert UserFactory(role=role, **affiliation).is_staff is is_staff


def test_a_state_user_moved_to_the_secretariat_becomes_staff_and_back(coordinator_a):
    coordinator_a.role, coordinator_a.party = Role.SECRETARIAT_OFFICER, None
    coordinator_a.save()
    assert coordinator_a.is_staff
    coordinator_a.role, coordinator_a.party_id = (
        Role.STATE_COORDINATOR,
        coordinator_a.history.earliest().party_id,
    )
    coordinator_a.save()
    assert not coordinator_a.is_staff


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "stakeholder_b"])
def test_state_users_and_stakeholders_are_refused_by_the_admin(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_state_user_marked_staff_by_mistake_is_still_refused(client_for, coordinator_a):
    type(coordinator_a).objects.filter(pk=coordinator_a.pk).update(is_staff=True)
    coordinator_a.refresh_from_db()
    response = client_for(coordinator_a).get(reverse("admin:secretariat_party_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
def test_staff_enter_the_admin(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(reverse("admin:index")).status_code == 200


def test_a_state_user_sent_to_the_admin_login_is_shown_the_way_to_the_portal(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("admin:index"), follow=True)
    assert f'href="{reverse("portal:home")}"' in response.text


def test_a_record_without_history_offers_no_history_link(
    client_for, officer, registered_confidential_submission
):
    transition = registered_confidential_submission.transitions.first()
    response = client_for(officer).get(reverse("admin:monitoring_transition_change", args=[transition.pk]))
    assert response.status_code == 200
    assert reverse("admin:monitoring_transition_history", args=[transition.pk]) not in response.text


def test_a_record_with_history_keeps_its_history_link(client_for, officer, party_a):
    response = client_for(officer).get(reverse("admin:secretariat_party_change", args=[party_a.pk]))
    assert reverse("admin:secretariat_party_history", args=[party_a.pk]) in response.text
