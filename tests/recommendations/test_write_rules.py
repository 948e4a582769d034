"""Who may report on a follow-up, assess it and review updates: recommendations.access's write rules."""

import datetime

import pytest

from recommendations import access as rules
from recommendations.models import FollowUp
from tests.personas import PARTY_A, SECRETARIAT, allowed


@pytest.mark.parametrize(
    ("active", "expected"),
    [(True, {"coordinator_a", "stakeholder_a"}), (False, set())],
    ids=["addressed", "retired"],
)
def test_who_may_report_on_a_follow_up(active, expected):
    # Contributors draft replies, but only the coordinator reports for the State.
    assert allowed(rules.may_report, FollowUp(pk=1, party=PARTY_A, active=active)) == expected


@pytest.mark.parametrize("rule", [rules.may_assess, rules.may_review_updates], ids=lambda rule: rule.__name__)
def test_only_the_secretariat_assesses_and_reviews(rule):
    assert allowed(rule) == SECRETARIAT


def test_nobody_assesses_without_a_user():
    assert rules.may_assess(None) is False


def test_only_the_secretariat_closes_a_follow_up_and_only_once():
    assert allowed(rules.may_close_follow_up, FollowUp(pk=1, party=PARTY_A)) == SECRETARIAT
    closed = FollowUp(pk=1, party=PARTY_A, closed_on=datetime.date(2027, 3, 8))
    assert allowed(rules.may_close_follow_up, closed) == set()
