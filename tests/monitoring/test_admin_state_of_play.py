"""The state of play of a round: the selector, its admin page and its CSV/XLSX export."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Submission
from monitoring.state_of_play import state_of_play
from tests.factories import OrganisationFactory, PartyFactory, ReplyFactory, build_round

pytestmark = pytest.mark.django_db
Status = Submission.Status
TODAY = datetime.date(2026, 6, 1)


def _url(round_, **query):
    url = reverse("admin:monitoring_monitoringround_state_of_play", args=[round_.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _answer(submission, round_, *refs, text="Reply"):
    return ReplyFactory(
        submission=submission, text=text, questions=[round_.questions.get(ref=r) for r in refs]
    )


@pytest.fixture
def france_replied(round_, party_a, make_submission):
    """France's submission answers 1 (through its item 1.a) and 3; Russia has not started."""
    submission = make_submission(round_, party_a, Status.SUBMITTED)
    _answer(submission, round_, "1.a")
    _answer(submission, round_, "3", "3.b")
    return submission


# --- the selector ---------------------------------------------------------------------------


def test_rows_are_parties_in_english_name_order(officer, round_):
    names = [row.party.name_en for row in state_of_play(round=round_, user=officer, today=TODAY)]
    assert names == ["France", "Russian Federation"]


def test_a_numbered_question_counts_as_answered_through_any_node_below_it(officer, round_, france_replied):
    france = state_of_play(round=round_, user=officer, today=TODAY)[0]
    assert france.answered_refs == ["1", "3"]
    assert france.status_label == "Submitted"


def test_an_empty_reply_does_not_count_as_an_answer(officer, round_, party_a, make_submission):
    _answer(make_submission(round_, party_a), round_, "2", text="")
    assert state_of_play(round=round_, user=officer, today=TODAY)[0].answered_refs == []


def test_party_without_submission_is_not_started(officer, round_, france_replied):
    russia = state_of_play(round=round_, user=officer, today=TODAY)[1]
    assert (russia.status_label, russia.submission, russia.deadline) == (
        "not started",
        None,
        round_.reply_deadline,
    )


def test_overdue_uses_the_extended_deadline(officer, round_, party_a, party_b, make_submission):
    make_submission(round_, party_a, deadline=datetime.date(2026, 5, 1))
    make_submission(
        round_, party_b, deadline=datetime.date(2026, 5, 1), extended_deadline=datetime.date(2026, 7, 1)
    )
    rows = state_of_play(round=round_, user=officer, today=TODAY)
    assert [(row.overdue, row.deadline) for row in rows] == [
        (True, datetime.date(2026, 5, 1)),
        (False, datetime.date(2026, 7, 1)),
    ]


def test_party_not_started_after_the_round_deadline_is_overdue(officer, round_):
    after = round_.reply_deadline + datetime.timedelta(days=1)
    assert [row.overdue for row in state_of_play(round=round_, user=officer, today=after)] == [True, True]
    assert [row.overdue for row in state_of_play(round=round_, user=officer, today=TODAY)] == [False, False]


def test_stakeholder_comments_received_are_counted_but_not_drafts(
    officer, round_, party_b, organisation_b, make_submission
):
    make_submission(round_, party_b, Status.REGISTERED, organisation=organisation_b)
    make_submission(round_, party_b, Status.SUBMITTED, organisation=OrganisationFactory(party=party_b))
    make_submission(round_, party_b, Status.DRAFT, organisation=OrganisationFactory(party=party_b))
    rows = state_of_play(round=round_, user=officer, today=TODAY)
    assert [row.stakeholder_comments for row in rows] == [0, 2]


def test_committee_member_does_not_learn_of_drafts(committee_member, round_, france_replied):
    france = state_of_play(round=round_, user=committee_member, today=TODAY)[0]
    assert (france.submission, france.answered_refs) == (None, [])


