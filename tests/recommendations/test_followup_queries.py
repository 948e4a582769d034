"""The follow-up pages run a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.models import ReportedStatus, UpdateAttachment
from tests.factories import (
    DocumentFactory,
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    SubmissionFactory,
    UserFactory,
)

from .factories import ChapterFactory, RecommendationFactory, ReportFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FEW = {"parties": 1, "recommendations": 1, "updates": 1}
MANY = {"parties": 4, "recommendations": 4, "updates": 6}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(round_, party_a, coordinator_a, officer, *, parties, recommendations, updates):
    """Recommendations to France and `parties` others; France reports on each and is assessed twice."""
    round_.parties.add(*[PartyFactory() for _ in range(parties)])
    report = ReportFactory(round=round_)
    chapter = ChapterFactory(report=report)
    themes = [ThemeFactory(), ThemeFactory()]
    ngo = UserFactory(
        role="stakeholder_contributor", organisation=OrganisationFactory(party=party_a), party=None
    )
    for _ in range(recommendations):
        recommendation = RecommendationFactory(chapter=chapter, addressed_to_all=True, themes=themes)
        follow_up = recommendation.follow_ups.get(party=party_a)
        sent = []
        for index in range(updates):
            author = ngo if index % 2 else coordinator_a
            sent.append(
                services.update_submit(
                    follow_up=follow_up,
                    by=author,
                    text="Measures **taken**.",
                    reported_status=ReportedStatus.PLANNED,
                )
            )
            UpdateAttachment.objects.create(update=sent[-1], file="follow-up/2026/figures.csv")
        services.follow_up_assess(
            follow_up=follow_up,
            by=officer,
            status="partly",
            reasoning="Partly.",
            updates=sent[:1],
            published=True,
        )
        services.follow_up_assess(follow_up=follow_up, by=officer, status="implemented", reasoning="Done.")
    return report


@pytest.fixture
def grow(report, party_a, coordinator_a, officer):
    def grow_by(size):
        return _grow(report.round, party_a, coordinator_a, officer, **size)

    return grow_by


# --- admin -------------------------------------------------------------------------------------


ADMIN_CHANGELISTS = ["followup", "followupupdate", "assessment", "recommendation", "practice"]


@pytest.mark.parametrize("model", ADMIN_CHANGELISTS)
def test_admin_changelist_query_count_does_not_grow_with_rows(
    client_for, officer, grow, model, django_assert_max_num_queries
):
    client = client_for(officer)
    url = reverse(f"admin:recommendations_{model}_changelist")
    grow(FEW)
    with_few = _count(client, url)
    grow(MANY)
    # Allowed (10 at most): session, user, user and group permissions; the paginator's count;
    # the page's rows (related rows joined); the addressees or Parties prefetched for the
    # recommendation and practice lists; one query per related filter (report, chapter, themes,
    # Party, round) or the date hierarchy's years.
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    assert _count(client, url) == with_few


@pytest.mark.parametrize("size", [FEW, MANY], ids=["few", "many"])
def test_follow_up_change_page_query_budget(
    client_for, officer, party_a, grow, size, django_assert_max_num_queries
):
    report = grow(size)
    follow_up = report.recommendations.first().follow_ups.get(party=party_a)
    # session, user, permissions (2); the follow-up; its recommendation and Party (the read-only
    # fields); the assessments with their assessors; the updates with authors and organisations;
    # the inlines' permission checks need none; the history link none.
    client = client_for(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:recommendations_followup_change", args=[follow_up.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [FEW, MANY], ids=["few", "many"])
def test_assessment_form_query_budget(
    client_for, officer, party_a, grow, size, django_assert_max_num_queries
):
    report = grow(size)
    DocumentFactory.create_batch(size["updates"], party=party_a)
    submission = SubmissionFactory(round=report.round, party=party_a, status="registered")
    for _ in range(size["updates"]):
        ReplyFactory(submission=submission, questions=[QuestionFactory(round=report.round)])
    follow_up = report.recommendations.first().follow_ups.get(party=party_a)
    # session, user, permissions (2); the follow-up with its recommendation, report and Party;
    # the choices: updates (with authors, organisations), registered replies with their
    # questions (2), documents.
    client = client_for(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:recommendations_followup_assess", args=[follow_up.pk]))
    assert response.status_code == 200


# --- portal ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [FEW, MANY], ids=["few", "many"])
def test_portal_list_query_budget(client_for, coordinator_a, grow, size, django_assert_max_num_queries):
    grow(size)
    client = client_for(coordinator_a)
    # session, user; the paginator's count; the follow-ups (with recommendation, report, Party
    # and the latest visible assessment's status as a subquery); the reports of the filter.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("follow_up:list"))
    assert len(response.context["rows"]) == size["recommendations"]


@pytest.mark.parametrize("size", [FEW, MANY], ids=["few", "many"])
def test_stakeholder_portal_list_query_budget(client_for, party_a, grow, size, django_assert_max_num_queries):
    grow(size)
    ngo = UserFactory(
        role="stakeholder_contributor", organisation=OrganisationFactory(party=party_a), party=None
    )
    client = client_for(ngo)
    # The same 5, and the stakeholder's organisation (to find the Party it works on).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("follow_up:list"))
    assert len(response.context["rows"]) == size["recommendations"]


@pytest.mark.parametrize("size", [FEW, MANY], ids=["few", "many"])
def test_portal_detail_query_budget(
    client_for, coordinator_a, party_a, grow, size, django_assert_max_num_queries
):
    report = grow(size)
    follow_up = report.recommendations.first().follow_ups.get(party=party_a)
    client = client_for(coordinator_a)
    # session, user; the follow-up (with recommendation, report, chapter, Party, visible status);
    # the citations with their articles; the published assessments; the updates with authors
    # and organisations; their attachments; their review trails (history rows with who); the
    # adopted compliance reports on the recommendation (and the Party, when there is one).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("follow_up:detail", args=[follow_up.pk]))
    assert response.status_code == 200
    assert len(response.context["updates"]) == (size["updates"] + 1) // 2  # the State's own, not the NGO's
