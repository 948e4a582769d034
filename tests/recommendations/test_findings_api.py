"""The API's findings/: the Secretariat and the Committee read a draft's findings and the evidence
they cite; a State reads only those of adopted reports."""

import pytest
from rest_framework.test import APIClient

from monitoring.models import Submission
from recommendations import drafting
from recommendations.models import ImplementationReport
from tests.factories import QuestionFactory, ReplyFactory, SubmissionFactory

from .factories import ChapterFactory, ReportFactory

pytestmark = pytest.mark.django_db

Status = ImplementationReport.Status


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def draft_finding(report, officer, party_b):
    draft = ReportFactory(round=report.round, status=Status.IN_PREPARATION, reference="LC-DRAFT")
    question = QuestionFactory(section__round=draft.round, ref="16.1")
    chapter = ChapterFactory(report=draft, number="V")
    chapter.questions.set([question])
    finding = drafting.finding_create(chapter=chapter, by=officer, text_en="Few Parties co-operate.")
    submission = SubmissionFactory(round=draft.round, party=party_b, status=Submission.Status.REGISTERED)
    reply = ReplyFactory(submission=submission, questions=[question])
    drafting.finding_cite(finding=finding, reply=reply, by=officer)
    return finding


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
def test_staff_read_a_draft_s_findings_with_their_evidence(request, draft_finding, persona):
    body = _client(request.getfixturevalue(persona)).get("/api/v1/findings/").json()

    [row] = body["results"]
    assert (row["report"], row["chapter"], row["text_en"]) == ("LC-DRAFT", "V", "Few Parties co-operate.")
    assert [citation["party"] for citation in row["citations"]] == ["RUS"]


def test_a_state_reads_no_finding_of_a_draft(draft_finding, coordinator_a):
    client = _client(coordinator_a)

    assert client.get("/api/v1/findings/").json()["results"] == []
    assert client.get(f"/api/v1/findings/{draft_finding.pk}/").status_code == 404


def test_a_state_reads_the_findings_once_the_report_is_adopted(draft_finding, coordinator_a):
    ImplementationReport.objects.filter(pk=draft_finding.chapter.report_id).update(status=Status.ADOPTED)

    body = _client(coordinator_a).get(f"/api/v1/findings/{draft_finding.pk}/").json()

    assert body["citations"][0]["party"] == "RUS"


@pytest.mark.parametrize("size", [1, 10])
def test_the_findings_list_runs_a_fixed_number_of_queries(
    draft_finding, officer, size, django_assert_max_num_queries
):
    for _ in range(size):
        drafting.finding_create(chapter=draft_finding.chapter, by=officer, text_en="Another finding.")
    client = _client(officer)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/findings/").status_code == 200
