"""The admin's *Draft a recommendation from this finding* page (drafting.recommendation_draft)."""

import pytest
from django.urls import reverse

from monitoring.models import Submission
from recommendations import drafting
from recommendations.models import ImplementationReport, Recommendation, Urgency
from tests.factories import ArticleFactory, QuestionFactory, ReplyFactory, SubmissionFactory

from .factories import ChapterFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(report):
    return ReportFactory(
        round=report.round, status=ImplementationReport.Status.IN_PREPARATION, reference="LC-DRAFT"
    )


@pytest.fixture
def article():
    return ArticleFactory()


@pytest.fixture
def cited(draft, officer, party_b, article):
    """A finding of chapter V (on article `article`) citing the Russian Federation's reply."""
    question = QuestionFactory(section__round=draft.round, ref="16")
    chapter = ChapterFactory(report=draft, number="V")
    chapter.questions.set([question])
    chapter.articles.set([article])
    finding = drafting.finding_create(chapter=chapter, by=officer, text_en="Russia replied.")
    submission = SubmissionFactory(round=draft.round, party=party_b, status=Submission.Status.REGISTERED)
    reply = ReplyFactory(submission=submission, questions=[question])
    drafting.finding_cite(finding=finding, reply=reply, by=officer)
    return finding


def _url(finding) -> str:
    return reverse("admin:recommendations_finding_draft_recommendation", args=[finding.pk])


def _form(**changes) -> dict:
    return {
        "urgency": Urgency.INVITE,
        "legal_basis": "",
        "text_en": "The Committee invites the Parties to set up joint teams.",
        "text_fr": "",
        **changes,
    }


def test_the_finding_page_offers_the_secretariat_to_draft_a_recommendation(client_for, officer, cited):
    page = client_for(officer).get(reverse("admin:recommendations_finding_change", args=[cited.pk]))
    assert _url(cited) in page.text


def test_the_form_proposes_the_cited_parties_and_the_chapter_s_articles(
    client_for, officer, cited, party_b, article
):
    form = client_for(officer).get(_url(cited)).context["form"]
    assert (list(form.initial["addressees"]), list(form.initial["articles"])) == ([party_b], [article])


def test_the_form_explains_each_urgency(client_for, officer, cited):
    page = client_for(officer).get(_url(cited))
    assert "beyond the Convention" in page.text  # the definition of "invite"


def test_the_secretariat_drafts_a_recommendation_from_a_finding(client_for, officer, cited, party_b, article):
    response = client_for(officer).post(
        _url(cited),
        _form(addressees=[party_b.pk], articles=[article.pk], text_fr="Le Comité invite les Parties."),
    )
    recommendation = Recommendation.objects.get()
    assert response["Location"] == reverse(
        "admin:recommendations_recommendation_change", args=[recommendation.pk]
    )
    assert (recommendation.number, recommendation.finding, list(recommendation.addressees.all())) == (
        "V-1",
        cited,
        [party_b],
    )
    assert [citation.article for citation in recommendation.citations.all()] == [article]
    assert {version.history_user for version in recommendation.history.all()} == {officer}


def test_a_recommendation_to_all_parties_names_none(client_for, officer, cited, party_b):
    client_for(officer).post(_url(cited), _form(addressed_to_all="on", addressees=[party_b.pk]))
    recommendation = Recommendation.objects.get()
    assert recommendation.addressed_to_all and not recommendation.addressees.exists()


def test_a_request_without_its_legal_basis_is_refused_beside_the_field(client_for, officer, cited, party_b):
    response = client_for(officer).post(_url(cited), _form(urgency=Urgency.REQUEST, addressees=[party_b.pk]))
    assert response.status_code == 200
    assert "legal_basis" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_a_recommendation_addressed_to_nobody_is_refused(client_for, officer, cited):
    response = client_for(officer).post(_url(cited), _form())
    assert "addressees" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_a_recommendation_without_its_english_text_is_refused(client_for, officer, cited, party_b):
    response = client_for(officer).post(_url(cited), _form(text_en="", addressees=[party_b.pk]))
    assert "text_en" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_the_committee_neither_sees_the_button_nor_drafts(client_for, committee_member, cited, party_b):
    client = client_for(committee_member)
    page = client.get(reverse("admin:recommendations_finding_change", args=[cited.pk]))
    assert page.status_code == 200 and _url(cited) not in page.text
    assert client.post(_url(cited), _form(addressees=[party_b.pk])).status_code == 403
    assert not Recommendation.objects.exists()


def test_a_state_user_drafts_nothing(client_for, coordinator_a, cited, party_b):
    client_for(coordinator_a).post(_url(cited), _form(addressees=[party_b.pk]))  # the admin is for staff
    assert not Recommendation.objects.exists()


def test_an_adopted_report_s_finding_drafts_nothing(client_for, officer, cited, party_b):
    ImplementationReport.objects.filter(pk=cited.chapter.report_id).update(
        status=ImplementationReport.Status.ADOPTED
    )
    response = client_for(officer).post(_url(cited), _form(addressees=[party_b.pk]))
    assert response.status_code == 403 and not Recommendation.objects.exists()


def test_the_page_of_a_missing_finding_answers_404(client_for, officer):
    url = reverse("admin:recommendations_finding_draft_recommendation", args=[999999])
    assert client_for(officer).get(url).status_code == 404


def test_the_draft_page_runs_a_fixed_number_of_queries(
    client_for, officer, cited, django_assert_max_num_queries
):
    client = client_for(officer)
    # session, user, the finding (scoped), its chapter and report, the cited Parties, the chapter's
    # articles, the Parties and the articles to choose from, the admin's sidebar
    with django_assert_max_num_queries(12):
        response = client.get(_url(cited))
    assert response.status_code == 200
