"""Every admin changelist runs the same number of queries for 10 rows as for 60.

A changelist shows 50 rows a page (secretariat/admin_base.py): 60 fill it, and more rows would
change only the count the database returns, not the queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.models import Organisation, Role
from tests.factories import DocumentFactory, OrganisationFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _grow(party, organisation, rows):
    DocumentFactory.create_batch(rows, party=party, organisation=organisation)
    UserFactory.create_batch(rows, role=Role.STATE_CONTRIBUTOR, party=party)
    OrganisationFactory.create_batch(rows, party=party, kind=Organisation.Kind.NGO)


CHANGELISTS = ["document", "user", "organisation", "party", "conventionarticle"]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(
    client_for, secretariat_admin, model, django_assert_max_num_queries
):
    client = client_for(secretariat_admin)
    party = PartyFactory(code="FRA")
    organisation = OrganisationFactory(party=party)
    url = reverse(f"admin:secretariat_{model}_changelist")
    _grow(party, organisation, 10)
    with_few = _count(client, url)
    _grow(party, organisation, 50)
    # Allowed (9 at most, the document list): session, user, user permissions, group
    # permissions, count, page rows, Parties for the party filter, date-hierarchy min/max and years.
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    assert _count(client, url) == with_few


@pytest.mark.parametrize("model", CHANGELISTS)
def test_committee_changelist_query_count_is_bounded(
    client_for, committee_member, party_a, model, django_assert_max_num_queries
):
    organisation = OrganisationFactory(party=party_a)
    _grow(party_a, organisation, 50)
    client = client_for(committee_member)
    # Allowed: the same 9 as above, whatever the staff role.
    with django_assert_max_num_queries(9):
        assert client.get(reverse(f"admin:secretariat_{model}_changelist")).status_code == 200


def test_party_change_page_with_many_users_has_bounded_queries(
    client_for, secretariat_admin, party_a, django_assert_max_num_queries
):
    UserFactory.create_batch(100, role=Role.STATE_CONTRIBUTOR, party=party_a)
    client = client_for(secretariat_admin)
    # Allowed: session, user, user and group permissions, the Party, its users in one inline query.
    with django_assert_max_num_queries(9):
        client.get(reverse("admin:secretariat_party_change", args=[party_a.pk]))
