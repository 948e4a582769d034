"""/api/v1/child-participations/: the Secretariat's and the rapporteurs' reading of children's views,
never a State's nor another organisation's, never the safeguarding flags' words."""

import pytest

from monitoring import participation
from monitoring.models import ChildParticipation, ChildQuote, RapporteurAssignment, SafeguardingFlag
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
URL = "/api/v1/child-participations/"


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=1, sections=1)


@pytest.fixture
def registered(round_, party_b, organisation_b):
    contribution = ChildParticipationFactory(
        round=round_, party=party_b, organisation=organisation_b, status=Status.REGISTERED
    )
    contribution.questions.set([round_.questions.get(ref="1")])
    quote = ChildQuoteFactory(contribution=contribution, text="Adults should believe us.")
    quote.questions.set([round_.questions.get(ref="1.a")])
    return contribution


def test_the_secretariat_reads_a_contribution_with_counts_questions_and_quotes(api_for, officer, registered):
    body = api_for(officer).get(f"{URL}{registered.pk}/").json()
    assert (body["round"], body["party"], body["organisation_name"]) == (
        registered.round.number,
        "RUS",
        "Stakeholder of B",
    )
    assert (body["children_count"], body["children_13_15"], body["girls"], body["boys"]) == (12, 12, 7, 5)
    assert body["questions"] == ["1"]
    assert body["quotes"] == [
        {
            "id": registered.quotes.get().pk,
            "order": registered.quotes.get().order,
            "text": "Adults should believe us.",
            "language": "en",
            "age_band": "",
            "questions": ["1.a"],
        }
    ]


def test_the_flags_words_are_never_shown(api_for, officer, round_, party_b, organisation_b, stakeholder_b):
    contribution = ChildParticipationFactory(round=round_, party=party_b, organisation=organisation_b)
    participation.quote_save(
        quote=ChildQuote(contribution=contribution, text="Victor Hugo wrote about us."), by=stakeholder_b
    )
    participation.participation_submit(contribution=contribution, by=stakeholder_b)
    flag = SafeguardingFlag.objects.get()
    participation.flag_confirm(flag=flag, by=officer, reason="A writer, not a child.")
    body = api_for(officer).get(f"{URL}{contribution.pk}/").json()
    assert "flags" not in body
    assert "A writer, not a child." not in str(body)


def test_a_rapporteur_of_the_round_reads_the_registered_ones(api_for, committee_member, registered, round_):
    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    ChildParticipationFactory(round=round_, party=registered.party, organisation=registered.organisation)
    body = api_for(committee_member).get(URL).json()
    assert [row["id"] for row in body["results"]] == [registered.pk]


def test_a_committee_member_who_is_not_its_rapporteur_reads_nothing(api_for, committee_member, registered):
    client = api_for(committee_member)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{registered.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_b", "contributor_a"])
def test_a_state_user_reads_nothing(request, api_for, registered, persona):
    # State users hold no view permission on children's views: refused before any row is read.
    client = api_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{registered.pk}/").status_code == 403


def test_another_organisation_reads_nothing(api_for, registered, party_b):
    other = UserFactory(role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=OrganisationFactory(party=party_b))
    client = api_for(other)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{registered.pk}/").status_code == 403


def test_filters_by_round_party_and_status(api_for, officer, registered, round_, party_b, organisation_b):
    ChildParticipationFactory(round=round_, party=party_b, organisation=organisation_b)
    client = api_for(officer)
    assert client.get(URL, {"status": "registered"}).json()["count"] == 1
    assert client.get(URL, {"party": "RUS", "round": round_.number}).json()["count"] == 2
    assert client.get(URL, {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_runs_a_fixed_number_of_queries(
    api_for, officer, round_, party_b, django_assert_max_num_queries, rows
):
    questions = list(round_.questions.all())
    for _ in range(rows):
        contribution = ChildParticipationFactory(round=round_, party=party_b, organisation__party=party_b)
        contribution.questions.set(questions)
        contribution.sections.set(round_.sections.all())
        for text in ("We want to be heard.", "Teachers should ask us."):
            ChildQuoteFactory(contribution=contribution, text=text).questions.set(questions[:1])
    client = api_for(officer)
    # session, user, user permissions, group permissions; the count, the page (with round, Party,
    # organisation), its questions, themes, quotes and the quotes' questions.
    with django_assert_max_num_queries(4 + 6):
        response = client.get(URL)
    assert response.json()["count"] == rows
