"""Drafting a report: findings, the evidence they cite, rapporteurs' comments, versions compared."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from monitoring.models import Submission
from recommendations import access as rules
from recommendations import drafting
from recommendations.models import Chapter, Finding, FindingCitation, FindingComment, ImplementationReport
from secretariat import access
from tests.factories import (
    DocumentFactory,
    OrganisationFactory,
    QuestionFactory,
    ReplyFactory,
    SubmissionFactory,
)
from tests.personas import SECRETARIAT, allowed

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db

Status = ImplementationReport.Status
REGISTERED = Submission.Status.REGISTERED


@pytest.fixture
def draft(report):
    """A report in preparation on `report`'s round (France and the Russian Federation)."""
    return ReportFactory(round=report.round, status=Status.IN_PREPARATION, reference="LC-DRAFT")


@pytest.fixture
def question(draft):
    return QuestionFactory(section__round=draft.round, ref="16.1")


@pytest.fixture
def draft_chapter(draft, question):
    chapter = ChapterFactory(report=draft, number="V")
    chapter.questions.set([question])
    return chapter


@pytest.fixture
def finding(draft_chapter, officer):
    return drafting.finding_create(chapter=draft_chapter, by=officer, text_en="Few Parties **reply**.")


@pytest.fixture
def reply_b(draft, question, party_b):
    submission = SubmissionFactory(round=draft.round, party=party_b, status=REGISTERED)
    return ReplyFactory(submission=submission, questions=[question], text="Russia's reply.")


def _adopt(report):
    ImplementationReport.objects.filter(pk=report.pk).update(status=Status.ADOPTED)
    report.refresh_from_db()


# --- write rules ----------------------------------------------------------------------------------


def test_only_the_secretariat_drafts_a_report():
    assert allowed(rules.may_draft_report) == SECRETARIAT


def test_only_the_secretariat_writes_in_a_chapter_without_rapporteurs():
    chapter = Chapter(report=ImplementationReport(status=Status.IN_PREPARATION))
    assert allowed(rules.may_draft_chapter, chapter) == SECRETARIAT


def test_nobody_writes_in_an_adopted_report_s_chapter():
    assert (
        allowed(rules.may_draft_chapter, Chapter(report=ImplementationReport(status=Status.ADOPTED))) == set()
    )


def test_nobody_drafts_an_adopted_report():
    assert allowed(rules.may_draft_report, ImplementationReport(status=Status.ADOPTED)) == set()


def test_rapporteurs_and_the_secretariat_comment_on_findings():
    assert allowed(rules.may_comment_findings) == SECRETARIAT | {"committee"}


def test_nobody_comments_on_an_adopted_report():
    assert allowed(rules.may_comment_findings, ImplementationReport(status=Status.ADOPTED)) == set()


# --- findings -------------------------------------------------------------------------------------


def test_a_finding_is_its_author_s_and_numbered_at_the_end_of_its_chapter(draft_chapter, officer):
    first = drafting.finding_create(chapter=draft_chapter, by=officer, text_en="One.")
    second = drafting.finding_create(chapter=draft_chapter, by=officer, text_en="Two.")
    assert (first.order, second.order, second.author) == (1, 2, officer)


def test_a_finding_s_text_is_stored_rendered_and_sanitised(draft_chapter, officer):
    finding = drafting.finding_create(
        chapter=draft_chapter, by=officer, text_en="**Few** replies<script>alert(1)</script>"
    )
    assert "<strong>Few</strong>" in finding.text_html_en and "<script>" not in finding.text_html_en


def test_every_version_of_a_finding_is_kept_with_its_author(finding, officer, secretariat_admin):
    drafting.finding_save(
        finding=_changed(finding, text_fr="Peu de Parties répondent."), by=secretariat_admin
    )
    versions = list(drafting.finding_versions(finding))
    assert [(v.history_user, v.text_fr) for v in versions] == [
        (secretariat_admin, "Peu de Parties répondent."),
        (officer, ""),
    ]


def _changed(finding, **fields):
    for name, value in fields.items():
        setattr(finding, name, value)
    return finding


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_and_the_chapter_s_rapporteurs_write_findings(request, draft_chapter, persona):
    with pytest.raises(PermissionDenied):
        drafting.finding_create(chapter=draft_chapter, by=request.getfixturevalue(persona), text_en="x")


