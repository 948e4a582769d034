"""The Committee's meetings: the agenda proposed from the state of the work, decisions recorded and
carried out all or nothing, and who sees what."""

import datetime
import io

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from monitoring.models import MonitoringRound
from secretariat import access, demo, meetings
from secretariat.models import AgendaItem, Decision, Meeting, User
from tests.factories import PartyFactory, RoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return Meeting.objects.create(
        number=47, starts_on=datetime.date(2027, 3, 8), ends_on=datetime.date(2027, 3, 10), place="Strasbourg"
    )


@pytest.fixture
def collecting_round(party_a, party_b):
    """A round whose replies were due before the meeting: Party A has sent them, Party B has not."""
    round = RoundFactory(status=MonitoringRound.Status.COLLECTING, reply_deadline=datetime.date(2027, 1, 31))
    round.parties.set([party_a, party_b])
    SubmissionFactory(round=round, party=party_a, status="registered")
    return round


def _item(meeting, title="Any other business", party=None) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, order=1, title_en=title, title_fr=title, party=party)


def test_the_agenda_proposes_the_state_of_play_and_the_parties_late_with_their_replies(
    meeting, collecting_round, officer, party_b
):
    proposals = meetings.agenda_proposals(meeting, user=officer)

    by_proposer = {proposal.proposer: proposal for proposal in proposals}
    state_of_play = by_proposer["round_state_of_play"]
    assert state_of_play.title_en == f"State of play of round {collecting_round.number}"
    assert state_of_play.title_fr == f"État des lieux du cycle {collecting_round.number}"
    late = by_proposer["late_replies"]
    assert late.notes == party_b.name_en  # Party A sent its replies: only B is named
    assert late.subject == collecting_round


def test_what_the_agenda_holds_is_not_proposed_again(meeting, collecting_round, officer):
    meetings.agenda_add(meeting, meetings.agenda_proposals(meeting, user=officer), by=officer)

    assert meetings.agenda_proposals(meeting, user=officer) == []


def test_proposals_are_added_at_the_end_of_the_agenda_in_the_order_given(meeting, collecting_round, officer):
    _item(meeting)
    proposals = meetings.agenda_proposals(meeting, user=officer)

    added = meetings.agenda_add(meeting, proposals, by=officer)

    assert [item.order for item in added] == [2, 3]
    assert [item.proposal for item in added] == [proposal.proposer for proposal in proposals]
    assert added[0].subject == collecting_round
    assert added[0].history.get().history_user == officer


