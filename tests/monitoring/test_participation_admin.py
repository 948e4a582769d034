"""Children's views in the admin: the Secretariat's safeguarding review (redact, confirm with a
reason), register and return through the services; rapporteurs read registered contributions only,
without flags or actions; nobody else gets in."""

import pytest
from django.urls import reverse

from monitoring import participation
from monitoring.models import ChildParticipation, ChildQuote, RapporteurAssignment, SafeguardingFlag
from tests.factories import build_round

from .test_participation_portal import make_contribution

pytestmark = pytest.mark.django_db

Status = ChildParticipation.Status
Decision = SafeguardingFlag.Decision
SCHOOL_QUOTE = "At Oakwood Primary School the teachers never listen."


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=2, sections=1)


@pytest.fixture
def sent(round_, stakeholder_b) -> ChildParticipation:
    """A contribution sent to the Secretariat, with a quote naming a child's school (one open flag)."""
    contribution = make_contribution(round_, stakeholder_b)
    participation.quote_save(quote=ChildQuote(contribution=contribution, text=SCHOOL_QUOTE), by=stakeholder_b)
    return participation.participation_submit(contribution=contribution, by=stakeholder_b)


def _url(name: str, contribution: ChildParticipation) -> str:
    return reverse(f"admin:monitoring_childparticipation_{name}", args=[contribution.pk])


def _flag(contribution: ChildParticipation) -> SafeguardingFlag:
    return contribution.flags.get()


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_each_contributions_open_flags(client_for, officer, sent):
    response = client_for(officer).get(reverse("admin:monitoring_childparticipation_changelist"))
    assert response.status_code == 200
    assert '<strong class="open-flags">1</strong>' in response.text


def test_the_with_open_flags_filter(client_for, officer, sent, round_, stakeholder_b):
    quiet = make_contribution(round_, stakeholder_b, title="Quiet workshop")
    client = client_for(officer)
    url = reverse("admin:monitoring_childparticipation_changelist")
    flagged = client.get(url, {"flags": "open"}).context["cl"].result_list
    assert list(flagged) == [sent]
    assert list(client.get(url, {"flags": "none"}).context["cl"].result_list) == [quiet]


def test_the_list_runs_the_same_queries_for_one_contribution_or_many(
    client_for, officer, sent, round_, stakeholder_b, django_assert_max_num_queries
):
    client = client_for(officer)
    url = reverse("admin:monitoring_childparticipation_changelist")
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for n in range(6):
        make_contribution(round_, stakeholder_b, title=f"Workshop {n}")
    # session, user, the page (round, Party, organisation joined, open flags counted in a
    # subquery), the count, the filters' choices: as many for 7 rows as for 1.
    with django_assert_max_num_queries(len(one)):
        client.get(url)


# --- the safeguarding review ------------------------------------------------------------------------


def test_the_review_shows_the_words_found_highlighted_in_context(client_for, officer, sent):
    response = client_for(officer).get(_url("change", sent))
    assert response.status_code == 200
    assert "At <mark>Oakwood Primary School</mark> the teachers never listen." in response.text
    assert _url("flag", sent) in response.text


