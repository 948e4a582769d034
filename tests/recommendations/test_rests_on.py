"""A recommendation may rest on an earlier round's recommendation: shown in the admin, the API, the
portal's follow-up page and the report document."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import drafting
from recommendations.models import ImplementationReport
from recommendations.report_document import render_report, report_document

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(report, party_a):
    """Round (n+1)'s adopted report, with a recommendation to France resting on round n's."""
    from tests.factories import RoundFactory

    round = RoundFactory(number=report.round.number + 1)
    round.parties.set([party_a])
    return ReportFactory(round=round, reference="LC-LATER")


def test_a_drafted_recommendation_rests_on_an_earlier_round_s(later, recommendation, officer):
    draft = ReportFactory(round=later.round, status=ImplementationReport.Status.IN_PREPARATION, reference="D")
    finding = drafting.finding_create(
        chapter=ChapterFactory(report=draft), by=officer, text_en="Still missing."
    )

    drafted = drafting.recommendation_draft(
        finding=finding,
        by=officer,
        urgency="request",
        legal_basis="The Committee's first-round findings.",
        text_en="The Committee requests again.",
        addressed_to_all=True,
        rests_on=recommendation,
    )

    assert drafted.rests_on == recommendation


def test_a_recommendation_cannot_rest_on_one_of_the_same_or_a_later_round(later, recommendation):
    newer = RecommendationFactory(chapter=ChapterFactory(report=later))
    recommendation.rests_on = newer

    with pytest.raises(ValidationError, match="earlier round"):
        recommendation.full_clean()


def test_a_recommendation_cannot_rest_on_a_draft(report, recommendation, later):
    draft = ReportFactory(
        round=report.round, status=ImplementationReport.Status.IN_PREPARATION, reference="D"
    )
    unpublished = RecommendationFactory(chapter=ChapterFactory(report=draft))
    taking_up = RecommendationFactory(chapter=ChapterFactory(report=later))
    taking_up.rests_on = unpublished

    with pytest.raises(ValidationError, match="adopted report"):
        taking_up.full_clean()


def test_the_api_names_the_recommendation_taken_up(client_for, later, recommendation, coordinator_a, party_a):
    taking_up = RecommendationFactory(chapter=ChapterFactory(report=later), addressees=[party_a])
    taking_up.rests_on = recommendation
    taking_up.save()

    data = client_for(coordinator_a).get(f"/api/v1/recommendations/{taking_up.pk}/").json()

    assert (data["rests_on"], data["rests_on_number"]) == (recommendation.pk, recommendation.number)
    assert data["rests_on_report"] == recommendation.report.reference


def test_the_portal_follow_up_shows_the_recommendation_taken_up(
    client_for, later, recommendation, coordinator_a, party_a
):
    taking_up = RecommendationFactory(chapter=ChapterFactory(report=later), addressees=[party_a])
    taking_up.rests_on = recommendation
    taking_up.save()

    page = client_for(coordinator_a).get(reverse("follow_up:detail", args=[taking_up.follow_ups.get().pk]))

    assert f"Takes up recommendation {recommendation.number}" in page.text


def test_the_recommendation_taken_up_costs_the_portal_page_no_query(
    client_for, later, recommendation, coordinator_a, party_a
):
    plain = RecommendationFactory(chapter=ChapterFactory(report=later), addressees=[party_a])
    taking_up = RecommendationFactory(chapter=ChapterFactory(report=later), addressees=[party_a])
    taking_up.rests_on = recommendation
    taking_up.save()
    client = client_for(coordinator_a)

    def queries(rec) -> int:
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("follow_up:detail", args=[rec.follow_ups.get().pk]))
        return len(context.captured_queries)

    assert queries(taking_up) == queries(plain)  # loaded with the follow-up (select_related)


def test_the_report_document_names_the_recommendation_taken_up(later, recommendation, officer):
    chapter = ChapterFactory(report=later)
    RecommendationFactory(report=later, chapter=chapter, number="I-1", rests_on=recommendation)

    printed = report_document(report_id=later.pk, user=officer, language="en")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_report(printed, "docx"))).paragraphs)

    assert f"Takes up recommendation {recommendation.number} ({recommendation.report.title})." in text
