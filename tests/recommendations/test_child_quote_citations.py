"""Findings citing children's words: a cleared quote of a registered child participation
contribution of the report's round, printed in the report's notes and shown by the API."""

import io
import json

import docx
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from monitoring.models import Submission
from recommendations import drafting
from recommendations.models import FindingCitation, ImplementationReport
from recommendations.report_document import render_report, report_document
from tests.factories import DocumentFactory, build_round
from tests.monitoring.children_data import contribution, quote

from .factories import ChapterFactory, ReportFactory

pytestmark = pytest.mark.django_db

WORDS = "Adults should believe us the first time we tell them."


@pytest.fixture
def draft(party_a, party_b):
    round_ = build_round(parties=[party_a, party_b])
    draft = ReportFactory(
        round=round_, status=ImplementationReport.Status.IN_PREPARATION, reference="T-ES(2026)07"
    )
    chapter = ChapterFactory(report=draft, number="V.", title_en="Listening", title_fr="Écoute")
    chapter.questions.set([round_.questions.get(ref="1")])
    return draft


@pytest.fixture
def chapter(draft):
    return draft.chapters.get()


@pytest.fixture
def finding(chapter, officer):
    return drafting.finding_create(chapter=chapter, by=officer, text_en="Children are not heard.")


@pytest.fixture
def words(draft, party_a, officer):
    """A cleared quote, to question 1, of France's registered workshop in March 2026."""
    record = contribution(
        round=draft.round, party=party_a, by=officer, questions=[draft.round.questions.get(ref="1")]
    )
    return quote(record, WORDS, by=officer, questions=[draft.round.questions.get(ref="1")])


# --- the rule -------------------------------------------------------------------------------------


def test_a_finding_cites_a_registered_quote(finding, words, officer):
    citation = drafting.finding_cite(finding=finding, by=officer, child_quote=words)
    assert citation.child_quote == words
    assert citation.party is None
    assert citation.history.last().history_user == officer


def test_a_quote_of_a_contribution_not_registered_is_refused(finding, draft, party_a, officer):
    record = contribution(round=draft.round, party=party_a, by=officer, status=Submission.Status.SUBMITTED)
    submitted = quote(record, "Still being checked.", by=officer)
    with pytest.raises(ValidationError, match="registered child participation contribution"):
        drafting.finding_cite(finding=finding, by=officer, child_quote=submitted)
    assert not FindingCitation.objects.exists()


def test_a_quote_of_another_round_is_refused(finding, party_a, officer):
    other = build_round(parties=[party_a], sections=1, questions_per_section=1)
    elsewhere = quote(contribution(round=other, party=party_a, by=officer), "Another round.", by=officer)
    with pytest.raises(ValidationError, match="another monitoring round"):
        drafting.finding_cite(finding=finding, by=officer, child_quote=elsewhere)
    assert not FindingCitation.objects.exists()


def test_a_quote_and_a_document_at_once_are_refused(finding, words, officer):
    citation = FindingCitation(finding=finding, child_quote=words, document=DocumentFactory())
    with pytest.raises(ValidationError):
        drafting.citation_save(citation=citation, by=officer)
    assert not FindingCitation.objects.exists()


# --- the picker -----------------------------------------------------------------------------------


def test_the_picker_offers_the_cleared_quotes_to_the_chapter_s_questions(
    chapter, words, draft, party_a, officer
):
    record = words.contribution
    quote(record, "To question 2 only.", by=officer, questions=[draft.round.questions.get(ref="2")])
    quote(
        record,
        "A flag still to decide.",
        by=officer,
        questions=[draft.round.questions.get(ref="1")],
        open_flag=True,
    )
    assert list(drafting.citable_quotes(user=officer, chapter=chapter)) == [words]


def test_the_picker_is_empty_for_a_committee_member_who_is_no_rapporteur(chapter, words, committee_member):
    assert list(drafting.citable_quotes(user=committee_member, chapter=chapter)) == []


def test_the_finding_page_offers_the_quote_with_who_heard_the_children(client_for, finding, words, officer):
    page = client_for(officer).get(reverse("admin:recommendations_finding_change", args=[finding.pk]))
    assert drafting.quote_label(words) in page.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# --- the report document ----------------------------------------------------------------------------


def _notes(draft, user, language) -> list[str]:
    printed = report_document(report_id=draft.pk, user=user, language=language)
    texts = [p.text for p in docx.Document(io.BytesIO(render_report(printed, "docx"))).paragraphs]
    return texts[texts.index("Notes") + 1 :]


def test_the_docx_note_names_who_heard_the_children_and_prints_their_words(draft, finding, words, officer):
    drafting.finding_cite(finding=finding, by=officer, child_quote=words)
    organisation = words.contribution.organisation.name
    assert _notes(draft, officer, "en") == [
        f"[1] Views of children consulted by {organisation} in France (workshop, March 2026): “{WORDS}”"
    ]


def test_the_french_document_prints_the_words_and_who_heard_them(draft, finding, words, officer):
    drafting.finding_cite(finding=finding, by=officer, child_quote=words)
    printed = report_document(report_id=draft.pk, user=officer, language="fr")
    texts = "\n".join(p.text for p in docx.Document(io.BytesIO(render_report(printed, "docx"))).paragraphs)
    assert WORDS in texts
    assert words.contribution.organisation.name in texts
    assert "2026" in texts


def test_the_pdf_prints_the_children_s_words(draft, finding, words, officer):
    drafting.finding_cite(finding=finding, by=officer, child_quote=words)
    printed = report_document(report_id=draft.pk, user=officer, language="en")
    pdf = pypdf.PdfReader(io.BytesIO(render_report(printed, "pdf")))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Views of children consulted by" in text
    assert "believe us the first time" in text


def test_the_document_reads_quotes_in_a_fixed_number_of_queries(
    draft, finding, words, officer, django_assert_max_num_queries
):
    for _ in range(3):
        drafting.finding_cite(finding=finding, by=officer, child_quote=words)
    with django_assert_max_num_queries(7):
        report_document(report_id=draft.pk, user=officer, language="en")


# --- the API ---------------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_shows_the_citation_s_kind_and_label_without_counts_or_consent(finding, words, officer):
    drafting.finding_cite(finding=finding, by=officer, child_quote=words)
    body = _api(officer).get(f"/api/v1/findings/{finding.pk}/").json()
    [citation] = body["citations"]
    assert citation["kind"] == "child_quote"
    assert citation["label"].startswith("Views of children consulted by")
    assert citation["child_quote"] == words.pk
    printed = json.dumps(body)
    for detail in ("children_count", "consent", "girls", "how_informed", "Parents signed"):
        assert detail not in printed


def test_the_api_names_the_kind_of_every_citation(finding, officer):
    drafting.finding_cite(finding=finding, by=officer, document=DocumentFactory())
    [citation] = _api(officer).get(f"/api/v1/findings/{finding.pk}/").json()["citations"]
    assert citation["kind"] == "document"
    assert citation["label"].startswith("See ")


@pytest.mark.parametrize("size", [1, 6])
def test_the_api_reads_the_labels_in_a_fixed_number_of_queries(
    chapter, words, officer, size, django_assert_max_num_queries
):
    for index in range(size):
        finding = drafting.finding_create(chapter=chapter, by=officer, text_en=f"Finding {index}.")
        drafting.finding_cite(finding=finding, by=officer, child_quote=words)
        drafting.finding_cite(finding=finding, by=officer, document=DocumentFactory())
    client = _api(officer)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/findings/").status_code == 200
