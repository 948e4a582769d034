"""Who reads what through the API: the access module's rules, endpoint by endpoint.

A State user lists only its own Party's records (and the published texts) and gets 404 for
another Party's; the Secretariat reads everything; a Committee member never reads a draft nor a
confidential submission; nobody signed out reads anything.
"""

import pytest
from rest_framework.test import APIClient

from monitoring.models import RapporteurAssignment
from recommendations import services
from secretariat.api_tokens import token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "parties",
    "rounds",
    "questions",
    "submissions",
    "replies",
    "reports",
    "recommendations",
    "follow-ups",
    "follow-up-updates",
    "assessments",
    "practices",
    "factsheets",
]


def _keys(response, key="id") -> set:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


# --- signed out, no role, tokens -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
def test_anonymous_user_is_asked_to_authenticate(api, endpoint):
    response = api.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_user_cannot_open_a_record(api, world):
    assert api.get(f"/api/v1/replies/{world.reply_b.pk}/").status_code == 401


def test_anonymous_user_cannot_write(api, world):
    response = api.post("/api/v1/replies/", {"round": 2, "questions": ["1"], "language": "en"}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", ["parties", "replies", "follow-ups"])
def test_user_without_role_is_refused(api_for, world, endpoint):
    assert api_for(UserFactory(role="")).get(f"/api/v1/{endpoint}/").status_code == 403


def test_token_authenticates_a_state_user(api, world, coordinator_a):
    _, key = token_create(user=coordinator_a)
    response = api.get("/api/v1/replies/", HTTP_AUTHORIZATION=f"Token {key}")
    assert _keys(response) == {world.reply_a.pk}


def test_unknown_token_is_refused(api, world):
    response = api.get("/api/v1/replies/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_inactive_user_token_is_refused(api, world, coordinator_a):
    _, key = token_create(user=coordinator_a)
    coordinator_a.is_active = False
    coordinator_a.save()
    assert api.get("/api/v1/replies/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


# --- a State user of Party A -----------------------------------------------------------------------


def test_state_user_lists_only_own_party(api_for, world, contributor_a):
    assert _keys(api_for(contributor_a).get("/api/v1/parties/"), "code") == {"FRA"}


def test_state_user_gets_404_for_another_party(api_for, world, contributor_a):
    assert api_for(contributor_a).get("/api/v1/parties/RUS/").status_code == 404


def test_state_user_lists_only_rounds_its_party_takes_part_in(api_for, world, contributor_a):
    # Round 3 is still in preparation; round 4 is Russia's alone.
    assert _keys(api_for(contributor_a).get("/api/v1/rounds/"), "number") == {2}


@pytest.mark.parametrize("number", [3, 4])
def test_state_user_gets_404_for_a_round_it_does_not_see(api_for, world, contributor_a, number):
    client = api_for(contributor_a)
    assert client.get(f"/api/v1/rounds/{number}/").status_code == 404
    assert client.get(f"/api/v1/rounds/{number}/questions/").status_code == 404


def test_state_user_reads_the_questionnaire_of_its_round(api_for, world, contributor_a):
    response = api_for(contributor_a).get("/api/v1/rounds/2/questions/")
    assert response.status_code == 200
    assert [row["ref"] for row in response.json()][:4] == ["1", "1.a", "1.b", "2"]
    assert len(response.json()) == 18


def test_state_user_gets_404_for_a_question_of_another_round(api_for, world, contributor_a):
    client = api_for(contributor_a)
    assert client.get(f"/api/v1/questions/{world.question_of_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/questions/{world.question_in_preparation.pk}/").status_code == 404
    assert world.question_of_b.pk not in _keys(client.get("/api/v1/questions/"))


def test_state_user_lists_only_own_party_submissions(api_for, world, contributor_a):
    assert _keys(api_for(contributor_a).get("/api/v1/submissions/")) == {world.submission_a.pk}


def test_state_user_gets_404_for_another_party_submission(api_for, world, contributor_a):
    assert api_for(contributor_a).get(f"/api/v1/submissions/{world.submission_b.pk}/").status_code == 404


def test_state_user_lists_own_draft_replies_only(api_for, world, contributor_a):
    assert _keys(api_for(contributor_a).get("/api/v1/replies/")) == {world.reply_a.pk}


@pytest.mark.parametrize("name", ["reply_b", "reply_c"])
def test_state_user_gets_404_for_another_party_reply(api_for, world, contributor_a, name):
    reply = getattr(world, name)
    assert api_for(contributor_a).get(f"/api/v1/replies/{reply.pk}/").status_code == 404


def test_filtering_by_another_party_record_reads_like_a_missing_one(api_for, world, contributor_a):
    client = api_for(contributor_a)
    theirs = client.get(f"/api/v1/replies/?submission={world.submission_b.pk}")
    missing = client.get("/api/v1/replies/?submission=999999")
    assert theirs.status_code == missing.status_code == 200
    assert theirs.json() == missing.json()


def test_state_user_lists_only_own_party_follow_ups(api_for, world, contributor_a):
    assert _keys(api_for(contributor_a).get("/api/v1/follow-ups/")) == {world.follow_ups["FRA"].pk}


def test_state_user_gets_404_for_another_party_follow_up(api_for, world, contributor_a):
    response = api_for(contributor_a).get(f"/api/v1/follow-ups/{world.follow_ups['RUS'].pk}/")
    assert response.status_code == 404


def test_state_user_lists_only_own_party_updates(api_for, world, contributor_a):
    assert _keys(api_for(contributor_a).get("/api/v1/follow-up-updates/")) == {world.update_a.pk}


def test_state_user_gets_404_for_another_party_update(api_for, world, contributor_a):
    response = api_for(contributor_a).get(f"/api/v1/follow-up-updates/{world.update_b.pk}/")
    assert response.status_code == 404


def test_state_user_lists_own_assessments_and_no_unpublished_other(api_for, world, contributor_a):
    assert _keys(api_for(contributor_a).get("/api/v1/assessments/")) == {world.assessment_a.pk}


def test_state_user_gets_404_for_another_party_unpublished_assessment(api_for, world, contributor_a):
    response = api_for(contributor_a).get(f"/api/v1/assessments/{world.assessment_b.pk}/")
    assert response.status_code == 404


def test_state_user_reads_another_party_published_assessment(api_for, world, contributor_a):
    world.assessment_b.published = True
    world.assessment_b.save()
    response = api_for(contributor_a).get(f"/api/v1/assessments/{world.assessment_b.pk}/")
    assert response.status_code == 200


def test_published_assessment_lists_only_the_evidence_the_reader_may_see(
    api_for, world, officer, contributor_a
):
    evidence = services.follow_up_assess(
        follow_up=world.follow_ups["RUS"],
        by=officer,
        status="implemented",
        reasoning="Russia's update and reply, France's draft.",
        updates=[world.update_b],
        replies=[world.reply_b, world.reply_a],
        published=True,
    )
    body = api_for(contributor_a).get(f"/api/v1/assessments/{evidence.pk}/").json()
    assert (body["updates"], body["replies"]) == ([], [world.reply_a.pk])


@pytest.mark.parametrize(
    ("endpoint", "key", "expected"),
    [
        ("reports", "reference", {"LC-R2-TEST"}),
        ("recommendations", "number", {"V-17"}),
        ("practices", "title", {"A helpline"}),
        ("factsheets", "slug", {"co-operation"}),
    ],
)
def test_every_signed_in_user_reads_the_published_texts(
    api_for, world, coordinator_b, endpoint, key, expected
):
    assert _keys(api_for(coordinator_b).get(f"/api/v1/{endpoint}/"), key) == expected


# --- the Secretariat ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "names"),
    [
        ("submissions", ["submission_a", "submission_b", "submission_c"]),
        ("replies", ["reply_a", "reply_b", "reply_c"]),
        ("follow-up-updates", ["update_a", "update_b"]),
        ("assessments", ["assessment_a", "assessment_b"]),
    ],
)
def test_secretariat_reads_every_party(api_for, world, officer, endpoint, names):
    expected = {getattr(world, name).pk for name in names}
    assert _keys(api_for(officer).get(f"/api/v1/{endpoint}/")) == expected


def test_secretariat_reads_every_party_and_round(api_for, world, officer):
    client = api_for(officer)
    assert _keys(client.get("/api/v1/parties/"), "code") == {"FRA", "RUS", "ITA"}
    assert _keys(client.get("/api/v1/rounds/"), "number") == {2, 3, 4}


# --- the Committee -------------------------------------------------------------------------------------


def test_committee_member_reads_only_registered_consenting_replies(api_for, world, committee_member):
    assert _keys(api_for(committee_member).get("/api/v1/replies/")) == {world.reply_b.pk}


@pytest.mark.parametrize("name", ["reply_a", "reply_c"])
def test_committee_member_gets_404_for_a_draft_or_confidential_reply(api_for, world, committee_member, name):
    reply = getattr(world, name)
    assert api_for(committee_member).get(f"/api/v1/replies/{reply.pk}/").status_code == 404


@pytest.mark.parametrize("query", ["submission={c}", "party=ITA", "round=2&question=3", "status=registered"])
def test_committee_member_cannot_filter_its_way_to_confidential_replies(
    api_for, world, committee_member, query
):
    response = api_for(committee_member).get(f"/api/v1/replies/?{query.format(c=world.submission_c.pk)}")
    assert world.reply_c.pk not in _keys(response)


def test_committee_member_does_not_see_confidential_evidence(api_for, world, officer, committee_member):
    assessment = services.follow_up_assess(
        follow_up=world.follow_ups["ITA"],
        by=officer,
        status="partly",
        reasoning="Italy's confidential reply.",
        replies=[world.reply_c],
    )
    body = api_for(committee_member).get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert body["replies"] == []


def test_committee_member_reads_only_registered_consenting_submissions(api_for, world, committee_member):
    client = api_for(committee_member)
    assert _keys(client.get("/api/v1/submissions/")) == {world.submission_b.pk}
    assert client.get(f"/api/v1/submissions/{world.submission_c.pk}/").status_code == 404


def test_committee_member_as_rapporteur_reads_confidential_replies_to_its_question(
    api_for, world, committee_member
):
    RapporteurAssignment.objects.create(question=world.questions["3"], member=committee_member)
    assert _keys(api_for(committee_member).get("/api/v1/replies/")) == {world.reply_b.pk, world.reply_c.pk}


# --- stakeholders ----------------------------------------------------------------------------------------


def test_stakeholder_reads_the_status_of_published_assessments_only(
    api_for, world, stakeholder_b, coordinator_b
):
    url = f"/api/v1/follow-ups/{world.follow_ups['RUS'].pk}/"
    assert api_for(coordinator_b).get(url).json()["assessed_status"] == "partly"
    assert api_for(stakeholder_b).get(url).json()["assessed_status"] == "not_assessed"
    world.assessment_b.published = True
    world.assessment_b.save()
    assert api_for(stakeholder_b).get(url).json()["assessed_status"] == "partly"


def test_stakeholder_does_not_read_the_state_replies(api_for, world, stakeholder_b):
    client = api_for(stakeholder_b)
    assert _keys(client.get("/api/v1/replies/")) == set()
    assert client.get(f"/api/v1/submissions/{world.submission_b.pk}/").status_code == 404


# --- writing with a session or a token -------------------------------------------------------------------


def test_session_write_needs_the_csrf_token(world, coordinator_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    response = client.post(
        "/api/v1/replies/", {"round": 2, "questions": ["1"], "language": "en"}, format="json"
    )
    assert response.status_code == 403
    assert world.submission_a.replies.count() == 1


def test_token_write_needs_no_csrf_token(world, coordinator_a):
    _, key = token_create(user=coordinator_a)
    client = APIClient(enforce_csrf_checks=True)
    data = {"round": 2, "questions": ["1"], "language": "en", "text": "With a token."}
    response = client.post("/api/v1/replies/", data, format="json", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 201
