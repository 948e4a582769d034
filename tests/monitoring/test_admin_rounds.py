"""The admin of rounds and questionnaires: default Parties, links, the questionnaire tree, rapporteurs."""

import pytest
from django.urls import reverse

from monitoring.models import MonitoringRound
from secretariat.models import Role
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _new_round(client, **extra):
    data = {
        "number": "7",
        "title_en": "Round 7",
        "title_fr": "Cycle 7",
        "theme_en": "Theme",
        "theme_fr": "Thème",
        "status": "preparation",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        **extra,
    }
    response = client.post(reverse("admin:monitoring_monitoringround_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return MonitoringRound.objects.get(number=7)


def test_new_round_without_parties_takes_the_parties_to_the_convention(client_for, officer):
    party = PartyFactory(lanzarote_status="party")
    PartyFactory(lanzarote_status="signed")
    round_ = _new_round(client_for(officer))
    assert list(round_.parties.all()) == [party]


def test_new_round_keeps_the_parties_chosen(client_for, officer):
    PartyFactory(lanzarote_status="party")
    chosen = PartyFactory(lanzarote_status="signed")
    round_ = _new_round(client_for(officer), parties=[chosen.pk])
    assert list(round_.parties.all()) == [chosen]


def test_round_page_links_to_state_of_play_and_questionnaire(client_for, officer, round_):
    response = client_for(officer).get(reverse("admin:monitoring_monitoringround_change", args=[round_.pk]))
    assert reverse("admin:monitoring_monitoringround_state_of_play", args=[round_.pk]) in response.text
    assert f"?round__id__exact={round_.pk}" in response.text


def test_round_page_links_to_the_compilation_when_it_exists(client_for, officer, round_, monkeypatch):
    from monitoring.admin import questionnaire

    monkeypatch.setattr(questionnaire, "optional_url", lambda name, *args: f"/compiled/{args[0]}/")
    response = client_for(officer).get(reverse("admin:monitoring_monitoringround_changelist"))
    assert f"/compiled/{round_.number}/" in response.text


def test_committee_member_is_not_offered_the_compilation_it_may_not_open(
    client_for, committee_member, grant_monitoring_view, round_
):
    client = client_for(grant_monitoring_view(committee_member))
    compilation = reverse("monitoring:compilation", args=[round_.number])
    for url in (
        reverse("admin:monitoring_monitoringround_changelist"),
        reverse("admin:monitoring_monitoringround_change", args=[round_.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert reverse("admin:monitoring_monitoringround_state_of_play", args=[round_.pk]) in response.text
        assert compilation not in response.text
    assert client.get(compilation).status_code == 404  # the page it would have led to


def test_secretariat_is_offered_the_compilation(client_for, officer, round_):
    response = client_for(officer).get(reverse("admin:monitoring_monitoringround_change", args=[round_.pk]))
    assert reverse("monitoring:compilation", args=[round_.number]) in response.text


def test_question_list_shows_the_tree_by_ref(client_for, officer, round_):
    url = reverse("admin:monitoring_question_changelist") + f"?round__id__exact={round_.pk}"
    response = client_for(officer).get(url)
    refs = [question.ref for question in response.context["cl"].result_list]
    assert refs[:3] == ["1", "1.a", "1.b"]
    assert '<span class="ref-depth-1">1.a</span>' in response.text


def test_rapporteur_autocomplete_offers_only_committee_members(client_for, officer, committee_member):
    UserFactory(username="another-officer", role=Role.SECRETARIAT_OFFICER)
    url = reverse("admin:autocomplete") + (
        "?app_label=monitoring&model_name=rapporteurassignment&field_name=member&term="
    )
    results = client_for(officer).get(url).json()["results"]
    assert [result["text"] for result in results] == [committee_member.username]
