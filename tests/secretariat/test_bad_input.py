"""Bad input gets a clear message on the form, and nothing is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.models import Document, Party
from tests.factories import PartyFactory, party_admin_form

pytestmark = pytest.mark.django_db


def _add_party(client, **changes):
    return client.post(reverse("admin:secretariat_party_add"), party_admin_form(**changes))


def test_secretariat_adds_a_party(client_for, secretariat_admin):
    response = _add_party(client_for(secretariat_admin))
    assert response.status_code == 302
    assert Party.objects.filter(code="FRA").exists()


def test_unknown_party_code_is_refused(client_for, secretariat_admin):
    response = _add_party(client_for(secretariat_admin), code="XYZ")
    assert response.status_code == 200
    assert "is not an ISO 3166-1 alpha-3 country code" in response.text
    assert not Party.objects.exists()


def test_lower_case_party_code_is_refused(client_for, secretariat_admin):
    response = _add_party(client_for(secretariat_admin), code="fra")
    assert "is not an ISO 3166-1 alpha-3 country code" in response.text
    assert not Party.objects.exists()


def test_duplicate_party_code_is_refused(client_for, secretariat_admin):
    PartyFactory(code="FRA", name_en="France")
    response = _add_party(client_for(secretariat_admin), name_en="France again")
    assert "A Party with this code already exists." in response.text
    assert Party.objects.filter(code="FRA").count() == 1


def test_missing_french_name_is_refused(client_for, secretariat_admin):
    response = _add_party(client_for(secretariat_admin), name_fr="")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name_fr"] == ["This field is required."]
    assert not Party.objects.exists()


def test_treaty_date_without_status_is_refused(client_for, secretariat_admin):
    response = _add_party(client_for(secretariat_admin), budapest_status="none", budapest_date="2010-01-01")
    assert "A date needs a status of Party or Signed." in response.text
    assert not Party.objects.exists()


DOCUMENT_FORM = {
    "reference": "T-ES(2026)01",
    "title": "Replies",
    "kind": "replies",
    "date": "2026-03-01",
    "language": "en",
}


def _upload(client, name, content):
    return client.post(
        reverse("admin:secretariat_document_add"),
        {**DOCUMENT_FORM, "file": SimpleUploadedFile(name, content)},
    )


def test_valid_pdf_upload_is_saved(client_for, officer):
    response = _upload(client_for(officer), "replies.pdf", b"%PDF-1.7 replies")
    assert response.status_code == 302
    assert Document.objects.get().file.name.endswith(".pdf")


def test_oversized_upload_is_refused(client_for, officer, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    response = _upload(client_for(officer), "replies.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    assert "the limit is 1 MB" in response.text
    assert not Document.objects.exists()


def test_wrong_file_type_is_refused(client_for, officer):
    response = _upload(client_for(officer), "replies.exe", b"MZ\x90\x00")
    assert "are not accepted" in response.text
    assert not Document.objects.exists()


def test_file_whose_content_does_not_match_its_extension_is_refused(client_for, officer):
    response = _upload(client_for(officer), "replies.pdf", b"MZ\x90\x00 not a pdf")
    assert "does not match its" in response.text
    assert not Document.objects.exists()


def test_document_without_file_or_url_is_refused(client_for, officer):
    response = client_for(officer).post(reverse("admin:secretariat_document_add"), DOCUMENT_FORM)
    assert "Upload a file or give a URL." in response.text
    assert not Document.objects.exists()


def test_duplicate_document_reference_is_refused(client_for, officer):
    client = client_for(officer)
    client.post(reverse("admin:secretariat_document_add"), {**DOCUMENT_FORM, "url": "https://coe.int/a"})
    response = client.post(
        reverse("admin:secretariat_document_add"), {**DOCUMENT_FORM, "url": "https://coe.int/b"}
    )
    assert "A document with this reference code already exists." in response.text
    assert Document.objects.count() == 1
