"""The portal on real data: round 2's 118-node questionnaire and the Russian Federation's replies."""

import pytest
from django.urls import reverse

from secretariat.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_loaded, settings):
    """The demo, loaded once for the tests in a row (tests/conftest.py); DEBUG on, as it was loaded."""
    settings.DEBUG = True


def test_registered_demo_replies_are_shown_read_only_within_the_query_budget(
    client, demo, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username="rus-coordinator"))
    # The same 12 queries as in test_portal_queries.py, on the full questionnaire with 37 replies.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:questionnaire", args=[2]))
    page = response.context["page"]
    assert (page.answered, page.total) == (16, 16)
    assert not response.context["editable"]
    assert "<textarea" not in response.text
