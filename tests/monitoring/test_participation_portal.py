"""The portal's children's views: an organisation's contributors write, quote, upload and send their
contribution; bad input says what is wrong and saves nothing; nobody else reaches the pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import participation
from monitoring.models import ChildParticipation, ChildParticipationReport, ChildQuote
from secretariat.models import Role
from tests.factories import OrganisationFactory, PartyFactory, UserFactory, build_round

pytestmark = pytest.mark.django_db

Status = ChildParticipation.Status

FIELDS = {
    "title": "Workshop on online safety",
    "method": "workshop",
    "started_on": "2026-03-14",
    "ended_on": "2026-03-15",
    "children_count": "12",
    "children_under_10": "0",
    "children_10_12": "7",
    "children_13_15": "5",
    "children_16_17": "0",
    "children_age_not_recorded": "0",
    "girls": "6",
    "boys": "5",
    "children_other_gender": "1",
    "consent_given_by": "children_and_parents",
    "consent_description": "Parents signed a form; children could leave at any time.",
    "how_informed": "A leaflet in plain words.",
    "summary": "The children want adults to listen.",
}


@pytest.fixture
def round_(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=2, sections=1)


@pytest.fixture
def author(stakeholder_b):
    """A contributor of the organisation that ran the activity (it works on Party B)."""
    return stakeholder_b


@pytest.fixture
def other_author(party_a):
    organisation = OrganisationFactory(name="Another organisation", party=party_a)
    return UserFactory(
        username="ngo-other", role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation, party=None
    )


def _model_fields(**changes) -> dict:
    data = {key: value for key, value in FIELDS.items()}
    data.update(changes)
    data["started_on"] = datetime.date.fromisoformat(data["started_on"])
    data["ended_on"] = datetime.date.fromisoformat(data["ended_on"])
    for key in ("children_count", "children_under_10", "children_10_12", "children_13_15", "children_16_17"):
        data[key] = int(data[key])
    for key in ("children_age_not_recorded", "girls", "boys", "children_other_gender"):
        data[key] = int(data[key])
    return data


def make_contribution(round, author, **changes) -> ChildParticipation:
    return participation.participation_create(
        round=round,
        party=author.organisation.party,
        organisation=author.organisation,
        by=author,
        **_model_fields(**changes),
    )


# --- who reaches the pages --------------------------------------------------------------------------


def test_list_shows_the_organisations_contributions_only(client_for, round_, author, other_author):
    make_contribution(round_, author, title="Our workshop")
    make_contribution(round_, other_author, title="Their workshop")
    response = client_for(author).get(reverse("portal:children_list"))
    assert response.status_code == 200
    assert "Our workshop" in response.text
    assert "Their workshop" not in response.text
    assert reverse("portal:children_new", args=[round_.number]) in response.text


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "officer"])
def test_nobody_but_a_stakeholder_contributor_reaches_the_pages(request, client_for, round_, author, persona):
    contribution = make_contribution(round_, author)
    client = client_for(request.getfixturevalue(persona))
    for url in (
        reverse("portal:children_list"),
        reverse("portal:children_new", args=[round_.number]),
        reverse("portal:children_detail", args=[contribution.pk]),
        reverse("portal:children_history", args=[contribution.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_another_organisations_contribution_is_missing(client_for, round_, author, other_author):
    contribution = make_contribution(round_, author)
    quote = participation.quote_save(
        quote=ChildQuote(contribution=contribution, text="We like school."), by=author
    )
    client = client_for(other_author)
    for url in (
        reverse("portal:children_detail", args=[contribution.pk]),
        reverse("portal:children_edit", args=[contribution.pk]),
        reverse("portal:children_quote_new", args=[contribution.pk]),
        reverse("portal:children_send", args=[contribution.pk]),
        reverse("portal:children_history", args=[contribution.pk]),
        reverse("portal:children_quote_edit", args=[quote.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("portal:children_quote_delete", args=[quote.pk])).status_code == 404
    assert ChildQuote.objects.filter(pk=quote.pk).exists()


def test_the_navigation_links_stakeholders_to_their_childrens_views(client_for, author, coordinator_a):
    url = reverse("portal:children_list")
    assert url in client_for(author).get(reverse("portal:home")).text
    assert url not in client_for(coordinator_a).get(reverse("portal:home")).text


# --- creating and editing ----------------------------------------------------------------------------


def test_creating_a_contribution_saves_a_draft_for_the_organisation(client_for, round_, author, party_b):
    question = round_.questions.get(ref="1")
    data = {**FIELDS, "party": party_b.pk, "questions": [question.pk], "sections": [question.section_id]}
    response = client_for(author).post(reverse("portal:children_new", args=[round_.number]), data)
    contribution = ChildParticipation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:children_detail", args=[contribution.pk])
    assert (contribution.organisation, contribution.party, contribution.status) == (
        author.organisation,
        party_b,
        Status.DRAFT,
    )
    assert list(contribution.questions.all()) == [question]
    assert contribution.history.first().history_user == author


def test_the_new_contribution_defaults_to_the_organisations_party(client_for, round_, author, party_b):
    response = client_for(author).get(reverse("portal:children_new", args=[round_.number]))
    assert response.context["form"].initial["party"] == party_b
    assert "Protect the children" in response.text  # the safeguarding notice


def test_counts_that_do_not_add_up_are_refused_and_nothing_is_saved(client_for, round_, author, party_b):
    data = {**FIELDS, "party": party_b.pk, "children_10_12": "9", "girls": "2"}
    response = client_for(author).post(reverse("portal:children_new", args=[round_.number]), data)
    assert response.status_code == 200
    assert "The age bands add up to 14 children, not the 12 counted." in response.text
    assert "Girls, boys and other add up to 8 children, not the 12 counted." in response.text
    assert "Nothing was saved" in response.text
    assert not ChildParticipation.objects.exists()


def test_a_party_outside_the_round_is_refused_and_nothing_is_saved(client_for, round_, author):
    outsider = PartyFactory(code="ISL", name_en="Iceland")
    data = {**FIELDS, "party": outsider.pk}
    response = client_for(author).post(reverse("portal:children_new", args=[round_.number]), data)
    assert response.status_code == 200
    assert "This Party does not take part in the round" in response.text
    assert not ChildParticipation.objects.exists()


def test_questions_of_another_round_are_not_offered(client_for, round_, author, party_a, party_b):
    other_round = build_round(parties=[party_a, party_b], questions_per_section=1, sections=1)
    foreign = other_round.questions.get(ref="1")
    data = {**FIELDS, "party": party_b.pk, "questions": [foreign.pk]}
    response = client_for(author).post(reverse("portal:children_new", args=[round_.number]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["questions"]
    assert not ChildParticipation.objects.exists()


def test_a_round_not_open_to_contributions_has_no_new_page(client_for, round_, author):
    round_.status = round_.Status.CLOSED
    round_.save()
    assert client_for(author).get(reverse("portal:children_new", args=[round_.number])).status_code == 404


def test_editing_a_draft_saves_it(client_for, round_, author):
    contribution = make_contribution(round_, author)
    data = {**FIELDS, "title": "Workshop, second day"}
    response = client_for(author).post(reverse("portal:children_edit", args=[contribution.pk]), data)
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.title == "Workshop, second day"


def test_an_edit_whose_counts_do_not_add_up_changes_nothing(client_for, round_, author):
    contribution = make_contribution(round_, author)
    data = {**FIELDS, "title": "Changed", "children_count": "20"}
    response = client_for(author).post(reverse("portal:children_edit", args=[contribution.pk]), data)
    assert response.status_code == 200
    contribution.refresh_from_db()
    assert contribution.title == FIELDS["title"]


def test_a_sent_contribution_cannot_be_edited(client_for, round_, author):
    contribution = make_contribution(round_, author)
    participation.participation_submit(contribution=contribution, by=author)
    client = client_for(author)
    response = client.post(
        reverse("portal:children_edit", args=[contribution.pk]), {**FIELDS, "title": "Late"}
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.title == FIELDS["title"]
    page = client.get(reverse("portal:children_detail", args=[contribution.pk])).text
    assert reverse("portal:children_edit", args=[contribution.pk]) not in page


# --- quotes and the report ---------------------------------------------------------------------------


def test_adding_a_quote(client_for, round_, author):
    contribution = make_contribution(round_, author)
    question = round_.questions.get(ref="2")
    data = {
        "text": "Adults should believe us.",
        "language": "en",
        "age_band": "children_13_15",
        "questions": [question.pk],
    }
    response = client_for(author).post(reverse("portal:children_quote_new", args=[contribution.pk]), data)
    assert response.status_code == 302
    quote = contribution.quotes.get()
    assert (quote.text, quote.age_band, list(quote.questions.all())) == (
        "Adults should believe us.",
        "children_13_15",
        [question],
    )


def test_a_quote_with_contact_details_is_refused_and_nothing_is_saved(client_for, round_, author):
    contribution = make_contribution(round_, author)
    data = {"text": "Write to me at tom.smith@example.org", "language": "en"}
    response = client_for(author).post(reverse("portal:children_quote_new", args=[contribution.pk]), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    assert not contribution.quotes.exists()


def test_editing_and_deleting_a_quote(client_for, round_, author):
    contribution = make_contribution(round_, author)
    quote = participation.quote_save(
        quote=ChildQuote(contribution=contribution, text="First words."), by=author
    )
    client = client_for(author)
    data = {"text": "Better words.", "language": "en"}
    assert client.post(reverse("portal:children_quote_edit", args=[quote.pk]), data).status_code == 302
    quote.refresh_from_db()
    assert quote.text == "Better words."
    assert client.post(reverse("portal:children_quote_delete", args=[quote.pk])).status_code == 302
    assert not contribution.quotes.exists()


def test_uploading_the_report(client_for, round_, author):
    contribution = make_contribution(round_, author)
    upload = SimpleUploadedFile("figures.csv", b"age,children\n10-12,7\n", content_type="text/csv")
    response = client_for(author).post(
        reverse("portal:children_detail", args=[contribution.pk]), {"file": upload, "title": "Our report"}
    )
    assert response.status_code == 302
    assert contribution.reports.get().title == "Our report"


def test_a_report_of_a_forbidden_type_is_refused(client_for, round_, author):
    contribution = make_contribution(round_, author)
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(author).post(
        reverse("portal:children_detail", args=[contribution.pk]), {"file": upload}
    )
    assert response.status_code == 200
    assert response.context["report_form"].errors["file"]
    assert not ChildParticipationReport.objects.exists()


# --- sending and the history ------------------------------------------------------------------------


def test_sending_asks_for_confirmation_first(client_for, round_, author):
    contribution = make_contribution(round_, author)
    response = client_for(author).get(reverse("portal:children_send", args=[contribution.pk]))
    assert response.status_code == 200
    assert "What happens next" in response.text
    contribution.refresh_from_db()
    assert contribution.status == Status.DRAFT


def test_sending_moves_the_contribution_to_the_secretariat(client_for, round_, author):
    contribution = make_contribution(round_, author)
    url = reverse("portal:children_send", args=[contribution.pk])
    response = client_for(author).post(url, {"confirmed": "yes", "comment": "Here it is."})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Status.SUBMITTED
    assert contribution.transitions.get().comment == "Here it is."


def test_the_history_shows_the_secretariats_return_message(client_for, round_, author, officer):
    contribution = make_contribution(round_, author)
    participation.participation_submit(contribution=contribution, by=author)
    participation.participation_return(
        contribution=contribution, by=officer, message="Please add the report."
    )
    response = client_for(author).get(reverse("portal:children_history", args=[contribution.pk]))
    assert "Please add the report." in response.text


# --- a constant number of queries --------------------------------------------------------------------


def _quotes(contribution, author, count: int) -> None:
    for n in range(count):
        participation.quote_save(
            quote=ChildQuote(contribution=contribution, text=f"Words number {n}."), by=author
        )


def test_the_contribution_page_runs_the_same_queries_for_one_quote_or_many(
    client_for, round_, author, django_assert_max_num_queries
):
    client = client_for(author)
    few = make_contribution(round_, author)
    _quotes(few, author, 1)
    many = make_contribution(round_, author, title="Another")
    _quotes(many, author, 12)
    client.get(reverse("portal:children_detail", args=[few.pk]))  # warm the session and the user
    with django_assert_max_num_queries(12) as few_queries:
        client.get(reverse("portal:children_detail", args=[few.pk]))
    # session, user, the contribution and its round/Party/organisation, its questions, themes,
    # quotes, the quotes' questions, reports, savepoints: as many for 12 quotes as for 1.
    with django_assert_max_num_queries(len(few_queries)):
        client.get(reverse("portal:children_detail", args=[many.pk]))


def test_the_list_runs_the_same_queries_for_one_contribution_or_many(
    client_for, round_, author, django_assert_max_num_queries
):
    client = client_for(author)
    make_contribution(round_, author)
    client.get(reverse("portal:children_list"))
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("portal:children_list"))
    for n in range(8):
        make_contribution(round_, author, title=f"Workshop {n}")
    # session, user, the contributions (round and Party joined, quotes counted), the open rounds
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("portal:children_list"))
