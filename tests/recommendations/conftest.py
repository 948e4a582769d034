"""Shared arrangements for the recommendation tests (follow-up, dashboard, factsheets)."""

import pytest
from django.contrib.auth.models import Permission

from recommendations.models import FollowUp
from tests.factories import RoundFactory

from .factories import ChapterFactory, RecommendationFactory, ReportFactory


@pytest.fixture
def report(party_a, party_b):
    """An implementation report on a collecting round of France and the Russian Federation."""
    round = RoundFactory()
    round.parties.set([party_a, party_b])
    return ReportFactory(round=round)


@pytest.fixture
def chapter(report):
    return ChapterFactory(report=report)


@pytest.fixture
def recommendation(chapter):
    """A "require" recommendation addressed to all the Parties of the round (France and Russia)."""
    return RecommendationFactory(chapter=chapter, addressed_to_all=True)


@pytest.fixture
def follow_up_a(recommendation, party_a) -> FollowUp:
    return recommendation.follow_ups.get(party=party_a)


@pytest.fixture
def follow_up_b(recommendation, party_b) -> FollowUp:
    return recommendation.follow_ups.get(party=party_b)


@pytest.fixture
def grant_recommendations_view():
    """Give a user the view permissions on recommendation records (whatever their role carries)."""

    def grant(user):
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="recommendations", codename__startswith="view_"
            )
        )
        return user

    return grant
