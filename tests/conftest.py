"""Personas used across the suite: who is looking decides what they see."""

import pytest
from django.core.cache import cache

from secretariat.models import Role
from tests.factories import OrganisationFactory, PartyFactory, UserFactory


@pytest.fixture
def party_a():
    return PartyFactory(code="FRA", name_en="France", name_fr="France")


@pytest.fixture
def party_b():
    return PartyFactory(code="RUS", name_en="Russian Federation", name_fr="Fédération de Russie")


@pytest.fixture
def organisation_b(party_b):
    return OrganisationFactory(name="Stakeholder of B", party=party_b)


@pytest.fixture
def secretariat_admin():
    return UserFactory(username="admin", role=Role.SECRETARIAT_ADMIN)


@pytest.fixture
def officer():
    return UserFactory(username="officer", role=Role.SECRETARIAT_OFFICER)


@pytest.fixture
def committee_member():
    return UserFactory(username="committee", role=Role.COMMITTEE_MEMBER)


@pytest.fixture
def coordinator_a(party_a):
    return UserFactory(username="coord-a", role=Role.STATE_COORDINATOR, party=party_a)


@pytest.fixture
def contributor_a(party_a):
    return UserFactory(username="contrib-a", role=Role.STATE_CONTRIBUTOR, party=party_a)


@pytest.fixture
def coordinator_b(party_b):
    return UserFactory(username="coord-b", role=Role.STATE_COORDINATOR, party=party_b)


@pytest.fixture
def stakeholder_b(organisation_b):
    return UserFactory(
        username="ngo-b", role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation_b, party=None
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashers are deliberately slow; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_not_required(settings):
    # The suite signs staff in with force_login(), which gives no second factor; the tests of
    # sign-in security (tests/secretariat/test_signin_*.py) turn the requirement back on.
    settings.MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts sign-in attempts per IP address in the cache: every test starts afresh.
    cache.clear()
