"""The implementation report printed as DOCX and PDF (recommendations/report_document.py)."""

import io

import docx
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from monitoring.models import Submission
from recommendations import drafting
from recommendations.models import ImplementationReport, Urgency
from recommendations.report_document import of_party, render_report, report_document
from tests.factories import (
    DocumentFactory,
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    SubmissionFactory,
)

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db

Status = ImplementationReport.Status
REGISTERED = Submission.Status.REGISTERED

FINDING = """Few Parties **reply** to requests from abroad.

- bilateral agreements
- liaison officers

| Party | Agreements |
|---|---|
| France | 12 |
"""


@pytest.fixture
def draft(report, party_a, party_b, officer):
    """A draft on `report`'s round: chapter V with two findings citing a reply of France, a
    stakeholder's comment on Russia, a document and a recommendation of the adopted `report`, and
    two recommendations."""
    draft = ReportFactory(
        round=report.round,
        status=Status.IN_PREPARATION,
        reference="T-ES(2026)05",
        title_en="Protecting children beyond borders",
        title_fr="Protéger les enfants au-delà des frontières",
        adoption_date=None,
    )
    question = QuestionFactory(section__round=draft.round, ref="16.2")
    chapter = ChapterFactory(report=draft, number="V.", title_en="Co-operation", title_fr="Coopération")
    chapter.questions.set([question])
    first = drafting.finding_create(
        chapter=chapter, by=officer, text_en=FINDING, text_fr="Peu de Parties **répondent**.", order=1
    )
    second = drafting.finding_create(chapter=chapter, by=officer, text_en="Training is rare.", order=2)
    reply = ReplyFactory(
        submission=SubmissionFactory(round=draft.round, party=party_a, status=REGISTERED),
        questions=[question],
    )
    comment = ReplyFactory(
        submission=SubmissionFactory(
            round=draft.round,
            party=party_b,
            organisation=OrganisationFactory(name="ECPAT", party=party_b),
            status=REGISTERED,
        ),
        questions=[question],
    )
    earlier = RecommendationFactory(chapter=ChapterFactory(report=report), number="II-4")
    drafting.finding_cite(finding=first, by=officer, reply=reply, order=1)
    drafting.finding_cite(finding=first, by=officer, reply=comment, order=2)
    drafting.finding_cite(
        finding=second,
        by=officer,
        document=DocumentFactory(title="Explanatory report", reference="CETS 201-ER"),
    )
    drafting.finding_cite(finding=second, by=officer, recommendation=earlier, order=3)
    RecommendationFactory(
        chapter=chapter, number="V-1", urgency=Urgency.REQUIRE, addressees=[party_a], order=1
    )
    RecommendationFactory(
        chapter=chapter, number="V-2", urgency=Urgency.INVITE, addressed_to_all=True, order=2
    )
    return draft


def _docx(draft, user, language="en"):
    printed = report_document(report_id=draft.pk, user=user, language=language)
    return docx.Document(io.BytesIO(render_report(printed, "docx")))


def _pdf_pages(draft, user, language="en") -> list[str]:
    printed = report_document(report_id=draft.pk, user=user, language=language)
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_report(printed, "pdf"))).pages]


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_docx_has_the_title_page_contents_chapters_and_recommendations(draft, officer):
    document = _docx(draft, officer)
    texts = _texts(document)
    assert "T-ES(2026)05" in texts
    assert "Protecting children beyond borders" in texts
    assert "Draft report" in texts
    headings = _headings(document)
    assert headings[:2] == ["Table of contents", "Levels of urgency of the recommendations"]
    assert "V. Co-operation" in headings
    assert "Recommendation V-1 (Require)" in headings
    assert "Recommendation V-2 (Invite)" in headings
    assert "Addressed to: France" in texts
    assert "Addressed to: All Parties" in texts


def test_docx_keeps_the_findings_bold_lists_and_tables(draft, officer):
    document = _docx(draft, officer)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Few Parties reply"))
    assert [run.text for run in paragraph.runs if run.bold] == ["reply"]
    assert "liaison officers" in _texts(document)
    assert document.tables[0].cell(1, 0).text == "France"


def test_docx_notes_cite_the_replies_documents_and_earlier_recommendations(draft, officer, report):
    texts = _texts(_docx(draft, officer))
    assert "Training is rare. [3] [4]" in texts
    notes = texts[texts.index("Notes") + 1 :]
    assert notes == [
        "[1] See the reply of France to question 16.2.",
        "[2] See the comment of ECPAT on question 16.2 (Russian Federation).",
        "[3] See Explanatory report (CETS 201-ER).",
        f"[4] See recommendation II-4 of report {report.reference}.",
    ]


def test_docx_of_a_draft_says_draft_on_every_page(draft, officer):
    header = _docx(draft, officer).sections[0].header
    assert [p.text for p in header.paragraphs] == ["DRAFT"]


