"""A State user never reaches another Party's people or documents: the access rules, and the admin
refusing everyone but staff (State users read their own records in the portal and the API)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat import access
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_party_records(party_b, coordinator_b):
    """What belongs to Party B: its coordinator and one of its documents."""
    return {"user": coordinator_b, "document": DocumentFactory(party=party_b, reference="T-ES(2017)ICT-RU")}


def test_state_user_sees_only_own_party_people_and_documents(
    coordinator_a, contributor_a, party_a, other_party_records
):
    own = DocumentFactory(party=party_a, reference="T-ES(2017)ICT-FR")
    assert list(access.parties_for(coordinator_a)) == [party_a]
    assert set(access.users_for(coordinator_a)) == {coordinator_a, contributor_a}
    assert list(access.documents_for(coordinator_a)) == [own]


def _admin_urls(record) -> list[str]:
    opts = record._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    version = record.history.earliest().history_id
    return [
        reverse(f"{name}_changelist"),
        reverse(f"{name}_change", args=[record.pk]),
        reverse(f"{name}_history", args=[record.pk]),
        reverse(f"{name}_simple_history", args=[record.pk, version]),
        reverse(f"{name}_delete", args=[record.pk]),
        reverse(f"{name}_export"),
    ]


@pytest.mark.parametrize("kind", ["user", "document"])
@pytest.mark.parametrize("owner", ["own", "other"])
def test_state_user_is_sent_to_log_in_as_staff_for_any_admin_page(
    client_for, coordinator_a, party_a, other_party_records, kind, owner
):
    # The admin is for staff: a State user reads its own records in the portal and the API.
    own = {"user": coordinator_a, "document": DocumentFactory(party=party_a)}
    record = (own if owner == "own" else other_party_records)[kind]
    client = client_for(coordinator_a)
    for url in _admin_urls(record):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


@pytest.mark.parametrize("kind", ["user", "document"])
def test_state_user_cannot_delete_other_party_record(client_for, coordinator_a, other_party_records, kind):
    record = other_party_records[kind]
    url = reverse(f"admin:secretariat_{kind}_delete", args=[record.pk])
    response = client_for(coordinator_a).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert type(record).objects.filter(pk=record.pk).exists()


def test_state_user_cannot_change_other_party_document(client_for, coordinator_a, other_party_records):
    document = other_party_records["document"]
    url = reverse("admin:secretariat_document_change", args=[document.pk])
    data = {
        "reference": "HACKED",
        "title": "x",
        "kind": "other",
        "date": "2026-01-01",
        "language": "en",
        "url": "https://x.org",
    }
    client_for(coordinator_a).post(url, data)
    document.refresh_from_db()
    assert document.reference == "T-ES(2017)ICT-RU"


@pytest.mark.parametrize("model", ["user", "document"])
def test_state_user_gets_no_admin_export(client_for, coordinator_a, other_party_records, model):
    response = client_for(coordinator_a).post(
        reverse(f"admin:secretariat_{model}_export"),
        {"format": "0", "resource": "0", **_all_export_fields(model)},
    )
    assert response.status_code == 302
    assert other_party_records["document"].reference.encode() not in response.content


def _all_export_fields(model):
    from secretariat.resources import DocumentResource, UserResource

    resource = {"user": UserResource, "document": DocumentResource}[model]
    name = resource.__name__.lower()
    return {f"{name}_{field}": "on" for field in resource._meta.fields}


def test_state_user_gets_no_admin_autocomplete(client_for, coordinator_a, party_b):
    response = client_for(coordinator_a).get(
        reverse("admin:autocomplete"),
        {"app_label": "secretariat", "model_name": "document", "field_name": "party", "term": ""},
    )
    assert response.status_code == 302
    assert party_b.name_en.encode() not in response.content


def test_state_user_cannot_download_other_party_file(client_for, coordinator_a, coordinator_b, party_b):
    document = DocumentFactory(
        party=party_b, url="", file=SimpleUploadedFile("replies.txt", b"secret replies of B")
    )
    assert client_for(coordinator_b).get(document.file.url).status_code == 200
    assert client_for(coordinator_a).get(document.file.url).status_code == 404


def test_anonymous_cannot_download_files(client, party_b):
    document = DocumentFactory(party=party_b, url="", file=SimpleUploadedFile("replies.txt", b"x"))
    assert client.get(document.file.url).status_code == 302


def test_stakeholder_sees_only_own_organisation_documents(stakeholder_b, organisation_b, party_b):
    own = DocumentFactory(party=party_b, organisation=organisation_b)
    DocumentFactory(party=party_b)  # the State's own replies
    assert list(access.documents_for(stakeholder_b)) == [own]


def test_state_user_does_not_see_stakeholder_comments_as_own_documents(
    coordinator_b, organisation_b, party_b
):
    DocumentFactory(party=party_b, organisation=organisation_b)
    assert not access.documents_for(coordinator_b).exists()


@pytest.mark.parametrize("persona", ["secretariat_admin", "officer", "committee_member"])
def test_secretariat_and_committee_see_every_party(request, persona, party_a, party_b):
    user = request.getfixturevalue(persona)
    assert set(access.parties_for(user)) == {party_a, party_b}


def test_user_without_role_sees_nothing(party_a):
    user = UserFactory(role="")
    assert not access.parties_for(user).exists()


def test_inactive_user_sees_nothing(coordinator_a):
    coordinator_a.is_active = False
    assert not access.parties_for(coordinator_a).exists()


def test_model_without_rule_is_refused(coordinator_a):
    from django.contrib.auth.models import Group

    with pytest.raises(LookupError):
        access.scoped(Group, coordinator_a)


def test_committee_member_cannot_change_documents(client_for, committee_member, party_a):
    document = DocumentFactory(party=party_a)
    url = reverse("admin:secretariat_document_change", args=[document.pk])
    client = client_for(committee_member)
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "reference": "CHANGED",
            "title": "x",
            "kind": "other",
            "date": "2026-01-01",
            "language": "en",
            "url": "https://x.org",
        },
    )
    document.refresh_from_db()
    assert document.reference != "CHANGED"


def test_exported_cells_that_look_like_formulas_are_neutralised(client_for, officer, party_a):
    DocumentFactory(party=party_a, reference='=HYPERLINK("http://evil")', title="+cmd|' /C calc'!A0")
    response = client_for(officer).post(
        reverse("admin:secretariat_document_export"),
        {"format": "0", "resource": "0", **_all_export_fields("document")},
    )
    content = response.content.decode()
    assert "'=HYPERLINK" in content and "'+cmd" in content
