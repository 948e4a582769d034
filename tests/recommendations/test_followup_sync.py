"""A recommendation's addressees open, retire and restore follow-ups; nothing recorded is lost."""

import pytest

from recommendations import services
from recommendations.models import AssessedStatus
from tests.factories import PartyFactory

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def _active_codes(recommendation):
    return sorted(recommendation.follow_ups.filter(active=True).values_list("party__code", flat=True))


def test_recommendation_to_all_opens_a_follow_up_per_party_of_the_round(recommendation):
    assert _active_codes(recommendation) == ["FRA", "RUS"]


def test_follow_up_deadline_comes_from_the_report_by_urgency(chapter, party_a):
    invite = RecommendationFactory(chapter=chapter, urgency="invite", addressees=[party_a])
    require = RecommendationFactory(chapter=chapter, urgency="require", addressees=[party_a])
    assert invite.follow_ups.get().deadline == chapter.report.deadline_invite
    assert require.follow_ups.get().deadline == chapter.report.deadline_require_request


def test_named_addressees_open_only_their_follow_ups(chapter, party_a):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a])
    assert _active_codes(recommendation) == ["FRA"]


def test_adding_an_addressee_opens_its_follow_up(chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a])
    recommendation.addressees.add(party_b)
    counts = services.recommendation_sync_follow_ups(recommendation=recommendation)
    assert counts == {"added": 1, "retired": 0, "restored": 0}
    assert _active_codes(recommendation) == ["FRA", "RUS"]


def test_removing_an_addressee_retires_its_follow_up_without_deleting_it(chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    recommendation.addressees.remove(party_b)
    counts = services.recommendation_sync_follow_ups(recommendation=recommendation)
    assert counts == {"added": 0, "retired": 1, "restored": 0}
    assert _active_codes(recommendation) == ["FRA"]
    assert recommendation.follow_ups.get(party=party_b).active is False


def test_an_addressee_named_again_gets_its_follow_up_back_with_its_assessments(
    chapter, party_a, party_b, officer
):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a, party_b])
    follow_up = recommendation.follow_ups.get(party=party_b)
    services.follow_up_assess(
        follow_up=follow_up, by=officer, status=AssessedStatus.PARTLY, reasoning="A draft law is pending."
    )
    recommendation.addressees.remove(party_b)
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    recommendation.addressees.add(party_b)

    counts = services.recommendation_sync_follow_ups(recommendation=recommendation)

    restored = recommendation.follow_ups.get(party=party_b)
    assert counts == {"added": 0, "retired": 0, "restored": 1}
    assert restored.pk == follow_up.pk and restored.active
    assert restored.assessed_status == AssessedStatus.PARTLY
    assert restored.assessments.count() == 1


def test_switching_to_all_parties_follows_the_round(chapter, party_a, party_b):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a])
    recommendation.addressed_to_all = True
    recommendation.save()
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    assert _active_codes(recommendation) == ["FRA", "RUS"]


def test_a_party_outside_the_round_is_not_addressed_by_all(recommendation):
    PartyFactory(code="ITA")
    services.recommendation_sync_follow_ups(recommendation=recommendation)
    assert _active_codes(recommendation) == ["FRA", "RUS"]


def test_opening_and_retiring_follow_ups_is_recorded_in_history(chapter, party_a, party_b, officer):
    recommendation = RecommendationFactory(chapter=chapter, addressees=[party_a])
    recommendation.addressees.set([party_b])
    services.recommendation_sync_follow_ups(recommendation=recommendation, by=officer)
    opened = recommendation.follow_ups.get(party=party_b).history.get()
    retired = recommendation.follow_ups.get(party=party_a).history.first()
    assert (opened.history_type, opened.history_user) == ("+", officer)
    assert (retired.active, retired.history_user) == (False, officer)


def test_refreshing_deadlines_is_recorded_in_history(chapter, party_a, officer):
    recommendation = RecommendationFactory(chapter=chapter, urgency="invite", addressees=[party_a])
    report = chapter.report
    report.deadline_invite = report.deadline_invite.replace(year=report.deadline_invite.year + 1)
    report.save()
    assert services.report_refresh_deadlines(report=report, by=officer) == 1
    latest = recommendation.follow_ups.get().history.first()
    assert (latest.deadline, latest.history_user) == (report.deadline_invite, officer)
