"""The admin page "Children's views in round N": headline, suppressed tables, quotes by question."""

import pytest
from django.urls import reverse

from monitoring.models import RapporteurAssignment
from tests.factories import PartyFactory, build_round

from .children_data import contribution, quote

pytestmark = pytest.mark.django_db


def _url(round_) -> str:
    return reverse("admin:monitoring_monitoringround_children", args=[round_.pk])


@pytest.fixture
def round_with_children(party_a, party_b, officer):
    round_ = build_round(parties=[party_a, party_b])
    q1 = round_.questions.get(ref="1")
    france = contribution(
        round=round_, party=party_a, by=officer, ages={"children_13_15": 20}, questions=[q1]
    )
    contribution(round=round_, party=party_b, by=officer, ages={"children_13_15": 3}, questions=[q1])
    quote(france, "Adults should believe us the first time.", by=officer, questions=[q1])
    return round_


def test_the_secretariat_reads_the_headline_tables_and_quotes(client_for, officer, round_with_children):
    page = client_for(officer).get(_url(round_with_children)).content.decode()
    assert f"Children&#x27;s views in round {round_with_children.number}" in page
    assert "23 children in 2 Parties" in page
    assert "fewer than 5" in page
    assert "Adults should believe us the first time." in page


def test_a_small_party_count_is_never_printed(client_for, officer, round_with_children):
    page = client_for(officer).get(_url(round_with_children)).content.decode()
    assert '<td class="count">3</td>' not in page
    assert '<td class="count">20</td>' not in page  # France's count would give Russia's away


def test_a_rapporteur_of_the_round_reads_the_page(client_for, committee_member, round_with_children):
    RapporteurAssignment.objects.create(
        question=round_with_children.questions.get(ref="1"), member=committee_member
    )
    page = client_for(committee_member).get(_url(round_with_children)).content.decode()
    assert "23 children in 2 Parties" in page


def test_a_committee_member_of_another_round_reads_no_contribution(
    client_for, committee_member, round_with_children
):
    response = client_for(committee_member).get(_url(round_with_children))
    assert response.status_code == 200
    assert "No registered child participation contribution" in response.content.decode()


def test_a_state_user_cannot_open_the_page(client_for, coordinator_a, round_with_children):
    response = client_for(coordinator_a).get(_url(round_with_children))
    assert response.status_code in (302, 403, 404)
    assert b"Adults should believe us" not in response.content


def test_the_round_page_links_the_children_views(client_for, officer, round_with_children):
    page = client_for(officer).get(reverse("admin:monitoring_monitoringround_changelist")).content.decode()
    assert _url(round_with_children) in page


def test_the_page_runs_a_fixed_number_of_queries(
    client_for, officer, party_a, round_with_children, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get(_url(round_with_children))  # sessions, caches warmed
    q2 = round_with_children.questions.get(ref="2")
    for index in range(6):
        party = PartyFactory()
        round_with_children.parties.add(party)
        record = contribution(round=round_with_children, party=party, by=officer, questions=[q2])
        quote(record, f"Quote {index}", by=officer, questions=[q2])
    with django_assert_max_num_queries(14):
        response = client.get(_url(round_with_children))
    assert response.status_code == 200
