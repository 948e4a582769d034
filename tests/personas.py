"""Every kind of user, as unsaved objects, for table-driven tests of the write rules.

The write rules read only the user's role, flags and affiliation (and the record's), so these
tests need no database. Party A is France (id 1), party B the Russian Federation (id 2); one
stakeholder organisation works on each.
"""

from django.contrib.auth.models import AnonymousUser

from secretariat.models import Organisation, Party, Role, User

PARTY_A = Party(pk=1, code="FRA")
PARTY_B = Party(pk=2, code="RUS")
ORGANISATION_A = Organisation(pk=11, name="Stakeholder of A", party=PARTY_A)
ORGANISATION_B = Organisation(pk=12, name="Stakeholder of B", party=PARTY_B)


def _user(role: str | None = None, *, party=None, organisation=None, **flags) -> User:
    return User(username=f"{role}", role=role or "", party=party, organisation=organisation, **flags)


PERSONAS = {
    "superuser": lambda: _user(is_superuser=True),
    "secretariat_admin": lambda: _user(Role.SECRETARIAT_ADMIN),
    "officer": lambda: _user(Role.SECRETARIAT_OFFICER),
    "committee": lambda: _user(Role.COMMITTEE_MEMBER),
    "coordinator_a": lambda: _user(Role.STATE_COORDINATOR, party=PARTY_A),
    "contributor_a": lambda: _user(Role.STATE_CONTRIBUTOR, party=PARTY_A),
    "coordinator_b": lambda: _user(Role.STATE_COORDINATOR, party=PARTY_B),
    "stakeholder_a": lambda: _user(Role.STAKEHOLDER_CONTRIBUTOR, organisation=ORGANISATION_A),
    "stakeholder_b": lambda: _user(Role.STAKEHOLDER_CONTRIBUTOR, organisation=ORGANISATION_B),
    "no_role": lambda: _user(),
    "inactive_coordinator_a": lambda: _user(Role.STATE_COORDINATOR, party=PARTY_A, is_active=False),
    "inactive_officer": lambda: _user(Role.SECRETARIAT_OFFICER, is_active=False),
    "anonymous": AnonymousUser,
}

SECRETARIAT = {"superuser", "secretariat_admin", "officer"}


def allowed(rule, *args) -> set[str]:
    """The personas for whom `rule(user, *args)` holds."""
    return {name for name, make in PERSONAS.items() if rule(make(), *args)}
