"""A body larger than the page takes is refused from its Content-Length, before any of it is read.

The test client's body holds a few bytes while the request announces hundreds of megabytes: any
read of the body past those bytes fails the test ("Cannot read more than the available bytes").
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from secretariat.models import Document, ImportJob

from .import_helpers import import_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_files")]

MB = 1024 * 1024


def _post_announcing(client, url: str, form: dict, size: int):
    body = encode_multipart(BOUNDARY, form)
    return client.generic("POST", url, body, content_type=MULTIPART_CONTENT, CONTENT_LENGTH=str(size))


def test_an_import_larger_than_the_limit_is_refused_before_it_is_read(client_for, officer):
    upload = SimpleUploadedFile("parties.csv", b"code,name_en,name_fr\n")
    form = {"encoding": "auto", "delimiter": "auto", "file": upload}
    response = _post_announcing(client_for(officer), reverse("import_file", args=["parties"]), form, 300 * MB)
    assert response.status_code == 413
    assert response.text == "The file is too large: this page takes files of up to 200 MB."
    assert not ImportJob.objects.exists()


def test_the_import_page_takes_its_own_limit(client_for, officer, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 500
    upload = SimpleUploadedFile("parties.csv", b"code,name_en,name_fr\n")
    form = {"encoding": "auto", "delimiter": "auto", "file": upload}
    response = _post_announcing(client_for(officer), reverse("import_file", args=["parties"]), form, 600 * MB)
    assert response.text == "The file is too large: this page takes files of up to 500 MB."


def test_a_document_larger_than_the_limit_is_refused_before_it_is_read(client_for, officer):
    form = {"reference": "T-ES(2026)01", "title": "Replies", "file": SimpleUploadedFile("a.pdf", b"%PDF-")}
    response = _post_announcing(client_for(officer), reverse("admin:secretariat_document_add"), form, 25 * MB)
    assert response.status_code == 413
    assert response.text == "The file is too large: this page takes files of up to 20 MB."
    assert not Document.objects.exists()


def test_form_data_larger_than_the_limit_is_refused_before_it_is_read(client_for, officer):
    response = client_for(officer).generic(
        "POST",
        reverse("admin:secretariat_party_add"),
        "code=FRA",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(11 * MB),
    )
    assert response.status_code == 413
    assert response.text == "The request is too large: at most 10.0\xa0MB."


def test_a_content_length_that_is_not_a_number_is_a_bad_request(client_for, officer):
    response = client_for(officer).generic(
        "POST", reverse("admin:secretariat_party_add"), "code=FRA", CONTENT_LENGTH="lots"
    )
    assert response.status_code == 400
