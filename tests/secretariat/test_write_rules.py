"""The core's write rules (filing documents, importing, exporting the dataset), persona by persona."""

import pytest

from secretariat import access
from secretariat.imports import KINDS
from secretariat.models import Role
from tests.factories import OrganisationFactory, PartyFactory, UserFactory
from tests.personas import SECRETARIAT, allowed

RESPONDENTS = {"coordinator_a", "contributor_a", "coordinator_b", "stakeholder_a", "stakeholder_b"}


def test_state_users_and_stakeholders_file_documents():
    assert allowed(access.may_file_documents) == RESPONDENTS


def test_respondents_are_state_users_and_stakeholders():
    assert allowed(access.is_respondent) == RESPONDENTS


def test_only_the_secretariat_exports_the_whole_dataset():
    assert allowed(access.may_export_dataset) == SECRETARIAT


def test_signed_in_means_authenticated_and_active():
    assert allowed(access.is_signed_in) == {
        "superuser",
        "secretariat_admin",
        "officer",
        "committee",
        "no_role",
        *RESPONDENTS,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_import"),
    [
        (Role.SECRETARIAT_ADMIN, True),
        (Role.SECRETARIAT_OFFICER, True),
        (Role.COMMITTEE_MEMBER, False),
        (Role.STATE_COORDINATOR, False),
        (Role.STATE_CONTRIBUTOR, False),
        (Role.STAKEHOLDER_CONTRIBUTOR, False),
    ],
)
def test_who_may_import_each_kind(role, may_import):
    # The role's group carries the permissions; the rule also wants a Secretariat role.
    party = PartyFactory() if role in (Role.STATE_COORDINATOR, Role.STATE_CONTRIBUTOR) else None
    organisation = OrganisationFactory() if role == Role.STAKEHOLDER_CONTRIBUTOR else None
    user = UserFactory(role=role, party=party, organisation=organisation)
    assert {name: access.may_import(user, kind.permission) for name, kind in KINDS.items()} == dict.fromkeys(
        KINDS, may_import
    )
