"""Assessing a follow-up records who, when, why and on what evidence, and moves its status."""

import pytest

from recommendations import services
from recommendations.models import AssessedStatus, FollowUpUpdate, ReportedStatus
from tests.factories import DocumentFactory, ReplyFactory, SubmissionFactory

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def _assess(
    follow_up, by, status=AssessedStatus.PARTLY, reasoning="A draft law is before Parliament.", **evidence
):
    return services.follow_up_assess(
        follow_up=follow_up, by=by, status=status, reasoning=reasoning, **evidence
    )


def test_assessment_records_who_when_why_and_the_previous_status(follow_up_a, officer):
    assessment = _assess(follow_up_a, officer)
    follow_up_a.refresh_from_db()
    assert follow_up_a.assessed_status == AssessedStatus.PARTLY
    assert follow_up_a.assessed_at == assessment.assessed_at
    assert (assessment.assessed_by, assessment.previous_status) == (officer, AssessedStatus.NOT_ASSESSED)
    assert assessment.reasoning == "A draft law is before Parliament."


def test_a_second_assessment_keeps_the_first_as_history(follow_up_a, officer):
    _assess(follow_up_a, officer, status=AssessedStatus.PARTLY)
    second = _assess(follow_up_a, officer, status=AssessedStatus.IMPLEMENTED)
    assert second.previous_status == AssessedStatus.PARTLY
    assert follow_up_a.assessments.count() == 2


def test_assessment_keeps_its_evidence_and_marks_the_updates_taken_into_it(
    follow_up_a, officer, coordinator_a, party_a
):
    update = services.update_submit(
        follow_up=follow_up_a, by=coordinator_a, text="A law was passed.", reported_status=ReportedStatus.DONE
    )
    reply = ReplyFactory(submission=SubmissionFactory(party=party_a, status="registered"))
    document = DocumentFactory(party=party_a)

    assessment = _assess(follow_up_a, officer, updates=[update], replies=[reply], documents=[document])

    assert list(assessment.updates.all()) == [update]
    assert list(assessment.replies.all()) == [reply]
    assert list(assessment.documents.all()) == [document]
    update.refresh_from_db()
    assert update.status == FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT


def test_an_update_taken_into_an_assessment_keeps_that_step_in_its_history(
    follow_up_a, officer, coordinator_a
):
    # Its authors read this history in the portal (the update's review trail).
    update = services.update_submit(
        follow_up=follow_up_a, by=coordinator_a, text="A law was passed.", reported_status=ReportedStatus.DONE
    )
    _assess(follow_up_a, officer, updates=[update])
    latest = update.history.latest()
    assert (latest.status, latest.history_user) == (FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT, officer)


@pytest.mark.parametrize("reasoning", ["", "   \n"])
def test_assessment_without_reasoning_is_refused(follow_up_a, officer, reasoning):
    with pytest.raises(services.InvalidAssessment):
        _assess(follow_up_a, officer, reasoning=reasoning)
    assert follow_up_a.assessments.count() == 0


def test_assessment_cannot_go_back_to_not_assessed(follow_up_a, officer):
    _assess(follow_up_a, officer)
    with pytest.raises(services.InvalidAssessment):
        _assess(follow_up_a, officer, status=AssessedStatus.NOT_ASSESSED)
    follow_up_a.refresh_from_db()
    assert follow_up_a.assessed_status == AssessedStatus.PARTLY


def test_retired_follow_up_cannot_be_assessed(chapter, party_a, party_b, officer):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.addressees.remove(party_b)
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    with pytest.raises(services.InvalidAssessment):
        _assess(recommendation.follow_ups.get(party=party_b), officer)


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a", "stakeholder_b"])
def test_only_the_secretariat_assesses(follow_up_a, persona, request):
    with pytest.raises(services.InvalidAssessment):
        _assess(follow_up_a, request.getfixturevalue(persona))
    follow_up_a.refresh_from_db()
    assert follow_up_a.assessed_status == AssessedStatus.NOT_ASSESSED


def test_assessment_refuses_an_update_about_another_follow_up(
    follow_up_a, follow_up_b, coordinator_b, officer
):
    foreign = services.update_submit(
        follow_up=follow_up_b, by=coordinator_b, text="Measures.", reported_status=ReportedStatus.PLANNED
    )
    with pytest.raises(services.InvalidAssessment):
        _assess(follow_up_a, officer, updates=[foreign])


def test_bulk_status_change_assesses_each_follow_up_and_reports_each_refusal(
    chapter, party_a, party_b, officer
):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.addressees.remove(party_b)
    services.recommendation_sync_follow_ups(recommendation=recommendation)

    done, refusals = services.follow_ups_assess_many(
        follow_ups=recommendation.follow_ups.all(),
        by=officer,
        status=AssessedStatus.IMPLEMENTED,
        reasoning="Done.",
    )

    assert done == 1
    assert len(refusals) == 1 and "Russian Federation" in refusals[0]
    statuses = dict(recommendation.follow_ups.values_list("party__code", "assessed_status"))
    assert statuses == {"FRA": AssessedStatus.IMPLEMENTED, "RUS": AssessedStatus.NOT_ASSESSED}