def test_redacting_replaces_the_words_in_the_quote(client_for, officer, sent):
    flag = _flag(sent)
    response = client_for(officer).post(_url("flag", sent), {"flag": flag.pk, "decision": "redact"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.decision, flag.decided_by) == (Decision.REDACTED, officer)
    assert sent.quotes.get().text == "At [redacted] the teachers never listen."


def test_confirming_needs_a_reason(client_for, officer, sent):
    flag = _flag(sent)
    client_for(officer).post(_url("flag", sent), {"flag": flag.pk, "decision": "confirm", "reason": " "})
    flag.refresh_from_db()
    assert flag.decision == Decision.OPEN


def test_confirming_with_a_reason_keeps_the_words(client_for, officer, sent):
    flag = _flag(sent)
    data = {"flag": flag.pk, "decision": "confirm", "reason": "A made-up name used in the workshop."}
    client_for(officer).post(_url("flag", sent), data)
    flag.refresh_from_db()
    assert (flag.decision, flag.reason) == (Decision.CONFIRMED, "A made-up name used in the workshop.")
    assert sent.quotes.get().text == SCHOOL_QUOTE


def test_a_flag_of_another_contribution_is_missing(client_for, officer, sent, round_, stakeholder_b):
    other = make_contribution(round_, stakeholder_b, title="Other")
    response = client_for(officer).post(_url("flag", other), {"flag": _flag(sent).pk, "decision": "redact"})
    assert response.status_code == 404
    assert _flag(sent).decision == Decision.OPEN


# --- register and return ----------------------------------------------------------------------------


def test_register_is_refused_while_a_flag_is_open(client_for, officer, sent):
    response = client_for(officer).post(_url("register", sent), follow=True)
    sent.refresh_from_db()
    assert sent.status == Status.SUBMITTED
    assert "Decide on what the safeguarding check found before registering" in response.text


def test_register_once_every_flag_is_decided(client_for, officer, sent):
    client = client_for(officer)
    client.post(_url("flag", sent), {"flag": _flag(sent).pk, "decision": "redact"})
    client.post(_url("register", sent))
    sent.refresh_from_db()
    assert (sent.status, sent.registered_by) == (Status.REGISTERED, officer)


def test_return_asks_for_the_message_then_returns(client_for, officer, sent):
    client = client_for(officer)
    assert "What needs clarifying" in client.get(_url("return", sent)).text
    response = client.post(_url("return", sent), {"apply": "1", "message": "Please add the report."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.RETURNED
    assert sent.transitions.last().comment == "Please add the report."


def test_return_without_a_message_returns_nothing(client_for, officer, sent):
    client_for(officer).post(_url("return", sent), {"apply": "1", "message": ""})
    sent.refresh_from_db()
    assert sent.status == Status.SUBMITTED


# --- rapporteurs and everyone else ------------------------------------------------------------------


@pytest.fixture
def registered(client_for, officer, sent) -> ChildParticipation:
    client_for(officer).post(_url("flag", sent), {"flag": _flag(sent).pk, "decision": "redact"})
    return participation.participation_register(contribution=sent, by=officer)


def test_a_rapporteur_reads_registered_contributions_of_their_rounds_without_flags(
    client_for, committee_member, registered, round_
):
    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    client = client_for(committee_member)
    response = client.get(_url("change", registered))
    assert response.status_code == 200
    assert "At [redacted] the teachers never listen." in response.text
    assert "Safeguarding review" not in response.text
    assert _url("register", registered) not in response.text
    changelist = client.get(reverse("admin:monitoring_childparticipation_changelist"))
    assert "open-flags" not in changelist.text
    assert changelist.context["action_form"] is None  # no register, no return


def test_a_rapporteur_cannot_act(client_for, committee_member, sent, round_):
    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    client = client_for(committee_member)
    # A contribution under review is not theirs to see; a registered one is not theirs to move.
    assert client.post(_url("flag", sent), {"flag": _flag(sent).pk, "decision": "redact"}).status_code == 404
    assert client.post(_url("register", sent)).status_code == 404
    sent.refresh_from_db()
    assert sent.status == Status.SUBMITTED


def test_a_rapporteur_may_not_return_a_registered_contribution(
    client_for, committee_member, registered, round_
):
    RapporteurAssignment.objects.create(question=round_.questions.get(ref="1"), member=committee_member)
    response = client_for(committee_member).post(_url("return", registered), {"apply": "1", "message": "No"})
    assert response.status_code == 403


def test_a_committee_member_who_is_no_rapporteur_of_the_round_sees_nothing(
    client_for, committee_member, registered
):
    assert client_for(committee_member).get(_url("change", registered)).status_code == 302  # "does not exist"


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_state_users_and_organisations_are_kept_out_of_the_admin(request, client_for, sent, persona):
    client = client_for(request.getfixturevalue(persona))
    for name in ("change", "flag", "register", "return"):
        response = client.post(_url(name, sent), {"flag": _flag(sent).pk, "decision": "redact"})
        assert response.status_code == 302 and "/login/" in response.url, name
    sent.refresh_from_db()
    assert (sent.status, _flag(sent).decision) == (Status.SUBMITTED, Decision.OPEN)


# --- the Secretariat corrects quotes until registration ----------------------------------------------


def _quote_form(contribution: ChildParticipation, text: str) -> dict:
    """The change form as posted: the quote changed, the read-only inlines' management forms."""
    quote = contribution.quotes.get()
    data = {
        "quotes-0-id": quote.pk,
        "quotes-0-contribution": contribution.pk,
        "quotes-0-order": quote.order,
        "quotes-0-text": text,
        "quotes-0-language": "en",
        "quotes-0-age_band": "",
    }
    counts = {"quotes": 1, "reports": 0, "transitions": contribution.transitions.count()}
    for prefix, count in counts.items():
        data.update({f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": count})
        data.update({f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    return data


def test_the_secretariat_corrects_a_quote_under_review_and_its_flag_goes(client_for, officer, sent):
    text = "At school the teachers never listen."
    response = client_for(officer).post(_url("change", sent), _quote_form(sent, text))
    assert response.status_code == 302
    assert sent.quotes.get().text == text
    assert not sent.flags.filter(decision=Decision.OPEN).exists()
    assert sent.quotes.get().history.first().history_user == officer


def test_a_corrected_quote_with_contact_details_is_refused(client_for, officer, sent):
    response = client_for(officer).post(_url("change", sent), _quote_form(sent, "Mail me: kid@example.org"))
    assert response.status_code == 200
    assert "kid@example.org" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert sent.quotes.get().text == SCHOOL_QUOTE


def test_a_registered_contributions_quotes_are_read_only(client_for, officer, registered):
    response = client_for(officer).post(_url("change", registered), _quote_form(registered, "Changed"))
    assert response.status_code == 403
    assert registered.quotes.get().text == "At [redacted] the teachers never listen."


def test_the_review_page_runs_the_same_queries_for_one_quote_or_many(
    client_for, officer, sent, round_, stakeholder_b, django_assert_max_num_queries
):
    many = make_contribution(round_, stakeholder_b, title="Many quotes")
    for n in range(8):
        text = f"Quote {n}: at Oakwood Primary School nobody listens."
        participation.quote_save(quote=ChildQuote(contribution=many, text=text), by=stakeholder_b)
    participation.participation_submit(contribution=many, by=stakeholder_b)
    client = client_for(officer)
    client.get(_url("change", sent))
    with django_assert_max_num_queries(40) as one:
        client.get(_url("change", sent))
    # session, user, the contribution, its flags (with their quotes), questions and themes, each
    # inline's rows, permissions: as many for 8 quotes and 8 flags as for 1.
    with django_assert_max_num_queries(len(one)):
        client.get(_url("change", many))