def test_docx_in_french_prints_the_french_texts(draft, officer):
    document = _docx(draft, officer, "fr")
    texts = _texts(document)
    assert "Protéger les enfants au-delà des frontières" in texts
    assert "V. Coopération" in _headings(document)
    assert any(text.startswith("Peu de Parties répondent. [1] [2]") for text in texts)
    assert "Training is rare. [3] [4]" in texts  # no French yet: the English
    assert any("de la France" in text and "16.2" in text for text in texts)
    assert any("Fédération de Russie" in text for text in texts)


def test_pdf_prints_the_citation_notes_and_the_draft_watermark_on_every_page(draft, officer):
    pages = _pdf_pages(draft, officer)
    text = "\n".join(pages)
    assert "[1] See the reply of France to question 16.2." in text
    assert "Recommendation V-1 (Require)" in text
    assert len(pages) >= 3
    assert all("DRAFT" in page for page in pages)


def test_pdf_in_french_is_watermarked_and_french(draft, officer):
    text = "\n".join(_pdf_pages(draft, officer, "fr"))
    assert "Protéger les enfants au-delà des frontières" in text
    assert "de la France" in text


def test_pdf_of_an_adopted_report_has_no_watermark(draft, officer):
    ImplementationReport.objects.filter(pk=draft.pk).update(status=Status.ADOPTED)
    pages = _pdf_pages(draft, officer)
    assert not any("DRAFT" in page for page in pages)
    assert not _docx(draft, officer).sections[0].header.paragraphs[0].text


def test_the_document_is_built_in_a_fixed_number_of_queries(draft, officer, django_assert_max_num_queries):
    # report, chapters, findings, citations + their replies' questions, recommendations + their addressees
    with django_assert_max_num_queries(7):
        report_document(report_id=draft.pk, user=officer, language="en")


def test_parties_are_named_with_their_article():
    names = {
        "FRA": ("France", "France"),
        "NLD": ("Netherlands", "Pays-Bas"),
        "PRT": ("Portugal", "Portugal"),
        "ITA": ("Italy", "Italie"),
        "MCO": ("Monaco", "Monaco"),
    }
    parties = {
        code: PartyFactory.build(code=code, name_en=en, name_fr=fr) for code, (en, fr) in names.items()
    }
    with translation.override("en"):
        assert [of_party(parties[code]) for code in names] == [
            "of France",
            "of the Netherlands",
            "of Portugal",
            "of Italy",
            "of Monaco",
        ]
    with translation.override("fr"):
        assert [of_party(parties[code]) for code in names] == [
            "de la France",
            "des Pays-Bas",
            "du Portugal",
            "de l’Italie",
            "de Monaco",
        ]


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["coordinator_a", "coordinator_b", "stakeholder_b"])
def test_nobody_outside_the_secretariat_and_committee_gets_a_draft(draft, user, request):
    with pytest.raises(ImplementationReport.DoesNotExist):
        report_document(report_id=draft.pk, user=request.getfixturevalue(user), language="en")


def test_the_committee_gets_a_draft(draft, committee_member):
    assert "V. Co-operation" in _headings(_docx(draft, committee_member))


@pytest.mark.parametrize(
    ("language", "format"), [("en", "docx"), ("en", "pdf"), ("fr", "docx"), ("fr", "pdf")]
)
def test_the_admin_downloads_each_document(draft, officer, client_for, language, format):
    url = reverse("recommendations_report_document", args=[draft.pk, language, format])
    response = client_for(officer).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="T-ES(2026)05_draft_{language}.{format}"'


def test_the_report_page_links_the_four_documents(draft, officer, client_for):
    page = client_for(officer).get(
        reverse("admin:recommendations_implementationreport_change", args=[draft.pk])
    )
    for language in ("en", "fr"):
        for format in ("docx", "pdf"):
            url = reverse("recommendations_report_document", args=[draft.pk, language, format])
            assert url in page.content.decode()


def test_a_state_user_cannot_download_a_draft_from_the_admin(draft, coordinator_a, client_for):
    url = reverse("recommendations_report_document", args=[draft.pk, "en", "pdf"])
    response = client_for(coordinator_a).get(url)
    assert response.status_code == 302  # to the admin's login, which points State users to the portal
    assert "application/pdf" not in response.get("Content-Type", "")


def test_an_unknown_language_or_format_is_not_found(draft, officer, client_for):
    client = client_for(officer)
    for language, format in (("de", "pdf"), ("en", "html")):
        url = reverse("recommendations_report_document", args=[draft.pk, language, format])
        assert client.get(url).status_code == 404


def test_the_rapporteurs_comments_are_never_printed(draft, officer):
    finding = draft.chapters.get().findings.first()
    drafting.finding_comment(finding=finding, by=officer, text="Internal: check with the rapporteur.")
    texts = "\n".join(_texts(_docx(draft, officer))) + "\n".join(_pdf_pages(draft, officer))
    assert "Internal: check with the rapporteur." not in texts