def _grow(round_, parties: int, replies_each: int):
    for _ in range(parties):
        party = PartyFactory()
        round_.parties.add(party)
        submission = Submission.objects.create(round=round_, party=party)
        for ref in ["1.a", "2", "3.b", "4", "5.a"][:replies_each]:
            _answer(submission, round_, ref)
        Submission.objects.create(round=round_, party=party, organisation=OrganisationFactory(party=party))


def _count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_selector_runs_a_fixed_number_of_queries(officer, round_, django_assert_num_queries):
    _grow(round_, parties=2, replies_each=1)
    few = _count_queries(lambda: state_of_play(round=round_, user=officer, today=TODAY))
    _grow(round_, parties=10, replies_each=5)
    # The numbered questions, the Parties, the State submissions, the answered refs, the
    # stakeholder comment counts.
    with django_assert_num_queries(5):
        assert len(state_of_play(round=round_, user=officer, today=TODAY)) == 14
    assert few == 5


# --- the page -------------------------------------------------------------------------------


def test_page_shows_parties_as_rows_and_question_numbers_with_ticks(
    client_for, officer, round_, france_replied
):
    response = client_for(officer).get(_url(round_))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/monitoring/state_of_play.html"
    assert response.context["questions"] == ["1", "2", "3", "4", "5", "6"]
    assert response.text.count("✓") == 2
    assert "Russian Federation" in response.text
    assert "not started" in response.text


def test_committee_member_opens_the_state_of_play(client_for, committee_member, round_):
    assert client_for(committee_member).get(_url(round_)).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_state_and_stakeholder_users_cannot_open_the_state_of_play(
    request, client_for, grant_monitoring_view, round_, persona
):
    # Even with the view permission on rounds, the state of play is the Secretariat's and Committee's
    # (and the admin sends anyone else to its login page).
    user = grant_monitoring_view(request.getfixturevalue(persona))
    for url in (_url(round_), _url(round_, format="csv")):
        response = client_for(user).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_unknown_round_is_not_found(client_for, officer):
    assert (
        client_for(officer)
        .get(reverse("admin:monitoring_monitoringround_state_of_play", args=[999]))
        .status_code
        == 404
    )


def test_csv_export_has_one_line_per_party_and_one_column_per_question(
    client_for, officer, round_, france_replied
):
    response = client_for(officer).get(_url(round_, format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert f"state-of-play-round-{round_.number}.csv" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [
        "Party", "Code", "Status", "Deadline", "Overdue", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6",
        "Stakeholder comments",
    ]  # fmt: skip
    assert lines[1][:2] == ["France", "FRA"]
    assert lines[1][2] == "Submitted"
    assert lines[1][5:11] == ["✓", "", "✓", "", "", ""]
    assert lines[2][:3] == ["Russian Federation", "RUS", "not started"]


def test_xlsx_export_holds_the_same_table(client_for, officer, round_, france_replied):
    response = client_for(officer).get(_url(round_, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Party"
    assert rows[1][:3] == ["France", "FRA", "Submitted"]
    assert rows[1][5] == "✓"
    assert len(rows) == 3


# Allowed, for the Secretariat: session, user, the user's and the groups' permissions, the
# round, the numbered questions, the Parties, the State submissions, the answered refs, the
# stakeholder counts. A Committee member adds their rapporteur assignments, once for each
# access rule that reads submissions or replies (3 more).
PAGE_BUDGET = {"officer": 10, "committee_member": 13}


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
def test_page_query_count_does_not_grow_with_parties_and_replies(
    request, client_for, persona, django_assert_max_num_queries
):
    round_ = build_round(parties=[PartyFactory()], questions_per_section=8)
    client = client_for(request.getfixturevalue(persona))
    _grow(round_, parties=1, replies_each=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(round_)).status_code == 200
    _grow(round_, parties=10, replies_each=5)
    with django_assert_max_num_queries(PAGE_BUDGET[persona]):
        assert client.get(_url(round_)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url(round_, format="xlsx")).status_code == 200
    assert len(few) + 1 == len(many)  # the export adds its audit event, nothing per row
