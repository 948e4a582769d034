"""The portal on real data: round 2's 118-node questionnaire and the Russian Federation's replies."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from secretariat.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo creates the demo accounts only in development
    call_command("load_demo", stdout=io.StringIO())


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
