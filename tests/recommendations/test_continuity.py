"""Carrying follow-ups into the next report: when a later round's report is adopted, the earlier
reports' follow-ups still open go on under it (with their history), in the adoption's transaction."""

import datetime

import pytest

from recommendations import continuity, services
from recommendations.models import FollowUp, ImplementationReport
from tests.factories import RoundFactory

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2028, 3, 8)


def _assess(follow_up, officer, status):
    services.follow_up_assess(follow_up=follow_up, by=officer, status=status, reasoning="Seen.")


def _draft_of_round(number, parties, reference):
    """A report in preparation on round `number`, with a recommendation addressed to all its Parties."""
    round = RoundFactory(number=number)
    round.parties.set(parties)
    draft = ReportFactory(
        round=round,
        status=ImplementationReport.Status.IN_PREPARATION,
        reference=reference,
        adoption_date=None,
    )
    RecommendationFactory(
        chapter=ChapterFactory(report=draft), number=f"{reference}-1", addressed_to_all=True
    )
    return draft


@pytest.fixture
def later(report, party_a, party_b):
    """A report in preparation on the next round (of the same Parties)."""
    return _draft_of_round(report.round.number + 500, [party_a, party_b], "NEXT")


def _adopt(report, officer):
    return services.report_adopt(report=report, by=officer, adoption_date=DAY)


def test_an_open_follow_up_is_carried_into_the_next_report_with_its_author(follow_up_a, later, officer):
    _assess(follow_up_a, officer, "partly")

    _adopt(later, officer)

    follow_up_a.refresh_from_db()
    assert follow_up_a.carried_into == later
    latest = follow_up_a.history.latest()
    assert (latest.carried_into_id, latest.history_user) == (later.pk, officer)
    # Its assessments stay with it, and it is still followed up.
    assert (follow_up_a.assessments.count(), follow_up_a.active) == (1, True)


def test_a_follow_up_not_yet_assessed_is_carried_too(follow_up_b, later, officer):
    _adopt(later, officer)

    follow_up_b.refresh_from_db()
    assert follow_up_b.carried_into == later


def test_compliant_closed_and_retired_follow_ups_are_not_carried(follow_up_a, follow_up_b, later, officer):
    _assess(follow_up_a, officer, "implemented")
    FollowUp.objects.filter(pk=follow_up_b.pk).update(closed_on=datetime.date(2027, 1, 1))
    retired = RecommendationFactory(
        chapter=follow_up_a.recommendation.chapter, addressees=[follow_up_a.party]
    )
    retired.addressees.clear()
    services.recommendation_sync_follow_ups(recommendation=retired)

    _adopt(later, officer)

    assert not FollowUp.objects.filter(carried_into=later).exists()


def test_a_follow_up_already_carried_stays_where_it_was_carried(follow_up_a, later, officer, report, party_a):
    _adopt(later, officer)
    third = _draft_of_round(report.round.number + 600, [party_a], "THIRD")

    _adopt(third, officer)

    follow_up_a.refresh_from_db()
    assert follow_up_a.carried_into == later


def test_adopting_a_report_of_an_earlier_round_carries_nothing(follow_up_a, report, officer, party_a):
    earlier = _draft_of_round(report.round.number - 500, [party_a], "EARLIER")

    _adopt(earlier, officer)

    assert not FollowUp.objects.filter(carried_into__isnull=False).exists()


def test_carrying_is_all_or_nothing_with_the_adoption(follow_up_a, later, officer, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the notification failed")

    monkeypatch.setattr(services.events, "emit", fail)  # after the follow-ups were carried

    with pytest.raises(RuntimeError):
        _adopt(later, officer)

    follow_up_a.refresh_from_db()
    later.refresh_from_db()
    assert (follow_up_a.carried_into, later.status) == (None, ImplementationReport.Status.IN_PREPARATION)


def test_a_state_sees_only_its_own_carried_follow_ups(
    follow_up_a, follow_up_b, later, officer, coordinator_a
):
    _adopt(later, officer)

    [group] = continuity.carried_into(coordinator_a, later)

    assert group.follow_ups == [follow_up_a]
    assert group.label == f"carried from the round {follow_up_a.recommendation.report.round.number} report"
    assert {f.pk for g in continuity.carried_into(officer, later) for f in g.follow_ups} == {
        follow_up_a.pk,
        follow_up_b.pk,
    }
