"""Children's views: the services of monitoring/participation.py (writes, workflow, safeguarding)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring import participation
from monitoring.models import (
    ChildParticipation,
    ChildParticipationReport,
    ChildParticipationTransition,
    ChildQuote,
    SafeguardingFlag,
)
from monitoring.services import InvalidTransition
from secretariat.models import Notification, Role
from tests.factories import (
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = ChildParticipation.Status
Decision = SafeguardingFlag.Decision
Kind = SafeguardingFlag.Kind

FIELDS = {
    "title": "Online safety workshop",
    "method": "workshop",
    "started_on": datetime.date(2026, 3, 2),
    "ended_on": datetime.date(2026, 3, 3),
    "children_count": 10,
    "children_10_12": 4,
    "children_13_15": 6,
    "girls": 6,
    "boys": 4,
    "consent_given_by": "children_and_parents",
    "consent_description": "Parents signed a form; the children could stop at any time.",
    "how_informed": "A leaflet in plain words, read together on the first day.",
    "summary": "The children want adults to listen.",
}


@pytest.fixture
def contribution(round_, party_b, organisation_b, stakeholder_b):
    return participation.participation_create(
        round=round_, party=party_b, organisation=organisation_b, by=stakeholder_b, **FIELDS
    )


@pytest.fixture
def other_contributor(party_b):
    """A contributor of another organisation working on the same Party."""
    return UserFactory(role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=OrganisationFactory(party=party_b))


def add_quote(contribution, by, text, language="en"):
    return participation.quote_save(
        quote=ChildQuote(contribution=contribution, text=text, language=language), by=by
    )


def submitted(contribution, by, *quotes):
    for text in quotes:
        add_quote(contribution, by, text)
    return participation.participation_submit(contribution=contribution, by=by)


# --- creating and editing ------------------------------------------------------------------------


def test_an_organisation_contributor_opens_a_draft_with_its_author_in_the_history(
    contribution, stakeholder_b
):
    assert contribution.status == Status.DRAFT
    assert contribution.history.latest().history_user == stakeholder_b


def test_the_questions_and_themes_chosen_are_recorded(round_, party_b, organisation_b, stakeholder_b):
    question, section = round_.questions.first(), round_.sections.first()
    contribution = participation.participation_create(
        round=round_,
        party=party_b,
        organisation=organisation_b,
        by=stakeholder_b,
        questions=[question],
        sections=[section],
        **FIELDS,
    )
    assert list(contribution.questions.all()) == [question]
    assert list(contribution.sections.all()) == [section]


def test_a_party_outside_the_round_is_refused_and_nothing_saved(round_, organisation_b, stakeholder_b):
    outsider = PartyFactory()
    with pytest.raises(ValidationError) as refused:
        participation.participation_create(
            round=round_, party=outsider, organisation=organisation_b, by=stakeholder_b, **FIELDS
        )
    assert "does not take part in round" in str(refused.value.message_dict["party"])
    assert not ChildParticipation.objects.exists()


def test_counts_that_do_not_add_up_are_refused_and_nothing_saved(
    round_, party_b, organisation_b, stakeholder_b
):
    with pytest.raises(ValidationError) as refused:
        participation.participation_create(
            round=round_,
            party=party_b,
            organisation=organisation_b,
            by=stakeholder_b,
            **{**FIELDS, "children_count": 11},
        )
    assert "add up to 10 children, not the 11 counted" in str(refused.value.message_dict)
    assert not ChildParticipation.objects.exists()


def test_a_question_of_another_round_is_refused_and_nothing_saved(
    round_, party_b, organisation_b, stakeholder_b
):
    elsewhere = QuestionFactory()
    with pytest.raises(ValidationError) as refused:
        participation.participation_create(
            round=round_,
            party=party_b,
            organisation=organisation_b,
            by=stakeholder_b,
            questions=[elsewhere],
            **FIELDS,
        )
    assert "questions" in refused.value.message_dict
    assert not ChildParticipation.objects.exists()


def test_the_status_cannot_be_set_on_creation(round_, party_b, organisation_b, stakeholder_b):
    with pytest.raises(ValidationError):
        participation.participation_create(
            round=round_,
            party=party_b,
            organisation=organisation_b,
            by=stakeholder_b,
            **{**FIELDS, "status": Status.REGISTERED},
        )
    assert not ChildParticipation.objects.exists()


def test_another_organisation_may_not_open_a_contribution_for_it(
    round_, party_b, organisation_b, other_contributor
):
    other = other_contributor
    with pytest.raises(PermissionDenied):
        participation.participation_create(
            round=round_, party=party_b, organisation=organisation_b, by=other, **FIELDS
        )
    assert not ChildParticipation.objects.exists()


def test_a_state_user_may_not_open_a_contribution(round_, party_b, organisation_b, coordinator_b):
    with pytest.raises(PermissionDenied):
        participation.participation_create(
            round=round_, party=party_b, organisation=organisation_b, by=coordinator_b, **FIELDS
        )


def test_the_secretariat_may_record_a_contribution_it_received(round_, party_b, organisation_b, officer):
    contribution = participation.participation_create(
        round=round_, party=party_b, organisation=organisation_b, by=officer, **FIELDS
    )
    assert contribution.history.latest().history_user == officer


def test_a_summary_with_an_email_address_is_refused_naming_it(contribution, stakeholder_b):
    contribution.summary = "Write to lea.martin2011@gmail.com for more."
    with pytest.raises(ValidationError) as refused:
        participation.participation_save(contribution=contribution, by=stakeholder_b)
    assert "an e-mail address (lea.martin2011@gmail.com)" in refused.value.message_dict["summary"][0]
    contribution.refresh_from_db()
    assert contribution.summary == FIELDS["summary"]


def test_the_organisation_changes_its_draft_with_its_history(contribution, stakeholder_b):
    contribution.title = "Two workshops"
    participation.participation_save(contribution=contribution, by=stakeholder_b)
    assert ChildParticipation.objects.get().title == "Two workshops"
    assert contribution.history.count() == 2


def test_counts_changed_so_they_no_longer_add_up_are_refused(contribution, stakeholder_b):
    contribution.girls = 9
    with pytest.raises(ValidationError):
        participation.participation_save(contribution=contribution, by=stakeholder_b)
    assert ChildParticipation.objects.get().girls == 6


def test_the_organisation_of_a_contribution_cannot_change(contribution, stakeholder_b, party_a):
    contribution.organisation = OrganisationFactory(party=party_a)
    with pytest.raises(ValidationError):
        participation.participation_save(contribution=contribution, by=stakeholder_b)


# --- quotes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "found"),
    [
        ("Write to me at tom.b@hotmail.co.uk please", "en", "an e-mail address (tom.b@hotmail.co.uk)"),
        ("Call me on 07700 900123 after school", "en", "a phone number (07700 900123)"),
        ("Mon numéro c'est le 06 12 34 56 78", "fr", "a phone number (06 12 34 56 78)"),
        ("my snap is lily.b2010", "en", "a social-media handle (lily.b2010)"),
        ("Suivez-moi sur @lilou_59", "fr", "a social-media handle (@lilou_59)"),
    ],
)
def test_a_quote_with_contact_details_is_refused_naming_them(
    contribution, stakeholder_b, text, language, found
):
    with pytest.raises(ValidationError) as refused:
        add_quote(contribution, stakeholder_b, text, language)
    message = refused.value.message_dict["text"][0]
    assert message.startswith("The quote contains " + found)
    assert "remove it" in message
    assert not ChildQuote.objects.exists()


def test_a_quote_with_a_name_is_accepted_to_be_flagged_when_sent(contribution, stakeholder_b):
    quote = add_quote(contribution, stakeholder_b, "Emma said nobody believed her.")
    assert quote.order == 1
    assert quote.history.latest().history_user == stakeholder_b
    assert not SafeguardingFlag.objects.exists()


def test_a_quote_speaks_to_questions_of_its_round_only(contribution, stakeholder_b):
    with pytest.raises(ValidationError):
        participation.quote_save(
            quote=ChildQuote(contribution=contribution, text="We want help."),
            by=stakeholder_b,
            questions=[QuestionFactory()],
        )
    assert not ChildQuote.objects.exists()


def test_another_organisation_may_not_add_a_quote(contribution, other_contributor):
    with pytest.raises(PermissionDenied):
        add_quote(contribution, other_contributor, "We want help.")


def test_a_quote_is_deleted_with_its_history(contribution, stakeholder_b):
    quote = add_quote(contribution, stakeholder_b, "We want help.")
    participation.quote_delete(quote=quote, by=stakeholder_b)
    assert not ChildQuote.objects.exists()
    assert ChildQuote.history.filter(history_type="-").get().history_user == stakeholder_b


def test_the_report_is_filed_with_its_author(contribution, stakeholder_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = ChildParticipationReport(
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    )
    participation.report_add(contribution=contribution, report=report, by=stakeholder_b)
    assert contribution.reports.get().history.latest().history_user == stakeholder_b


# --- the workflow ---------------------------------------------------------------------------------


def test_sending_records_the_move_and_when(contribution, stakeholder_b):
    submitted(contribution, stakeholder_b, "We want help.")
    contribution.refresh_from_db()
    assert contribution.status == Status.SUBMITTED
    assert contribution.submitted_at is not None
    move = ChildParticipationTransition.objects.get()
    assert (move.from_status, move.to_status, move.by) == (Status.DRAFT, Status.SUBMITTED, stakeholder_b)


def test_sending_tells_the_secretariat(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "We want help.")
    assert Notification.objects.get(recipient=officer).event == "participation.submitted"


def test_nothing_to_send_is_refused(contribution, stakeholder_b):
    contribution.summary = ""
    participation.participation_save(contribution=contribution, by=stakeholder_b)
    with pytest.raises(InvalidTransition, match="nothing to send"):
        participation.participation_submit(contribution=contribution, by=stakeholder_b)
    assert ChildParticipation.objects.get().status == Status.DRAFT


def test_a_state_user_may_not_send_it(contribution, coordinator_b):
    with pytest.raises(InvalidTransition):
        participation.participation_submit(contribution=contribution, by=coordinator_b)
    assert not ChildParticipationTransition.objects.exists()


def test_once_sent_the_organisation_can_no_longer_change_it(contribution, stakeholder_b):
    submitted(contribution, stakeholder_b)
    contribution.title = "Changed"
    with pytest.raises(PermissionDenied):
        participation.participation_save(contribution=contribution, by=stakeholder_b)
    with pytest.raises(PermissionDenied):
        add_quote(contribution, stakeholder_b, "Another quote.")


def test_sending_flags_what_could_identify_a_child(contribution, stakeholder_b):
    contribution.summary = "Most of them live in Leeds."
    participation.participation_save(contribution=contribution, by=stakeholder_b)
    submitted(contribution, stakeholder_b, "Emma said nobody believed her.")
    flags = {(flag.kind, flag.matched, flag.quote_id is None) for flag in SafeguardingFlag.objects.all()}
    assert flags == {(Kind.NAME, "Emma", False), (Kind.PLACE, "Leeds", True)}
    assert all(flag.decision == Decision.OPEN for flag in SafeguardingFlag.objects.all())


def test_registering_is_refused_while_a_flag_is_open(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "Emma said nobody believed her.")
    with pytest.raises(ValidationError) as refused:
        participation.participation_register(contribution=contribution, by=officer)
    assert "a person's name (Emma) in quote 1" in refused.value.messages[0]
    assert ChildParticipation.objects.get().status == Status.SUBMITTED
    assert ChildParticipationTransition.objects.count() == 1


def test_registering_after_the_flags_are_decided(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "Emma said nobody believed her.")
    participation.flag_redact(flag=SafeguardingFlag.objects.get(), by=officer)
    participation.participation_register(contribution=contribution, by=officer)
    contribution.refresh_from_db()
    assert (contribution.status, contribution.registered_by) == (Status.REGISTERED, officer)
    assert contribution.registered_at is not None


def test_the_organisation_may_not_register_its_contribution(contribution, stakeholder_b):
    submitted(contribution, stakeholder_b, "We want help.")
    with pytest.raises(InvalidTransition):
        participation.participation_register(contribution=contribution, by=stakeholder_b)
    assert ChildParticipation.objects.get().status == Status.SUBMITTED


def test_once_registered_nobody_changes_it(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "We want help.")
    participation.participation_register(contribution=contribution, by=officer)
    contribution.title = "Changed"
    with pytest.raises(PermissionDenied):
        participation.participation_save(contribution=contribution, by=officer)


def test_returning_needs_a_message(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "We want help.")
    with pytest.raises(InvalidTransition):
        participation.participation_return(contribution=contribution, by=officer, message=" ")
    assert ChildParticipation.objects.get().status == Status.SUBMITTED


def test_returned_then_sent_again(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "We want help.")
    participation.participation_return(contribution=contribution, by=officer, message="Add the dates.")
    assert Notification.objects.get(recipient=stakeholder_b).event == "participation.returned"
    participation.participation_submit(contribution=contribution, by=stakeholder_b)
    assert ChildParticipation.objects.get().status == Status.RESUBMITTED


# --- safeguarding decisions -----------------------------------------------------------------------


def test_redacting_removes_every_occurrence_from_the_quote_and_its_history(
    contribution, stakeholder_b, officer
):
    quote = add_quote(contribution, stakeholder_b, "Emma told us. Later Emma cried. Emmanuel did not.")
    submitted(contribution, stakeholder_b)
    flag = SafeguardingFlag.objects.get(matched="Emma")
    participation.flag_redact(flag=flag, by=officer)
    quote.refresh_from_db()
    assert quote.text == "[redacted] told us. Later [redacted] cried. Emmanuel did not."
    assert not any("Emma " in row.text for row in quote.history.all())
    flag.refresh_from_db()
    assert (flag.decision, flag.matched, flag.decided_by) == (Decision.REDACTED, "", officer)
    assert flag.decided_at is not None


def test_redacting_the_summary_also_removes_the_words_from_its_rendering(
    contribution, stakeholder_b, officer
):
    contribution.summary = "Most of the children live in **Leeds**, near the station."
    participation.participation_save(contribution=contribution, by=stakeholder_b)
    submitted(contribution, stakeholder_b)
    participation.flag_redact(flag=SafeguardingFlag.objects.get(kind=Kind.PLACE), by=officer)
    contribution.refresh_from_db()
    assert "Leeds" not in contribution.summary
    assert "Leeds" not in contribution.summary_html
    assert "Leeds" not in contribution.summary_excerpt
    assert "[redacted]" in contribution.summary_html
    assert not contribution.history.filter(summary__contains="Leeds").exists()


def test_a_french_quote_is_redacted_in_french(contribution, stakeholder_b, officer):
    quote = add_quote(contribution, stakeholder_b, "J'habite à Marseille avec ma mère.", language="fr")
    submitted(contribution, stakeholder_b)
    participation.flag_redact(flag=SafeguardingFlag.objects.get(), by=officer)
    quote.refresh_from_db()
    assert quote.text == "J'habite à [supprimé] avec ma mère."


def test_confirming_needs_a_reason(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "Victor Hugo wrote about children.")
    flag = SafeguardingFlag.objects.get()
    with pytest.raises(ValidationError):
        participation.flag_confirm(flag=flag, by=officer, reason="  ")
    flag.refresh_from_db()
    assert flag.decision == Decision.OPEN


def test_a_confirmed_flag_lets_the_contribution_be_registered(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "Victor Hugo wrote about children.")
    flag = participation.flag_confirm(
        flag=SafeguardingFlag.objects.get(), by=officer, reason="A writer the class read, not a child."
    )
    assert (flag.decision, flag.decided_by, flag.matched) == (Decision.CONFIRMED, officer, "Victor Hugo")
    assert flag.history.latest().history_user == officer
    participation.participation_register(contribution=contribution, by=officer)
    assert ChildParticipation.objects.get().status == Status.REGISTERED


def test_only_the_secretariat_decides_on_flags(contribution, stakeholder_b, committee_member):
    submitted(contribution, stakeholder_b, "Emma said nobody believed her.")
    flag = SafeguardingFlag.objects.get()
    for user in (stakeholder_b, committee_member):
        with pytest.raises(PermissionDenied):
            participation.flag_redact(flag=flag, by=user)
    assert ChildQuote.objects.get().text.startswith("Emma")


def test_flags_are_decided_only_under_review(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "Emma said nobody believed her.")
    participation.participation_return(contribution=contribution, by=officer, message="Remove the name.")
    with pytest.raises(ValidationError):
        participation.flag_redact(flag=SafeguardingFlag.objects.get(), by=officer)


def test_sending_again_keeps_confirmed_decisions_and_drops_flags_whose_words_are_gone(
    contribution, stakeholder_b, officer
):
    name = add_quote(contribution, stakeholder_b, "Emma said nobody believed her.")
    add_quote(contribution, stakeholder_b, "Victor Hugo wrote about children.")
    submitted(contribution, stakeholder_b)
    participation.flag_confirm(
        flag=SafeguardingFlag.objects.get(matched="Victor Hugo"), by=officer, reason="A writer."
    )
    participation.participation_return(contribution=contribution, by=officer, message="Remove the name.")
    name.text = "A girl said nobody believed her."
    participation.quote_save(quote=name, by=stakeholder_b)
    participation.participation_submit(contribution=contribution, by=stakeholder_b)
    assert list(SafeguardingFlag.objects.values_list("matched", "decision")) == [
        ("Victor Hugo", Decision.CONFIRMED)
    ]


def test_a_text_the_secretariat_changes_under_review_is_checked_again(contribution, stakeholder_b, officer):
    submitted(contribution, stakeholder_b, "We want help.")
    contribution.summary = "Some of them go to Lincoln High."
    participation.participation_save(contribution=contribution, by=officer)
    assert SafeguardingFlag.objects.get().kind == Kind.SCHOOL
