"""Who reads children's views (monitoring/access.py), for every persona: the Secretariat all, an
organisation's contributors their own (never the safeguarding flags), a Committee member the
registered contributions of the rounds they report on, and never a State."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.models import (
    ChildParticipation,
    ChildParticipationReport,
    ChildParticipationTransition,
    ChildQuote,
    RapporteurAssignment,
    SafeguardingFlag,
)
from secretariat import access
from secretariat.models import Role
from tests.factories import (
    ChildParticipationFactory,
    ChildQuoteFactory,
    OrganisationFactory,
    UserFactory,
    build_round,
)

pytestmark = pytest.mark.django_db

Status = ChildParticipation.Status

MODELS = [
    ChildParticipation,
    ChildQuote,
    ChildParticipationReport,
    SafeguardingFlag,
    ChildParticipationTransition,
]
SECRETARIAT = ("superuser", "secretariat_admin", "officer")
NOBODY = ("coordinator_a", "contributor_a", "coordinator_b", "no_role", "inactive_officer", "anonymous")


def _contribution(round, party, organisation, status, title):
    contribution = ChildParticipationFactory(
        round=round, party=party, organisation=organisation, status=status, title=title
    )
    quote = ChildQuoteFactory(contribution=contribution, text=f"Quote of {title}")
    ChildParticipationReport.objects.create(
        contribution=contribution, file=SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    SafeguardingFlag.objects.create(contribution=contribution, quote=quote, kind="name", matched="Emma")
    ChildParticipationTransition.objects.create(
        contribution=contribution, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=UserFactory()
    )
    return contribution


@pytest.fixture
def world(party_a, party_b, committee_member):
    """Round R (the committee member reports on it) and round S, organisations A and B, and four
    contributions: A's draft and registered ones in R, B's registered one in R, A's registered one in S."""
    reported, other = (
        build_round(parties=[party_a, party_b], questions_per_section=1, sections=1) for _ in "RS"
    )
    RapporteurAssignment.objects.create(question=reported.questions.first(), member=committee_member)
    organisation_a = OrganisationFactory(party=party_a)
    organisation_b = OrganisationFactory(party=party_b)
    return {
        "organisations": (organisation_a, organisation_b),
        "a_draft": _contribution(reported, party_a, organisation_a, Status.DRAFT, "a_draft"),
        "a_registered": _contribution(reported, party_a, organisation_a, Status.REGISTERED, "a_registered"),
        "b_registered": _contribution(reported, party_b, organisation_b, Status.REGISTERED, "b_registered"),
        "a_other_round": _contribution(other, party_a, organisation_a, Status.REGISTERED, "a_other_round"),
    }


def persona(name, world, request):
    organisation_a, organisation_b = world["organisations"]
    party_a, party_b = request.getfixturevalue("party_a"), request.getfixturevalue("party_b")
    makers = {
        "superuser": lambda: UserFactory(role="", is_superuser=True),
        "secretariat_admin": lambda: UserFactory(role=Role.SECRETARIAT_ADMIN),
        "officer": lambda: UserFactory(role=Role.SECRETARIAT_OFFICER),
        "committee": lambda: request.getfixturevalue("committee_member"),
        "other_committee": lambda: UserFactory(role=Role.COMMITTEE_MEMBER),
        "coordinator_a": lambda: UserFactory(role=Role.STATE_COORDINATOR, party=party_a),
        "contributor_a": lambda: UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a),
        "coordinator_b": lambda: UserFactory(role=Role.STATE_COORDINATOR, party=party_b),
        "stakeholder_a": lambda: UserFactory(role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation_a),
        "stakeholder_b": lambda: UserFactory(role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation_b),
        "inactive_stakeholder_a": lambda: UserFactory(
            role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation_a, is_active=False
        ),
        "no_role": lambda: UserFactory(role=""),
        "inactive_officer": lambda: UserFactory(role=Role.SECRETARIAT_OFFICER, is_active=False),
        "anonymous": AnonymousUser,
    }
    return makers[name]()


ALL = ("a_draft", "a_registered", "b_registered", "a_other_round")
CONTRIBUTIONS = {
    **dict.fromkeys(SECRETARIAT, ALL),
    "committee": ("a_registered", "b_registered"),
    "other_committee": (),
    "stakeholder_a": ("a_draft", "a_registered", "a_other_round"),
    "stakeholder_b": ("b_registered",),
    "inactive_stakeholder_a": (),
    **dict.fromkeys(NOBODY, ()),
}


def _titles(model, user) -> set[str]:
    rows = access.scoped(model, user)
    field = "title" if model is ChildParticipation else "contribution__title"
    return set(rows.values_list(field, flat=True))


@pytest.mark.parametrize(("name", "expected"), CONTRIBUTIONS.items())
@pytest.mark.parametrize("model", [ChildParticipation, ChildQuote, ChildParticipationReport])
def test_who_reads_contributions_their_quotes_and_reports(request, world, model, name, expected):
    assert _titles(model, persona(name, world, request)) == set(expected)


@pytest.mark.parametrize("name", CONTRIBUTIONS)
def test_only_the_secretariat_reads_the_safeguarding_flags(request, world, name):
    expected = set(ALL) if name in SECRETARIAT else set()
    assert _titles(SafeguardingFlag, persona(name, world, request)) == expected


@pytest.mark.parametrize("name", CONTRIBUTIONS)
def test_who_reads_the_workflow_moves(request, world, name):
    expected = set(CONTRIBUTIONS[name]) if name.startswith(("stakeholder", *SECRETARIAT)) else set()
    assert _titles(ChildParticipationTransition, persona(name, world, request)) == expected


def test_a_state_user_cannot_download_a_report(client, world, request):
    report = world["a_registered"].reports.get()
    client.force_login(persona("coordinator_a", world, request))
    assert client.get(f"/files/{report.file.name}").status_code == 404


def test_the_organisation_downloads_its_report(client, world, request):
    report = world["a_registered"].reports.get()
    client.force_login(persona("stakeholder_a", world, request))
    assert client.get(f"/files/{report.file.name}").status_code == 200
