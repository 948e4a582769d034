"""Who reads which follow-ups, updates and assessments (secretariat/access.py)."""

import pytest

from recommendations import services
from recommendations.models import AssessedStatus, Assessment, FollowUp, FollowUpUpdate
from secretariat import access

pytestmark = pytest.mark.django_db


def _update(follow_up, user):
    return services.update_submit(
        follow_up=follow_up, by=user, text="Measures", reported_status="in_progress"
    )


def test_state_user_sees_own_party_follow_ups_only(recommendation, coordinator_a, follow_up_a):
    assert list(access.scoped(FollowUp, coordinator_a)) == [follow_up_a]


def test_state_user_never_sees_another_party_updates(follow_up_a, follow_up_b, coordinator_a, coordinator_b):
    _update(follow_up_b, coordinator_b)
    own = _update(follow_up_a, coordinator_a)
    assert list(access.scoped(FollowUpUpdate, coordinator_a)) == [own]


def test_other_party_assessment_is_hidden_until_published(follow_up_b, coordinator_a, officer):
    hidden = services.follow_up_assess(
        follow_up=follow_up_b, by=officer, status=AssessedStatus.PARTLY, reasoning="r"
    )
    assert hidden not in access.scoped(Assessment, coordinator_a)
    published = services.follow_up_assess(
        follow_up=follow_up_b, by=officer, status=AssessedStatus.IMPLEMENTED, reasoning="r", published=True
    )
    assert list(access.scoped(Assessment, coordinator_a)) == [published]


def test_stakeholder_sees_follow_ups_of_the_party_it_works_on(recommendation, stakeholder_b, follow_up_b):
    assert list(access.scoped(FollowUp, stakeholder_b)) == [follow_up_b]


def test_stakeholder_update_is_visible_to_its_organisation_not_to_the_state(
    follow_up_b, stakeholder_b, coordinator_b
):
    update = _update(follow_up_b, stakeholder_b)
    assert list(access.scoped(FollowUpUpdate, stakeholder_b)) == [update]
    assert not access.scoped(FollowUpUpdate, coordinator_b).exists()


def test_committee_member_reads_every_assessment(follow_up_b, committee_member, officer):
    services.follow_up_assess(follow_up=follow_up_b, by=officer, status=AssessedStatus.PARTLY, reasoning="r")
    assert access.scoped(Assessment, committee_member).count() == 1


def test_recommendations_are_public_to_signed_in_users(recommendation, coordinator_b):
    from recommendations.models import Recommendation

    assert list(access.scoped(Recommendation, coordinator_b)) == [recommendation]
