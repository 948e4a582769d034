"""One Party's follow-up profile: the selector (party_rollup) and its admin page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from monitoring.models import Submission
from recommendations import compliance, services
from recommendations.models import AssessedStatus
from secretariat.models import TreatyStatus
from tests.factories import PartyFactory, RoundFactory, UserFactory

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _assess(follow_up, officer, status, reasoning="Reasoning."):
    return services.follow_up_assess(follow_up=follow_up, by=officer, status=status, reasoning=reasoning)


def _url(party) -> str:
    return reverse("recommendations_party_profile", args=[party.code])


@pytest.fixture
def v17(chapter, party_a):
    return RecommendationFactory(chapter=chapter, number="V-17", order=17, addressees=[party_a])


def test_rollup_lists_every_recommendation_addressed_to_the_party_across_reports(
    recommendation, v17, officer, party_a
):
    later = ReportFactory(round=RoundFactory(), adoption_date=datetime.date(2026, 1, 1))
    newest = RecommendationFactory(chapter=ChapterFactory(report=later), number="VI-1", addressees=[party_a])
    rollup = compliance.party_rollup(user=officer, party=party_a)
    in_report_order = sorted([recommendation, v17], key=lambda rec: rec.order)
    assert [line.recommendation for line in rollup.lines] == [newest, *in_report_order]


def test_rollup_leaves_out_recommendations_not_addressed_to_the_party(v17, officer, party_b):
    assert compliance.party_rollup(user=officer, party=party_b).lines == []


def test_rollup_gives_the_status_history_newest_first(follow_up_a, officer, party_a):
    _assess(follow_up_a, officer, AssessedStatus.NO_INFORMATION)
    _assess(follow_up_a, officer, AssessedStatus.PARTLY)
    _assess(follow_up_a, officer, AssessedStatus.IMPLEMENTED)
    line = compliance.party_rollup(user=officer, party=party_a).lines[0]
    moves = [(a.previous_status, a.status) for a in line.assessments]
    assert moves == [
        ("partly", "implemented"),
        ("no_information", "partly"),
        ("not_assessed", "no_information"),
    ]


def test_rollup_history_spans_every_recommendation_newest_first(follow_up_a, v17, officer, party_a):
    first = _assess(follow_up_a, officer, AssessedStatus.PARTLY)
    second = _assess(v17.follow_ups.get(), officer, AssessedStatus.DEALT_WITH)
    assert compliance.party_rollup(user=officer, party=party_a).history == [second, first]


def test_rollup_gives_the_treaty_statuses_of_the_party(officer, party_a):
    party_a.budapest_status, party_a.budapest_date = TreatyStatus.SIGNED, datetime.date(2001, 11, 23)
    party_a.save()
    treaties = {
        t.name: (t.status, t.date) for t in compliance.party_rollup(user=officer, party=party_a).treaties
    }
    assert treaties["Budapest Convention"] == ("Signed", datetime.date(2001, 11, 23))
    assert treaties["Lanzarote Convention"] == ("Party", None)


def test_rollup_gives_the_state_monitoring_submissions(officer, party_a, organisation_b):
    round = RoundFactory()
    own = Submission.objects.create(round=round, party=party_a, status=Submission.Status.REGISTERED)
    Submission.objects.create(round=round, party=party_a, organisation=organisation_b)
    assert compliance.party_rollup(user=officer, party=party_a).submissions == [own]


def test_rollup_runs_a_fixed_number_of_queries(django_assert_max_num_queries, officer, party_a):
    for recommendations in (1, 20):
        chapter = ChapterFactory()
        for _ in range(recommendations):
            follow_up = RecommendationFactory(chapter=chapter, addressees=[party_a]).follow_ups.get()
            _assess(follow_up, officer, AssessedStatus.PARTLY)
        # The follow-ups with their recommendations, the assessments with their authors, the submissions.
        with django_assert_max_num_queries(3):
            rollup = compliance.party_rollup(user=officer, party=party_a)
        assert len(rollup.history) == len(rollup.lines)


def test_profile_page_shows_history_treaties_and_submissions(client_for, officer, follow_up_a, party_a):
    _assess(follow_up_a, officer, AssessedStatus.PARTLY, reasoning="Bill **tabled**.")
    Submission.objects.create(
        round=RoundFactory(number=77), party=party_a, status=Submission.Status.REGISTERED
    )
    page = client_for(officer).get(_url(party_a)).content.decode()
    assert 'class="history-entry"' in page and "<strong>tabled</strong>" in page
    assert 'id="treaty-statuses"' in page and "Budapest Convention" in page
    assert 'data-round="77"' in page


def test_profile_page_lists_each_recommendation_with_its_status(
    client_for, officer, follow_up_a, v17, party_a
):
    _assess(follow_up_a, officer, AssessedStatus.PARTLY)
    page = client_for(officer).get(_url(party_a)).content.decode()
    assert f'data-recommendation="{follow_up_a.recommendation.number}" data-status="partly"' in page
    assert 'data-recommendation="V-17" data-status="not_assessed"' in page


def test_profile_page_gives_each_recommendation_its_link_and_status_history(
    client_for, officer, follow_up_a, v17, party_a
):
    assessment = _assess(follow_up_a, officer, AssessedStatus.PARTLY)
    page = client_for(officer).get(_url(party_a)).content.decode()
    number = follow_up_a.recommendation.number
    report_url = reverse("recommendations_compliance_report", args=[follow_up_a.recommendation.pk])
    assert f'<th scope="row"><a href="{report_url}">{number}</a></th>' in page
    day = formats.date_format(timezone.localtime(assessment.assessed_at), "SHORT_DATE_FORMAT")
    assert f'<div class="assessment">{day}: Not yet assessed → Partly implemented</div>' in page
    assert re.search(r'data-recommendation="V-17" data-status="not_assessed">.*?<td>—</td></tr>', page)


def test_profile_page_says_when_a_party_has_no_recommendation_and_no_assessment(client_for, officer, party_b):
    page = client_for(officer).get(_url(party_b)).content.decode()
    assert "No recommendation is addressed to this Party." in page and "No assessment yet." in page


def test_profile_page_totals_the_party_s_follow_ups_by_status(client_for, officer, follow_up_a, v17, party_a):
    _assess(follow_up_a, officer, AssessedStatus.PARTLY)
    page = client_for(officer).get(_url(party_a)).content.decode()
    table = page.split('<table id="status-totals" class="compliance-matrix">', 1)[1].split("</table>", 1)[0]
    assert (
        '<tr data-status="partly"><th scope="row"><span class="compliance-swatch s-partly"></span>' in table
    )
    assert re.search(r'data-status="partly">.*?<td>1</td>', table)
    assert re.search(r'data-status="not_assessed">.*?<td>1</td>', table)


def test_profile_code_is_case_insensitive(client_for, officer, party_a):
    assert client_for(officer).get(reverse("recommendations_party_profile", args=["fra"])).status_code == 200


def test_committee_member_opens_any_party_profile(client_for, committee_member, party_b):
    assert client_for(committee_member).get(_url(party_b)).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "stakeholder_b"])
def test_state_users_and_stakeholders_are_sent_to_log_in_as_staff(
    request, client_for, persona, party_a, party_b
):
    # States read their follow-up in the portal (/portal/follow-up/), not in the admin.
    client = client_for(request.getfixturevalue(persona))
    for party in (party_a, party_b):
        response = client.get(_url(party))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_unknown_party_profile_is_404(client_for, officer):
    assert client_for(officer).get(reverse("recommendations_party_profile", args=["ZZZ"])).status_code == 404


def test_staff_user_without_role_cannot_open_a_party_profile(client_for, party_a):
    user = UserFactory(role="", is_staff=True)
    assert client_for(user).get(_url(party_a)).status_code == 302


@pytest.mark.parametrize("count", [1, 20])
def test_profile_page_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, officer, party_a, count
):
    chapter = ChapterFactory()
    for _ in range(count):
        party = PartyFactory()
        follow_up = RecommendationFactory(chapter=chapter, addressees=[party_a, party]).follow_ups.get(
            party=party_a
        )
        _assess(follow_up, officer, AssessedStatus.PARTLY)
    client = client_for(officer)
    # Session and user (2); the Party (1); follow-ups, assessments, submissions (3); the escalation
    # steps (1); the user's and groups' permissions for the admin's app list (2).
    with django_assert_max_num_queries(9):
        response = client.get(_url(party_a))
    assert len(response.context["rollup"].lines) == count
