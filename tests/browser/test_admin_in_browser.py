"""End to end: the back office a newcomer gets after `make run`, in a real browser."""

import pytest

from secretariat import services
from secretariat.models import Party, User
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data():
    services.load_reference_data()
    return {party.code: party for party in Party.objects.all()}


def _user(username, role, party=None):
    user = User(username=username, role=role, party=party)
    user.set_password("pw")
    user.save()
    return user


def test_secretariat_administrator_sees_all_47_parties(log_in, live_server, reference_data):
    _user("anna", "secretariat_admin")
    page = log_in("anna")
    page.goto(f"{live_server.url}/admin/secretariat/party/?all=")
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 47


def test_state_coordinator_is_refused_by_the_admin_and_reads_own_documents_in_the_portal(
    page, live_server, reference_data
):
    france, russia = reference_data["FRA"], reference_data["RUS"]
    _user("camille", "state_coordinator", france)
    DocumentFactory(party=france, reference="T-ES(2017)ICT-FR")
    DocumentFactory(party=russia, reference="T-ES(2017)ICT-RU")
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("#id_login", "camille")
    page.fill("#id_password", "pw")
    page.click("form:has(#id_password) [type=submit]")
    page.wait_for_selector("text=Your monitoring rounds")

    page.goto(f"{live_server.url}/admin/secretariat/document/")
    assert "/admin/login/" in page.url
    assert page.locator("#portal-hint").is_visible()

    page.goto(f"{live_server.url}/portal/documents/")
    documents = page.locator("main table").inner_text()
    assert "T-ES(2017)ICT-FR" in documents and "T-ES(2017)ICT-RU" not in documents


def test_edited_party_shows_the_change_in_its_history(log_in, live_server, reference_data):
    _user("anna", "secretariat_admin")
    page = log_in("anna")
    party = reference_data["AND"]
    page.goto(f"{live_server.url}/admin/secretariat/party/{party.pk}/change/")
    page.fill("#id_name_en", "Principality of Andorra")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    page.goto(f"{live_server.url}/admin/secretariat/party/{party.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "Principality of Andorra" in history
    assert "anna" in history


def test_back_office_switches_to_french(log_in, live_server, reference_data):
    _user("anna", "secretariat_admin")
    page = log_in("anna")
    page.select_option("#language-switcher select", "fr")
    page.wait_for_selector("html[lang=fr]")
    assert "Back-office de Lanzarote" in page.locator("#site-name").inner_text()
