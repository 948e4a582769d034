"""Shared arrangements for the monitoring admin, reminder and search tests."""

import pytest
from django.contrib.auth.models import Permission

from monitoring.models import Submission
from tests.factories import SubmissionFactory, build_round

Status = Submission.Status


@pytest.fixture
def round_(party_a, party_b):
    """A collecting round of France and the Russian Federation: questions 1–6, each with items a and b."""
    return build_round(parties=[party_a, party_b])


@pytest.fixture
def make_submission():
    """A submission already in the given status (arranged directly: tests of the workflow use services)."""

    def make(round, party, status=Status.DRAFT, **fields):
        return SubmissionFactory(round=round, party=party, status=status, **fields)

    return make


@pytest.fixture
def grant_monitoring_view():
    """Give a user the view permissions on monitoring records.

    State roles do not carry them yet (secretariat/roles.py); the access rules still decide
    which rows they see, which is what the tests using this check.
    """

    def grant(user):
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="monitoring", codename__startswith="view_")
        )
        return user

    return grant