def test_a_round_without_late_parties_proposes_no_late_item(meeting, party_a, officer):
    round = RoundFactory(status=MonitoringRound.Status.COLLECTING, reply_deadline=datetime.date(2027, 6, 30))
    round.parties.set([party_a])

    proposers = {proposal.proposer for proposal in meetings.agenda_proposals(meeting, user=officer)}

    assert proposers == {"round_state_of_play"}


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_prepares_the_agenda_and_records_decisions(request, meeting, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        meetings.agenda_add(meeting, [], by=user)
    with pytest.raises(PermissionDenied):
        meetings.decision_record(_item(meeting), kind="take_note", text_en="Noted.", by=user)
    assert not Decision.objects.exists()


def test_a_decision_is_recorded_with_what_its_service_did(meeting, officer):
    decision = meetings.decision_record(
        _item(meeting), kind="take_note", text_en="The Committee took note.", published=True, by=officer
    )

    assert decision.outcome == "Noted."
    assert (decision.recorded_by, decision.published) == (officer, True)
    assert decision.history.first().history_user == officer


def test_a_decision_whose_service_refuses_is_not_recorded_and_leaves_nothing(meeting, officer, monkeypatch):
    def refuse(decision, by):
        # Work the service began, to be undone with the decision.
        Meeting.objects.create(number=48, starts_on=meeting.starts_on, ends_on=meeting.ends_on)
        raise ValidationError("The report has untranslated texts.")

    failing = meetings.DecisionKind("adopt_report_test", "Adopt", refuse)
    monkeypatch.setitem(meetings.DECISION_KINDS, failing.name, failing)
    item = _item(meeting)

    with pytest.raises(ValidationError, match="untranslated"):
        meetings.decision_record(item, kind=failing.name, text_en="Adopted.", by=officer)

    assert not Decision.objects.exists()
    assert not Meeting.objects.filter(number=48).exists()


def test_a_decision_answering_other_items_is_refused(meeting, officer, monkeypatch):
    adoption = meetings.DecisionKind("adopt_only", "Adopt", answers=("report_ready",))
    monkeypatch.setitem(meetings.DECISION_KINDS, adoption.name, adoption)

    with pytest.raises(ValidationError):
        meetings.decision_record(_item(meeting), kind=adoption.name, text_en="Adopted.", by=officer)


def test_a_decision_needs_its_text(meeting, officer):
    with pytest.raises(ValidationError):
        meetings.decision_record(_item(meeting), kind="take_note", text_en="  ", by=officer)


def test_a_state_reads_the_published_decisions_on_its_party_or_every_party_only(
    meeting, officer, coordinator_a, party_a, party_b
):
    def decide(party, published):
        item = _item(meeting, party=party)
        return meetings.decision_record(item, kind="take_note", text_en="x", published=published, by=officer)

    own, general = decide(party_a, True), decide(None, True)
    decide(party_a, False)  # not published
    decide(party_b, True)  # another Party's

    assert set(access.scoped(Decision, coordinator_a)) == {own, general}


@pytest.mark.parametrize(
    ("persona", "sees"), [("officer", True), ("committee_member", True), ("coordinator_a", False)]
)
def test_meetings_and_agendas_are_the_secretariat_s_and_the_committee_s(request, meeting, persona, sees):
    _item(meeting)
    user = request.getfixturevalue(persona)

    assert access.scoped(Meeting, user).exists() is sees
    assert access.scoped(AgendaItem, user).exists() is sees


# --- the admin -------------------------------------------------------------------------------------


def test_the_officer_adds_the_ticked_proposals_from_the_meeting_s_page(
    client_for, meeting, collecting_round, officer
):
    client = client_for(officer)
    url = reverse("admin:secretariat_meeting_propose", args=[meeting.pk])
    page = client.get(url)
    assert "State of play of round" in page.text

    response = client.post(url, {"proposal": ["0"]})

    assert response.status_code == 302
    assert list(meeting.agenda.values_list("proposal", flat=True)) == ["round_state_of_play"]


def test_the_officer_records_a_decision_from_its_item(client_for, meeting, officer):
    item = _item(meeting)
    response = client_for(officer).post(
        reverse("admin:secretariat_decision_record", args=[item.pk]),
        {"kind": "take_note", "text_en": "The Committee took note.", "text_fr": "Le Comité a pris note."},
    )

    assert response.status_code == 302
    assert Decision.objects.get().text_fr == "Le Comité a pris note."


def test_a_refused_decision_is_said_on_the_form_with_what_was_typed(
    client_for, meeting, officer, monkeypatch
):
    def refuse(decision, by):
        raise ValidationError("The report has untranslated texts.")

    failing = meetings.DecisionKind("refused_test", "Adopt", refuse)
    monkeypatch.setitem(meetings.DECISION_KINDS, failing.name, failing)
    item = _item(meeting)

    response = client_for(officer).post(
        reverse("admin:secretariat_decision_record", args=[item.pk]),
        {"kind": failing.name, "text_en": "Adopted as amended."},
    )

    assert response.status_code == 200
    assert "The report has untranslated texts." in response.text
    assert "Adopted as amended." in response.text
    assert not Decision.objects.exists()


@pytest.mark.parametrize("page", ["propose", "record"])
def test_committee_members_read_the_meetings_but_do_not_prepare_them(
    client_for, meeting, committee_member, page
):
    client = client_for(committee_member)
    url = (
        reverse("admin:secretariat_meeting_propose", args=[meeting.pk])
        if page == "propose"
        else reverse("admin:secretariat_decision_record", args=[_item(meeting).pk])
    )
    assert client.get(reverse("admin:secretariat_meeting_change", args=[meeting.pk])).status_code == 200
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("size", [2, 20])
def test_the_decisions_list_runs_a_fixed_number_of_queries(
    client_for, meeting, officer, size, django_assert_max_num_queries
):
    for index in range(size):
        item = _item(meeting, title=f"Item {index}", party=PartyFactory())
        meetings.decision_record(item, kind="take_note", text_en="Noted.", by=officer)
    client = client_for(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:secretariat_decision_changelist")).status_code == 200


# --- the agenda and the list of decisions as documents ---------------------------------------------


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_agenda_prints_its_items_in_order_in_the_language_asked(client_for, meeting, officer):
    AgendaItem.objects.create(meeting=meeting, order=2, title_en="Second item", title_fr="Deuxième point")
    AgendaItem.objects.create(meeting=meeting, order=1, title_en="First item", title_fr="Premier point")
    url = reverse("admin:secretariat_meeting_document", args=[meeting.pk, "agenda", "fr", "pdf"])

    response = client_for(officer).get(url)

    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Réunion plénière 47 – Ordre du jour" in text
    assert text.index("1. Premier point") < text.index("2. Deuxième point")


def test_the_list_of_decisions_prints_each_decision_under_its_item(client_for, meeting, officer):
    meetings.decision_record(
        _item(meeting, title="Late replies"), kind="take_note", text_en="Took note.", by=officer
    )
    _item(meeting, title="Undecided")
    url = reverse("admin:secretariat_meeting_document", args=[meeting.pk, "decisions", "en", "docx"])

    document = docx.Document(io.BytesIO(client_for(officer).get(url).content))

    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[paragraphs.index("1. Late replies") + 1] == "Took note."
    assert not any("Undecided" in text for text in paragraphs)


def test_an_unknown_document_is_not_found(client_for, meeting, officer):
    url = reverse("admin:secretariat_meeting_document", args=[meeting.pk, "minutes", "en", "pdf"])
    assert client_for(officer).get(url).status_code == 404


def test_a_state_user_gets_no_meeting_document(client_for, meeting, coordinator_a):
    url = reverse("admin:secretariat_meeting_document", args=[meeting.pk, "agenda", "en", "pdf"])
    response = client_for(coordinator_a).get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_demo_has_a_meeting_held_and_the_next_one_s_agenda_proposed(demo_meetings):
    held, upcoming = Meeting.objects.get(number=47), Meeting.objects.get(number=48)

    assert held.agenda.get().decisions.get().published
    proposals = set(upcoming.agenda.values_list("proposal", flat=True))
    assert {"round_state_of_play", "late_replies", "report_ready_for_adoption", "escalation"} <= proposals


@pytest.fixture
def demo_meetings():
    call_command("load_reference", stdout=io.StringIO())
    demo.load_demo_records()
    list(demo.load_app_demos(by=User.objects.get(username=demo.DEMO_ADMIN)))
