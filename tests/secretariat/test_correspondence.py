"""A Party's correspondence log: incoming letters and e-mails recorded by the Secretariat with their
document and date, linked to their case, with their history; what the system sent is read-only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from secretariat import correspondence
from secretariat.models import Correspondence
from tests.factories import DocumentFactory, SubmissionFactory, build_round
from tests.secretariat.casework_helpers import submission_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(party_a, officer):
    round = build_round(parties=[party_a], questions_per_section=1, sections=1, number=5)
    return submission_case(SubmissionFactory(round=round, party=party_a), handler=officer)


def _incoming(party, case, by, **fields):
    values = {
        "party": party,
        "case": case,
        "kind": Correspondence.Kind.LETTER_RECEIVED,
        "date": datetime.date(2026, 3, 2),
        "subject": "Letter of the Ministry of Justice",
        "body": "The replies will follow.",
        "sender": "Ministry of Justice",
        "document": None,
        "by": by,
    }
    return correspondence.record_incoming(**{**values, **fields})


def test_an_incoming_letter_is_recorded_with_its_document_and_history(party_a, case_a, officer):
    document = DocumentFactory(party=party_a)

    item = _incoming(party_a, case_a, officer, document=document)

    assert (item.party, item.case, item.document, item.recorded_by) == (party_a, case_a, document, officer)
    assert item.date == datetime.date(2026, 3, 2)
    assert item.history.get().history_user == officer


def test_an_incoming_item_is_only_the_secretariats_to_record(
    party_a, case_a, committee_member, coordinator_a
):
    for user in (committee_member, coordinator_a):
        with pytest.raises(PermissionDenied):
            _incoming(party_a, case_a, user)


def test_an_incoming_item_cannot_be_tied_to_another_partys_case(party_b, case_a, officer):
    with pytest.raises(ValidationError, match="not about this Party"):
        _incoming(party_b, case_a, officer)


def test_an_incoming_item_cannot_carry_another_partys_document(party_a, party_b, officer):
    with pytest.raises(ValidationError, match="another Party"):
        _incoming(party_a, None, officer, document=DocumentFactory(party=party_b))


def test_only_letters_and_emails_received_are_recorded_by_hand(party_a, officer):
    with pytest.raises(ValidationError):
        _incoming(party_a, None, officer, kind=Correspondence.Kind.LETTER_SENT)


def test_the_admin_records_an_incoming_email(client_for, party_a, case_a, officer):
    response = client_for(officer).post(
        reverse("admin:secretariat_correspondence_add"),
        {
            "party": party_a.pk,
            "case": case_a.pk,
            "kind": Correspondence.Kind.EMAIL_RECEIVED,
            "date": "2026-03-04",
            "subject": "Question on the deadline",
            "body": "Could the deadline be extended?",
            "sender": "focal.point@example.org",
            "language": "en",
        },
    )

    assert response.status_code == 302
    item = Correspondence.objects.get()
    assert (item.kind, item.recorded_by, item.case) == (Correspondence.Kind.EMAIL_RECEIVED, officer, case_a)


def test_the_admin_lists_the_log_by_party(client_for, party_a, party_b, case_a, officer):
    _incoming(party_a, case_a, officer, subject="From France")
    _incoming(party_b, None, officer, subject="From Russia")
    client = client_for(officer)

    response = client.get(
        reverse("admin:secretariat_correspondence_changelist"), {"party__id__exact": party_a.pk}
    )

    assert response.status_code == 200
    assert "From France" in response.content.decode() and "From Russia" not in response.content.decode()


def test_a_sent_letter_is_read_only_in_the_admin(client_for, party_a, case_a, officer):
    correspondence.load_default_templates()
    sent = correspondence.send_letter(case_a, "reminder", "en", by=officer).correspondence
    url = reverse("admin:secretariat_correspondence_change", args=[sent.pk])
    client = client_for(officer)

    assert client.get(url).status_code == 200
    client.post(
        url, {"party": party_a.pk, "kind": "letter_received", "date": "2026-01-01", "subject": "Changed"}
    )

    sent.refresh_from_db()
    assert sent.subject != "Changed" and sent.kind == Correspondence.Kind.LETTER_SENT


def test_nobody_deletes_an_item_of_the_log(client_for, party_a, case_a, secretariat_admin):
    item = _incoming(party_a, case_a, secretariat_admin)
    client_for(secretariat_admin).post(
        reverse("admin:secretariat_correspondence_delete", args=[item.pk]), {"post": "yes"}
    )
    assert Correspondence.objects.filter(pk=item.pk).exists()


def test_an_incoming_item_is_corrected_with_its_history(client_for, party_a, case_a, officer):
    item = _incoming(party_a, case_a, officer)
    item.subject = "Letter of the Ministry of Justice (corrected)"

    correspondence.correct_incoming(item, by=officer)

    assert item.history.count() == 2
    assert item.history.first().history_change_reason == "corrected"


def test_the_committee_reads_the_log_but_records_nothing(
    client_for, party_a, case_a, officer, committee_member
):
    _incoming(party_a, case_a, officer)
    client = client_for(committee_member)
    assert client.get(reverse("admin:secretariat_correspondence_changelist")).status_code == 200
    assert client.get(reverse("admin:secretariat_correspondence_add")).status_code == 403