def test_an_adopted_report_s_findings_are_frozen(finding, officer):
    _adopt(finding.chapter.report)
    with pytest.raises(PermissionDenied):
        drafting.finding_save(finding=_changed(finding, text_en="Changed."), by=officer)


# --- evidence -------------------------------------------------------------------------------------


def test_a_cited_reply_names_its_party(finding, reply_b, officer, party_b):
    citation = drafting.finding_cite(finding=finding, by=officer, reply=reply_b)
    assert citation.party == party_b


def test_a_stakeholder_comment_names_the_party_it_comments_on(finding, draft, question, officer, party_b):
    organisation = OrganisationFactory(party=party_b)
    submission = SubmissionFactory(
        round=draft.round, party=party_b, organisation=organisation, status=REGISTERED
    )
    comment = ReplyFactory(submission=submission, questions=[question])
    assert drafting.finding_cite(finding=finding, by=officer, reply=comment).party == party_b


def test_a_reply_not_yet_registered_cannot_be_cited(finding, draft, question, officer, party_a):
    draft_reply = ReplyFactory(
        submission=SubmissionFactory(round=draft.round, party=party_a), questions=[question]
    )
    with pytest.raises(ValidationError, match="registered"):
        drafting.finding_cite(finding=finding, by=officer, reply=draft_reply)


def test_a_reply_to_another_round_cannot_be_cited(finding, officer, party_b):
    elsewhere = ReplyFactory(submission=SubmissionFactory(party=party_b, status=REGISTERED))
    with pytest.raises(ValidationError, match="another monitoring round"):
        drafting.finding_cite(finding=finding, by=officer, reply=elsewhere)


def test_a_citation_cites_exactly_one_thing(finding, reply_b, officer):
    with pytest.raises(ValidationError):
        drafting.finding_cite(finding=finding, by=officer, reply=reply_b, document=DocumentFactory())
    with pytest.raises(ValidationError):
        drafting.finding_cite(finding=finding, by=officer)


def test_the_database_refuses_a_citation_of_nothing(finding):
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingCitation.objects.bulk_create([FindingCitation(finding=finding)])


def test_an_earlier_report_s_recommendation_can_be_cited_not_one_of_the_same_report(
    finding, recommendation, officer
):
    assert drafting.finding_cite(finding=finding, by=officer, recommendation=recommendation).pk
    own = RecommendationFactory(chapter=finding.chapter, number="V-1")
    with pytest.raises(ValidationError, match="earlier report"):
        drafting.finding_cite(finding=finding, by=officer, recommendation=own)


def test_the_reply_picker_offers_registered_replies_to_the_chapter_s_questions(
    draft_chapter, draft, reply_b, officer, party_a
):
    ReplyFactory(
        submission=SubmissionFactory(round=draft.round, party=party_a), questions=reply_b.questions.all()
    )
    ReplyFactory(submission=reply_b.submission, questions=[QuestionFactory(section__round=draft.round)])
    replies = drafting.citable_replies(user=officer, chapter=draft_chapter)
    assert [drafting.reply_label(reply) for reply in replies] == [
        "Russian Federation – Reply to question 16.1"
    ]


# --- comments -------------------------------------------------------------------------------------


def test_a_rapporteur_comments_on_a_draft_finding(finding, committee_member):
    comment = drafting.finding_comment(finding=finding, by=committee_member, text="Cite Italy too?")
    assert (comment.author, comment.finding) == (committee_member, finding)


def test_a_state_user_cannot_comment(finding, coordinator_a):
    with pytest.raises(PermissionDenied):
        drafting.finding_comment(finding=finding, by=coordinator_a, text="x")


# --- who sees what --------------------------------------------------------------------------------


@pytest.fixture
def drafted(finding, reply_b, officer, committee_member):
    drafting.finding_cite(finding=finding, by=officer, reply=reply_b)
    drafting.finding_comment(finding=finding, by=committee_member, text="Internal.")
    return finding


@pytest.mark.parametrize("model", [Finding, FindingCitation, FindingComment])
@pytest.mark.parametrize("persona", ["coordinator_b", "stakeholder_b"])
def test_a_draft_s_findings_evidence_and_comments_are_hidden_from_states(request, drafted, model, persona):
    assert not access.scoped(model, request.getfixturevalue(persona)).exists()


