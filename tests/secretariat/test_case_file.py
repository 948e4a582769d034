"""A Party's case file: its submissions and their history, replies by round, follow-ups with their
assessments and updates, correspondence, notes (for those who may read them) and open cases, with
what it said last time and what it was asked to do; one PDF for a meeting; a fixed number of
queries whatever the Party's history."""

import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services as monitoring_services
from recommendations import services as recommendation_services
from recommendations.models import AssessedStatus, ReportedStatus
from secretariat import case_file, correspondence, notes
from tests.factories import ReplyFactory, SubmissionFactory, build_round
from tests.recommendations.factories import RecommendationFactory, ReportFactory
from tests.secretariat.casework_helpers import follow_up_case, submission_case

pytestmark = pytest.mark.django_db


def build_history(
    party, *, officer, coordinator, rounds: int, recommendations: int, first_number: int = 60
) -> dict:
    """`rounds` rounds, each with the Party's registered replies and a report of `recommendations`
    recommendations addressed to it, assessed once and reported on once; a note and a letter."""
    correspondence.load_default_templates()
    built: dict = {"cases": []}
    for index in range(rounds):
        round = build_round(parties=[party], questions_per_section=1, sections=1, number=first_number + index)
        submission = SubmissionFactory(round=round, party=party, reference=f"T-ES(20{10 + index})")
        question = round.questions.filter(parent__isnull=True).first()
        for _ in range(2):
            ReplyFactory(submission=submission, questions=[question])
        monitoring_services.submission_submit(submission=submission, by=coordinator)
        monitoring_services.submission_return(
            submission=submission, by=officer, message=f"Clarify round {index}"
        )
        monitoring_services.submission_submit(submission=submission, by=coordinator)
        monitoring_services.submission_register(submission=submission, by=officer)
        report = ReportFactory(round=round, title_en=f"Report of round {round.number}")
        for _ in range(recommendations):
            recommendation = RecommendationFactory(chapter__report=report, addressees=[party])
            follow_up = recommendation.follow_ups.get(party=party)
            recommendation_services.update_submit(
                follow_up=follow_up,
                by=coordinator,
                text="Measures taken.",
                reported_status=ReportedStatus.DONE,
            )
            recommendation_services.follow_up_assess(
                follow_up=follow_up, by=officer, status=AssessedStatus.PARTLY, reasoning="Partly."
            )
        case = submission_case(submission, handler=officer)
        notes.add_note(case, f"Internal remark on round {round.number}", by=officer)
        correspondence.send_letter(case, "registration", "en", by=officer)
        built["cases"] += [case, follow_up_case(report, party, handler=officer)]
        built["round"], built["report"] = round, report
    return built


@pytest.fixture
def history(party_a, officer, coordinator_a):
    officer.first_name, officer.last_name = "Olivia", "Handler"
    officer.save()
    return build_history(party_a, officer=officer, coordinator=coordinator_a, rounds=2, recommendations=2)


def _texts(sections) -> str:
    lines = []
    for section in sections:
        lines.append(section.title)
        for part in section.parts:
            if isinstance(part, case_file.Table):
                lines += [str(cell) for row in part.rows for cell in row]
                lines.append(part.caption)
            else:
                lines.append(part.text)
    return "\n".join(lines)


def test_the_case_file_gathers_every_section_in_order(history, party_a, officer):
    keys = [section.key for section in case_file.case_file(party_a, officer)]

    assert keys == [
        "open_cases",
        "monitoring_last_time",
        "recommendations_asked",
        "monitoring_submissions",
        "recommendations_follow_ups",
        "recommendations_escalation",
        "correspondence",
        "notes",
    ]


def test_the_case_file_shows_the_partys_history(history, party_a, officer):
    text = _texts(case_file.case_file(party_a, officer))

    assert "Round 61" in text and "Round 60" in text  # its submissions, every round
    assert "Clarify round 0" in text  # the history of its submissions (the return's message)
    assert "Olivia Handler" in text  # open cases with their handlers
    assert "Internal remark on round 61" in text  # notes
    assert "Acknowledgement" in text or "acknowledges" in text or "Lanzarote Committee" in text  # letters
    assert "Partly implemented" in text  # assessments
    assert "Measures taken" in text  # updates' reported status


