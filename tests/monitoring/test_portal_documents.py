"""The portal's documents page: State users and stakeholders read and file their own documents
(what they used to do in the admin), through the access rules and secretariat.services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.models import Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = reverse("portal:documents")


def _document_form(**fields) -> dict:
    return {
        "reference": "T-ES(2026)NEW",
        "title": "Replies",
        "kind": "replies",
        "date": "2026-02-01",
        "language": "fr",
        "url": "https://example.org/replies",
        **fields,
    }


def test_anonymous_user_is_sent_to_the_portal_login(client):
    response = client.get(DOCUMENTS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_state_user_lists_only_own_party_documents(client_for, coordinator_a, party_a, party_b):
    own = DocumentFactory(party=party_a, reference="T-ES(2017)ICT-FR")
    DocumentFactory(party=party_b, reference="T-ES(2026)RUS-ONLY")
    response = client_for(coordinator_a).get(DOCUMENTS)
    assert list(response.context["page"]) == [own]
    assert "T-ES(2026)RUS-ONLY" not in response.text


def test_stakeholder_lists_only_own_organisation_documents(
    client_for, stakeholder_b, organisation_b, party_b
):
    own = DocumentFactory(party=party_b, organisation=organisation_b)
    DocumentFactory(party=party_b)  # the State's own replies
    assert list(client_for(stakeholder_b).get(DOCUMENTS).context["page"]) == [own]


def test_an_uploaded_document_is_downloaded_through_the_protected_view(client_for, coordinator_a, party_a):
    document = DocumentFactory(party=party_a, url="", file=SimpleUploadedFile("replies.txt", b"our replies"))
    client = client_for(coordinator_a)
    response = client.get(DOCUMENTS)
    assert f'href="{document.file.url}"' in response.text
    assert b"".join(client.get(document.file.url).streaming_content) == b"our replies"


def test_state_user_files_a_document_for_its_own_party(client_for, contributor_a, party_a, party_b):
    response = client_for(contributor_a).post(DOCUMENTS, _document_form(party=party_b.pk))
    assert response.status_code == 302
    document = Document.objects.get(reference="T-ES(2026)NEW")
    assert (document.party, document.organisation) == (party_a, None)
    assert document.history.get().history_user == contributor_a


def test_stakeholder_files_a_document_for_its_organisation(
    client_for, stakeholder_b, organisation_b, party_b
):
    client_for(stakeholder_b).post(DOCUMENTS, _document_form())
    document = Document.objects.get(reference="T-ES(2026)NEW")
    assert (document.party, document.organisation) == (party_b, organisation_b)


def test_a_document_needs_a_file_or_a_link(client_for, coordinator_a):
    response = client_for(coordinator_a).post(DOCUMENTS, _document_form(url=""))
    assert response.status_code == 200
    assert "Upload a file or give a URL." in response.text
    assert not Document.objects.exists()


def test_a_file_of_a_refused_type_is_not_filed(client_for, coordinator_a):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(coordinator_a).post(DOCUMENTS, _document_form(url="", file=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_the_committee_files_no_document_in_the_portal(client_for, committee_member):
    response = client_for(committee_member).post(DOCUMENTS, _document_form())
    assert response.status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_documents_page_query_budget(
    client_for, coordinator_a, party_a, count, django_assert_max_num_queries
):
    DocumentFactory.create_batch(count, party=party_a)
    client = client_for(coordinator_a)
    # session, user; the paginator's count; the page of documents (with Party and organisation).
    with django_assert_max_num_queries(4):
        response = client.get(DOCUMENTS)
    assert len(response.context["page"]) == count