@pytest.mark.parametrize("model", [Finding, FindingCitation, FindingComment])
def test_the_committee_reads_a_draft_s_findings_evidence_and_comments(drafted, committee_member, model):
    assert access.scoped(model, committee_member).exists()


def test_once_adopted_findings_are_public_and_comments_stay_internal(drafted, coordinator_b):
    _adopt(drafted.chapter.report)
    assert list(access.scoped(Finding, coordinator_b)) == [drafted]
    assert access.scoped(FindingCitation, coordinator_b).exists()
    assert not access.scoped(FindingComment, coordinator_b).exists()


# --- the admin ------------------------------------------------------------------------------------


def test_the_secretariat_writes_a_finding_citing_a_reply_in_the_admin(
    client_for, officer, draft_chapter, reply_b
):
    response = client_for(officer).post(
        reverse("admin:recommendations_finding_add"),
        {
            "chapter": draft_chapter.pk,
            "order": "0",  # 0: at the end of the chapter
            "text_en": "Russia replied.",
            "text_fr": "",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-reply": reply_b.pk,
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    finding = Finding.objects.get()
    assert (finding.author, finding.order, finding.citations.get().party) == (
        officer,
        1,
        reply_b.submission.party,
    )
    assert finding.history.get().history_user == officer


def test_the_committee_reads_a_finding_but_cannot_change_it(client_for, committee_member, finding):
    client = client_for(committee_member)
    url = reverse("admin:recommendations_finding_change", args=[finding.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text_en": "Mine now."}).status_code == 403


def test_a_rapporteur_comments_in_the_admin_and_returns_to_the_finding(client_for, committee_member, finding):
    client = client_for(committee_member)
    page = client.get(reverse("admin:recommendations_finding_change", args=[finding.pk]))
    assert f"?finding={finding.pk}" in page.text
    response = client.post(
        reverse("admin:recommendations_findingcomment_add"), {"finding": finding.pk, "text": "Cite Italy?"}
    )
    assert response["Location"] == reverse("admin:recommendations_finding_change", args=[finding.pk])
    assert FindingComment.objects.get().author == committee_member


def test_two_versions_are_compared_side_by_side_with_the_text_escaped(client_for, officer, finding):
    drafting.finding_save(finding=_changed(finding, text_en="Few Parties <b>reply</b>."), by=officer)
    response = client_for(officer).get(reverse("admin:recommendations_finding_compare", args=[finding.pk]))
    assert response.status_code == 200
    # difflib marks the changed part: "<span class="diff_chg">&lt;b&gt;</span>reply"
    assert "&lt;b&gt;</span>reply" in response.text and "<b>reply" not in response.text
    assert 'class="diff"' in response.text


def test_the_compare_page_of_a_finding_out_of_scope_answers_404(client_for, committee_member):
    url = reverse("admin:recommendations_finding_compare", args=[999999])
    assert client_for(committee_member).get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_findings_changelist_runs_a_fixed_number_of_queries(
    client_for, officer, draft_chapter, django_assert_max_num_queries, count
):
    for _ in range(count):
        drafting.finding_create(chapter=draft_chapter, by=officer, text_en="A finding.")
    client = client_for(officer)
    # session, user, count, page of findings (chapter and author joined), the report filter's
    # choices, the chapter filter's choices, savepoints and the admin's own bookkeeping
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:recommendations_finding_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_comments_changelist_runs_a_fixed_number_of_queries(
    client_for, officer, finding, committee_member, django_assert_max_num_queries, count
):
    for _ in range(count):
        drafting.finding_comment(finding=finding, by=committee_member, text="A comment.")
    client = client_for(officer)
    # session, user, count, page of comments (author, finding and chapter joined), the report
    # filter's choices, savepoints and the admin's own bookkeeping
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:recommendations_findingcomment_changelist"))
    assert response.status_code == 200


# --- draft recommendations ------------------------------------------------------------------------


@pytest.fixture
def cited(finding, reply_b, officer):
    drafting.finding_cite(finding=finding, by=officer, reply=reply_b)
    return finding


def _draft(finding, by, **kwargs):
    arguments = {"urgency": "require", "text_en": "Do it.", "legal_basis": "Article 38, ER §260.", **kwargs}
    return drafting.recommendation_draft(finding=finding, by=by, **arguments)


def test_a_draft_is_numbered_next_in_its_chapter_as_the_committee_numbers(cited, officer):
    first, second = _draft(cited, officer), _draft(cited, officer)
    assert (first.number, second.number) == ("V-1", "V-2")
    assert (first.finding, first.report) == (cited, cited.chapter.report)


def test_the_number_follows_the_highest_even_after_a_gap(cited, officer):
    RecommendationFactory(chapter=cited.chapter, number="V-19")
    assert _draft(cited, officer).number == "V-20"


def test_a_chapter_numbered_with_a_point_gives_its_numeral(draft, officer):
    chapter = ChapterFactory(report=draft, number="VI.")
    finding = drafting.finding_create(chapter=chapter, by=officer, text_en="x")
    assert _draft(finding, officer).number == "VI-1"


def test_the_addressees_proposed_are_the_parties_the_finding_cites(cited, officer, party_b):
    recommendation = _draft(cited, officer)
    assert list(recommendation.addressees.all()) == [party_b]
    assert not recommendation.follow_ups.exists()


def test_named_addressees_or_all_parties_replace_the_proposal(cited, officer, party_a):
    assert list(_draft(cited, officer, addressees=[party_a]).addressees.all()) == [party_a]
    everyone = _draft(cited, officer, addressed_to_all=True)
    assert everyone.addressed_to_all and not everyone.addressees.exists()


@pytest.mark.parametrize("urgency", ["require", "request"])
def test_require_and_request_need_their_legal_basis(cited, officer, urgency):
    with pytest.raises(drafting.InvalidDraft, match="legal basis"):
        _draft(cited, officer, urgency=urgency, legal_basis=" ")


def test_an_invitation_needs_no_legal_basis(cited, officer):
    assert _draft(cited, officer, urgency="invite", legal_basis="").urgency == "invite"


def test_the_committee_does_not_draft_recommendations(cited, committee_member):
    with pytest.raises(PermissionDenied):
        _draft(cited, committee_member)


def test_renumbering_follows_the_order_without_clashing(cited, officer):
    first, second, third = (_draft(cited, officer) for _ in range(3))
    # The Secretariat moves the third first: V-3, V-1, V-2 in the order; renumbering gives V-1 … V-3.
    third.order = 0
    third.save(update_fields=["order"])
    changed = drafting.chapter_renumber(chapter=cited.chapter, by=officer)
    numbers = {r.pk: r.number for r in cited.chapter.recommendations.all()}
    assert changed == 3
    assert (numbers[third.pk], numbers[first.pk], numbers[second.pk]) == ("V-1", "V-2", "V-3")
    assert third.history.first().history_user == officer


def test_renumbering_an_adopted_report_is_refused(cited, officer):
    _draft(cited, officer)
    _adopt(cited.chapter.report)
    with pytest.raises(PermissionDenied):
        drafting.chapter_renumber(chapter=cited.chapter, by=officer)


def test_renumbering_leaves_another_chapter_s_numbers_alone(cited, officer, draft):
    RecommendationFactory(chapter=ChapterFactory(report=draft, number="V bis"), number="V-2")
    _draft(cited, officer)
    stray = RecommendationFactory(chapter=cited.chapter, number="V-7", order=99)
    with pytest.raises(drafting.InvalidDraft):
        drafting.chapter_renumber(chapter=cited.chapter, by=officer)
    stray.refresh_from_db()
    assert stray.number == "V-7"


def test_the_admin_renumbers_the_selected_chapters(client_for, cited, officer):
    first, second = _draft(cited, officer), _draft(cited, officer)
    Recommendation = type(first)
    Recommendation.objects.filter(pk=second.pk).update(order=0)
    response = client_for(officer).post(
        reverse("admin:recommendations_chapter_changelist"),
        {"action": "renumber_recommendations", "_selected_action": [cited.chapter.pk]},
        follow=True,
    )
    assert "1 chapter renumbered." in response.text
    assert dict(cited.chapter.recommendations.values_list("pk", "number")) == {
        second.pk: "V-1",
        first.pk: "V-2",
    }


def test_an_adopted_report_s_chapter_is_not_renumbered_in_the_admin(client_for, cited, officer):
    _draft(cited, officer)
    _adopt(cited.chapter.report)
    response = client_for(officer).post(
        reverse("admin:recommendations_chapter_changelist"),
        {"action": "renumber_recommendations", "_selected_action": [cited.chapter.pk]},
        follow=True,
    )
    assert "renumbered" not in response.text and "Only the Secretariat drafts" in response.text