def test_the_case_file_says_what_the_party_said_and_was_asked_last_time(history, party_a, officer):
    sections = {section.key: section for section in case_file.case_file(party_a, officer)}

    last_time = _texts([sections["monitoring_last_time"]])
    assert "Round 61" in last_time and "2 replies" in last_time
    asked = _texts([sections["recommendations_asked"]])
    assert "Report of round 61" in asked
    assert asked.count("Partly implemented") == 2  # the latest report's two recommendations


def test_the_committee_sees_only_the_notes_access_gives_it(history, party_a, committee_member):
    text = _texts(case_file.case_file(party_a, committee_member))
    assert "Internal remark" not in text  # not a rapporteur on these cases


def test_the_page_and_its_link_from_the_party(client_for, history, party_a, officer):
    client = client_for(officer)
    change = client.get(reverse("admin:secretariat_party_change", args=[party_a.pk]))
    url = reverse("admin:secretariat_party_case_file", args=[party_a.pk])
    assert url in change.content.decode()

    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Internal remark on round 60" in content
    assert reverse("admin:secretariat_party_case_file_pdf", args=[party_a.pk]) in content


def test_the_pdf_holds_the_same_content(client_for, history, party_a, officer):
    response = client_for(officer).get(reverse("admin:secretariat_party_case_file_pdf", args=[party_a.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "France",
        "Round 61",
        "Clarify",
        "Internal remark on round 61",
        "Olivia Handler",
    ):
        assert expected in text


def test_the_committees_pdf_leaves_out_the_notes_it_may_not_read(
    client_for, history, party_a, committee_member
):
    response = client_for(committee_member).get(
        reverse("admin:secretariat_party_case_file_pdf", args=[party_a.pk])
    )

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Round 61" in text and "Internal remark" not in text


@pytest.mark.parametrize("party_id", ["999999", "x"])
def test_an_unknown_party_has_no_case_file(client_for, officer, party_id):
    assert (
        client_for(officer).get(reverse("admin:secretariat_party_case_file", args=[party_id])).status_code
        == 404
    )


def test_state_users_never_get_a_case_file(client_for, history, party_a, coordinator_a):
    response = client_for(coordinator_a).get(reverse("admin:secretariat_party_case_file", args=[party_a.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_runs_a_fixed_number_of_queries(
    client_for, party_a, party_b, officer, coordinator_a, coordinator_b
):
    build_history(party_a, officer=officer, coordinator=coordinator_a, rounds=1, recommendations=1)
    # Party B has more of everything: rounds, replies, transitions, follow-ups, notes, letters.
    build_history(
        party_b, officer=officer, coordinator=coordinator_b, rounds=3, recommendations=3, first_number=80
    )
    client = client_for(officer)

    def count(party) -> int:
        url = reverse("admin:secretariat_party_case_file", args=[party.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(party_b) == count(party_a)


def test_a_tables_rows_are_printed_escaped_with_their_links():
    table = case_file.Table(["a", "b"], [[case_file.Link("V-1", "/admin/x/1/change/"), "<b>&"], ["x", "y"]])
    assert table.body_html() == (
        '<tr><td><a href="/admin/x/1/change/">V-1</a></td><td>&lt;b&gt;&amp;</td></tr>'
        "<tr><td>x</td><td>y</td></tr>"
    )


def test_a_link_whose_page_is_not_installed_is_printed_as_text():
    table = case_file.Table(["a"], [[case_file.Link("V-1", "")]])
    assert table.body_html() == "<tr><td>V-1</td></tr>"


def test_the_latest_reports_recommendations_link_to_their_follow_ups(client_for, history, party_a, officer):
    follow_ups = history["report"].recommendations.all()
    page = client_for(officer).get(reverse("admin:secretariat_party_case_file", args=[party_a.pk])).text
    for recommendation in follow_ups:
        follow_up = recommendation.follow_ups.get(party=party_a)
        url = reverse("admin:recommendations_followup_change", args=[follow_up.pk])
        assert f'<td><a href="{url}">{recommendation.number}</a></td>' in page
