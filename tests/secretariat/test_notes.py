"""Internal notes on cases: written by the Secretariat (and Committee members on the cases of their
questions), a thread with author and date, Markdown sanitised, each recorded in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from secretariat import notes
from secretariat.models import Note
from tests.factories import SubmissionFactory, build_round
from tests.secretariat.casework_helpers import submission_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(party_a, officer):
    round = build_round(parties=[party_a], questions_per_section=1, sections=1, number=4)
    return submission_case(SubmissionFactory(round=round, party=party_a), handler=officer)


def test_the_secretariat_adds_a_note_with_its_author_and_history(case, officer):
    note = notes.add_note(case, "  Call the focal point.  ", by=officer)

    assert (note.case, note.author, note.text) == (case, officer, "Call the focal point.")
    assert note.history.get().history_user == officer


def test_the_thread_is_in_order_with_its_authors(case, officer, secretariat_admin):
    notes.add_note(case, "First", by=officer)
    notes.add_note(case, "Second", by=secretariat_admin)

    assert [(note.text, note.author) for note in notes.thread(case, officer)] == [
        ("First", officer),
        ("Second", secretariat_admin),
    ]


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "stakeholder_b", "committee_member"])
def test_others_may_not_write_notes(request, case, persona):
    # A Committee member writes only on the cases of the questions they report on.
    with pytest.raises(PermissionDenied):
        notes.add_note(case, "Text", by=request.getfixturevalue(persona))
    assert not Note.objects.exists()


def test_an_empty_note_is_a_clear_error(case, officer):
    with pytest.raises(ValidationError, match="Write the note"):
        notes.add_note(case, "   ", by=officer)


def test_the_markdown_is_sanitised(case, officer):
    note = notes.add_note(case, "**Urgent** <script>alert(1)</script>", by=officer)

    html = notes.rendered(note)
    assert "<strong>Urgent</strong>" in html and "<script>" not in html


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_states_and_stakeholders_read_no_thread(request, case, officer, persona):
    notes.add_note(case, "Internal", by=officer)
    assert not notes.thread(case, request.getfixturevalue(persona)).exists()


def test_the_case_page_shows_the_thread_and_adds_a_note(client_for, case, officer):
    notes.add_note(case, "Earlier **remark**", by=officer)
    url = reverse("admin:secretariat_case_change", args=[case.pk])
    client = client_for(officer)

    page = client.get(url)
    assert page.status_code == 200
    assert "<strong>remark</strong>" in page.content.decode()

    response = client.post(
        url,
        {
            "handler": officer.pk,
            "notes-TOTAL_FORMS": "2",
            "notes-INITIAL_FORMS": "1",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            "notes-0-id": Note.objects.get().pk,
            "notes-0-case": case.pk,
            "notes-1-id": "",
            "notes-1-case": case.pk,
            "notes-1-text": "Follow up by phone.",
        },
    )

    assert response.status_code == 302
    assert [note.text for note in notes.thread(case, officer)] == [
        "Earlier **remark**",
        "Follow up by phone.",
    ]
    assert Note.objects.get(text="Follow up by phone.").author == officer


def test_a_rapporteur_adds_a_note_on_the_case_page_without_touching_its_handler(
    client_for, case, officer, committee_member
):
    from monitoring.models import RapporteurAssignment

    submission = case.subject
    RapporteurAssignment.objects.create(question=submission.round.questions.first(), member=committee_member)
    response = client_for(committee_member).post(
        reverse("admin:secretariat_case_change", args=[case.pk]),
        {
            "handler": "",
            "notes-TOTAL_FORMS": "1",
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-0-id": "",
            "notes-0-case": case.pk,
            "notes-0-text": "Ask about Question 12.",
        },
    )
    assert response.status_code == 302
    assert Note.objects.get().author == committee_member
    case.refresh_from_db()
    assert case.handler == officer


def test_a_committee_member_cannot_change_a_case_outside_their_questions(client_for, case, committee_member):
    url = reverse("admin:secretariat_case_change", args=[case.pk])
    response = client_for(committee_member).post(url, {"handler": "", "notes-TOTAL_FORMS": "0"})
    assert response.status_code == 403
