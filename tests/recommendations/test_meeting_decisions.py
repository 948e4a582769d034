"""Decisions with details: a kind's fields shown under it on the record-decision page, validated by
`meetings.decision_record` and kept in `Decision.details`; the decision "Send a letter"; French
Party names in the agenda's titles."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from recommendations import cases as follow_up_cases
from recommendations import escalation, services
from recommendations.compliance_reports import compliance_report_prepare
from secretariat import correspondence, meeting_documents, meetings
from secretariat.models import AgendaItem, Correspondence, Decision, Meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 8)


@pytest.fixture
def meeting():
    return Meeting.objects.create(number=47, starts_on=DAY, ends_on=DAY, place="Strasbourg")


def _item(meeting, *, subject=None, party=None) -> AgendaItem:
    item = AgendaItem(meeting=meeting, order=1, title_en="An item", title_fr="Un point", party=party)
    item.subject = subject
    item.save()
    return item


@pytest.fixture
def with_a_date(monkeypatch):
    """A kind asking for a date and a number, printing the date in the list of decisions."""

    def fields(item, user):
        return {"day": forms.DateField(), "count": forms.IntegerField(min_value=1, required=False)}

    kind = meetings.DecisionKind(
        "dated_test",
        "Dated",
        lambda decision, by: f"Done on {decision.details['day']}.",
        fields=fields,
        summary=lambda decision: f"Day: {decision.details['day']}",
    )
    monkeypatch.setitem(meetings.DECISION_KINDS, kind.name, kind)
    return kind


# --- details ---------------------------------------------------------------------------------------


def test_the_details_are_validated_and_kept_json_safe_for_the_kind_to_read(meeting, officer, with_a_date):
    decision = meetings.decision_record(
        _item(meeting), kind=with_a_date.name, text_en="Dated.", details={"day": DAY}, by=officer
    )

    decision.refresh_from_db()
    assert decision.details == {"day": "2027-03-08", "count": None}
    assert decision.outcome == "Done on 2027-03-08."


def test_details_the_kind_refuses_leave_nothing_recorded(meeting, officer, with_a_date):
    with pytest.raises(ValidationError) as refusal:
        meetings.decision_record(
            _item(meeting), kind=with_a_date.name, text_en="Dated.", details={"count": 0}, by=officer
        )

    assert set(refusal.value.message_dict) == {"day", "count"}
    assert not Decision.objects.exists()


def test_the_page_shows_each_kind_s_details_under_it(client_for, meeting, officer, with_a_date):
    page = client_for(officer).get(reverse("admin:secretariat_decision_record", args=[_item(meeting).pk]))

    assert 'data-kind="dated_test"' in page.text
    assert 'name="dated_test-day"' in page.text
    assert "decision_details.js" in page.text


def test_the_page_reads_the_chosen_kind_s_details_only(client_for, meeting, officer, with_a_date):
    url = reverse("admin:secretariat_decision_record", args=[_item(meeting).pk])
    client = client_for(officer)

    # Another kind's details, even wrong, are not read (without JavaScript they stay on the page).
    noted = client.post(url, {"kind": "take_note", "text_en": "Noted.", "dated_test-day": "nonsense"})
    refused = client.post(url, {"kind": with_a_date.name, "text_en": "Dated.", "dated_test-day": "nonsense"})

    assert noted.status_code == 302
    assert refused.status_code == 200 and refused.context["form"].details["dated_test"][1].errors["day"]
    assert Decision.objects.get().details == {}


def test_a_refusal_says_nothing_of_the_other_kinds_details(client_for, meeting, officer, with_a_date):
    url = reverse("admin:secretariat_decision_record", args=[_item(meeting).pk])

    # "Send a letter" on an item concerning no Party: refused; the dated kind's empty day is not an error.
    data = {"kind": "send_letter", "text_en": "Write.", "send_letter-letter": "reminder"}
    page = client_for(officer).post(url, {**data, "send_letter-language": "en", "dated_test-day": ""})

    assert "concerns no Party" in page.text
    assert not page.context["form"].details["dated_test"][1].errors
    assert "This field is required." not in page.text


def test_the_list_of_decisions_prints_the_summary_of_the_details(meeting, officer, with_a_date):
    meetings.decision_record(
        _item(meeting), kind=with_a_date.name, text_en="Dated.", details={"day": "2027-03-08"}, by=officer
    )

    printed = meeting_documents.build(meeting, kind="decisions", user=officer, language="en")

    assert printed.entries[0].decisions == ("Dated.", "Day: 2027-03-08")


# --- sending a letter ------------------------------------------------------------------------------


@pytest.fixture
def case_b(recommendation, report, party_b):
    """Russia's follow-up case of the report, with the standard letters' templates."""
    correspondence.load_default_templates()
    follow_up_cases.refresh_pairs({(report.pk, party_b.pk)})
    return follow_up_cases.cases.case_of("follow_up", report, party_b)


def _letter(item, officer, **details):
    return meetings.decision_record(
        item,
        kind="send_letter",
        text_en="The Secretariat writes to the Party.",
        details={"letter": "information_request", "language": "en", **details},
        by=officer,
    )


def test_the_decision_writes_the_letter_in_the_party_s_case(meeting, report, party_b, case_b, officer):
    decision = _letter(_item(meeting, subject=report, party=party_b), officer, message="Tell us more.")

    letter = Correspondence.objects.get()
    assert (letter.party, letter.case, letter.letter) == (party_b, case_b, "information_request")
    assert "Tell us more." in letter.body
    assert letter.document.file.name.endswith(".pdf")
    assert letter.subject in decision.outcome


def test_the_letter_is_e_mailed_to_the_party_s_coordinators_when_asked(
    meeting, report, party_b, case_b, coordinator_b, officer, mailoutbox
):
    decision = _letter(_item(meeting, subject=report, party=party_b), officer, email=True)

    [mail] = mailoutbox
    assert mail.to == [coordinator_b.email]
    assert mail.attachments[0][0].endswith(".pdf")
    assert coordinator_b.email in decision.outcome


def test_a_letter_on_an_item_concerning_no_party_is_refused(meeting, report, case_b, officer):
    with pytest.raises(ValidationError, match="concerns no Party"):
        _letter(_item(meeting, subject=report), officer)
    assert not Decision.objects.exists()
    assert not Correspondence.objects.exists()


def test_a_letter_to_a_party_without_a_case_on_the_subject_is_refused(meeting, party_b, officer):
    with pytest.raises(ValidationError, match="no case"):
        _letter(_item(meeting, party=party_b), officer)
    assert not Correspondence.objects.exists()


def test_the_letter_s_choice_is_required(meeting, report, party_b, case_b, officer):
    with pytest.raises(ValidationError) as refusal:
        _letter(_item(meeting, subject=report, party=party_b), officer, letter="")
    assert "letter" in refusal.value.message_dict


def test_the_officer_sends_a_letter_from_the_decision_page(
    client_for, meeting, report, party_b, case_b, officer
):
    item = _item(meeting, subject=report, party=party_b)
    response = client_for(officer).post(
        reverse("admin:secretariat_decision_record", args=[item.pk]),
        {
            "kind": "send_letter",
            "text_en": "A reminder is sent.",
            "send_letter-letter": "reminder",
            "send_letter-language": "fr",
            "send_letter-deadline": "2027-06-30",
        },
    )

    assert response.status_code == 302
    letter = Correspondence.objects.get()
    assert (letter.letter, letter.language) == ("reminder", "fr")
    assert "30 juin 2027" in letter.body
    assert Decision.objects.get().details["deadline"] == "2027-06-30"


# --- French Party names in titles ------------------------------------------------------------------


def test_in_both_languages_takes_a_value_per_language(party_b):
    text = translation.gettext_lazy(
        "Next escalation step for %(party)s on the round %(number)s implementation report"
    )

    english, french = meetings.in_both_languages(text, party=meetings.names(party_b), number=2)

    assert english.startswith("Next escalation step for Russian Federation")
    assert "Fédération de Russie" in french and "Russian" not in french


def test_the_escalation_item_names_the_party_in_french(recommendation, report, party_b, meeting, officer):
    escalation.escalation_open_next(report=report, party=party_b, by=officer, opened_on=DAY)

    [proposal] = [p for p in meetings.agenda_proposals(meeting, user=officer) if p.proposer == "escalation"]

    assert "Russian Federation" in proposal.title_en
    assert "Fédération de Russie" in proposal.title_fr


def test_the_late_parties_are_named_in_the_page_s_language(recommendation, report, party_b, officer):
    late_meeting = Meeting.objects.create(
        number=60, starts_on=datetime.date(2028, 1, 10), ends_on=datetime.date(2028, 1, 10)
    )

    with translation.override("fr"):
        [proposal] = [
            p for p in meetings.agenda_proposals(late_meeting, user=officer) if p.proposer == "late_updates"
        ]

    assert "Fédération de Russie" in proposal.notes


def test_the_decision_s_page_shows_what_was_done_and_its_details(client_for, meeting, officer, with_a_date):
    decision = meetings.decision_record(
        _item(meeting), kind=with_a_date.name, text_en="Dated.", details={"day": DAY}, by=officer
    )

    page = client_for(officer).get(reverse("admin:secretariat_decision_change", args=[decision.pk]))

    assert "Done on 2027-03-08." in page.text and "Day: 2027-03-08" in page.text


def test_the_parties_left_to_assess_are_named_in_the_page_s_language(
    recommendation, follow_up_a, meeting, officer
):
    services.follow_up_assess(follow_up=follow_up_a, by=officer, status="partly", reasoning="Seen.")
    compliance_report_prepare(recommendation=recommendation, by=officer, text_en="Slow.")

    with translation.override("fr"):
        [proposal] = [
            p
            for p in meetings.agenda_proposals(meeting, user=officer)
            if p.proposer == "compliance_reports_due"
        ]

    assert "Fédération de Russie" in proposal.notes
