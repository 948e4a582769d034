"""Every create, change and delete of the core records is kept with who, when and what."""

import pytest
from django.urls import reverse

from secretariat.models import Document, Party
from tests.factories import DocumentFactory, PartyFactory, party_admin_form

pytestmark = pytest.mark.django_db


def test_editing_a_party_in_the_admin_records_who_and_what(client_for, secretariat_admin):
    party = PartyFactory(code="FRA", name_en="France", name_fr="France", lanzarote_status="party")
    client = client_for(secretariat_admin)
    url = reverse("admin:secretariat_party_change", args=[party.pk])
    assert client.post(url, party_admin_form(name_en="French Republic")).status_code == 302

    latest = party.history.latest()
    assert latest.history_user == secretariat_admin
    assert latest.history_type == "~"
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert {"name_en", "budapest_status"} <= changed


def test_party_history_page_shows_the_change(client_for, secretariat_admin):
    party = PartyFactory(code="FRA", name_en="France", name_fr="France")
    party.name_en = "French Republic"
    party.save()
    response = client_for(secretariat_admin).get(reverse("admin:secretariat_party_history", args=[party.pk]))
    assert response.status_code == 200
    assert "French Republic" in response.text
    assert "Name (English)" in response.text


def test_deleting_a_document_is_recorded(client_for, secretariat_admin):
    document = DocumentFactory()
    client_for(secretariat_admin).post(
        reverse("admin:secretariat_document_delete", args=[document.pk]), {"post": "yes"}
    )
    assert not Document.objects.exists()
    assert Document.history.filter(id=document.pk, history_type="-").get().history_user == secretariat_admin


def test_user_history_never_keeps_the_password_hash(coordinator_a):
    assert not hasattr(coordinator_a.history.model, "password")


def test_logging_in_is_not_recorded_as_a_change(client, coordinator_a):
    before = coordinator_a.history.count()
    response = client.post(reverse("portal:login"), {"login": coordinator_a.username, "password": "pw"})
    assert response.status_code == 302  # signed in
    assert coordinator_a.history.count() == before


def test_reference_import_is_recorded():
    from secretariat.services import load_reference_data

    load_reference_data()
    assert Party.history.filter(history_type="+").count() == 47
