"""The compilation page (Secretariat only) and the PDF of a registered submission (its own respondents)."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.compilation import submission_document
from monitoring.models import Question, ReplyAttachment, Submission
from secretariat import documents
from secretariat.models import GeneratedDocument
from tests.factories import (
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    SubmissionFactory,
    build_round,
)

pytestmark = pytest.mark.django_db

REGISTERED = Submission.Status.REGISTERED


@pytest.fixture
def round(party_a, party_b):
    return build_round(parties=[party_a, party_b], number=2)


def submission_with_reply(round, party, text, *, status=REGISTERED, organisation=None, refs=("1.a", "1.b")):
    submission = SubmissionFactory(
        round=round,
        party=party,
        organisation=organisation,
        status=status,
        reference=f"T-ES(2017)ICT-{party.code}",
    )
    questions = [Question.objects.get(round=round, ref=ref) for ref in refs]
    ReplyFactory(submission=submission, questions=questions, text=text)
    return submission


def compilation_url(number=2, **params):
    url = reverse("monitoring:compilation", args=[number])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# --- the compilation page ----------------------------------------------------------------------


def test_compilation_page_offers_the_questions_of_the_round(client_for, officer, round):
    response = client_for(officer).get(compilation_url())

    assert response.status_code == 200
    assert b"Whole round, question by question" in response.content
    assert b'<option value="1">' in response.content


@pytest.mark.parametrize("format", ["pdf", "docx", "html"])
def test_compilation_page_downloads_the_compilation(client_for, officer, round, party_a, format):
    submission_with_reply(round, party_a, "France replies")

    response = client_for(officer).get(compilation_url(question="1", format=format))

    assert response.status_code == 200
    year = timezone.localdate().year  # the round has no launch date: the reference takes this year
    assert response["Content-Disposition"] == f'attachment; filename="T-ES({year})R2-Q1_bil.{format}"'
    assert len(b"".join(response.streaming_content)) > 0


def test_compilation_download_holds_the_replies(client_for, officer, round, party_a):
    submission_with_reply(round, party_a, "France replies")

    response = client_for(officer).get(compilation_url(question="1", format="pdf"))

    assert "France replies" in pdf_text(response)


def test_compilation_page_names_the_file_after_the_reference_given(client_for, officer, round):
    response = client_for(officer).get(compilation_url(format="html", reference="T-ES(2018)21_bil rev.2"))

    assert response["Content-Disposition"] == 'attachment; filename="T-ES(2018)21_bil_rev.2.html"'


def test_compilation_page_shows_errors_for_an_unknown_question(client_for, officer, round):
    response = client_for(officer).get(compilation_url(question="99", format="pdf"))

    assert response.status_code == 200
    assert response.context["form"].errors["question"]


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b", "committee_member"])
def test_compilation_page_is_missing_for_anyone_outside_the_secretariat(client_for, round, persona, request):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(compilation_url()).status_code == 404
    assert client.get(compilation_url(question="1", format="pdf")).status_code == 404


def test_compilation_page_is_missing_for_an_unknown_round(client_for, officer, round):
    assert client_for(officer).get(compilation_url(number=9)).status_code == 404


def test_compilation_page_sends_anonymous_visitors_to_the_admin_login(client, round):
    response = client.get(compilation_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _grow(round, parties):
    for party in parties:
        submission = submission_with_reply(round, party, f"{party.code} replies")
        ReplyFactory(submission=submission, questions=list(round.questions.filter(ref__in=["2", "3.a"])))
        organisation = OrganisationFactory(party=party)
        submission_with_reply(round, party, "comment", organisation=organisation, refs=("1",))


def test_compilation_page_query_count_does_not_grow_with_questions(
    client_for, officer, round, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(officer)
    # Allowed: session, user, the round, its questions for the form choices, the user's and
    # their groups' permissions (the admin's page frame).
    with django_assert_max_num_queries(6) as few:
        assert client.get(compilation_url()).status_code == 200
    section = round.sections.first()
    for number in range(100, 160):
        QuestionFactory(round=round, section=section, ref=str(number), order=number * 100)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(compilation_url()).status_code == 200


def test_compilation_download_query_count_does_not_grow_with_replies(
    client_for, officer, round, party_a, django_assert_max_num_queries, django_assert_num_queries
):
    _grow(round, [party_a])
    client = client_for(officer)
    url = compilation_url(format="pdf")
    # Allowed: session, user, the round, its questions (form), then the compilation: the
    # questions, the replies with submission, Party and organisation, the questions answered,
    # the replies' attachments; the download's audit event.
    with django_assert_max_num_queries(9) as few:
        assert client.get(url).status_code == 200
    _grow(round, PartyFactory.create_batch(25))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- the PDF of a registered submission --------------------------------------------------------


def submission_pdf_url(submission):
    return reverse("monitoring:submission_pdf", args=[submission.pk])


def test_state_user_downloads_the_pdf_of_their_registered_submission(
    client_for, coordinator_a, round, party_a
):
    submission = submission_with_reply(round, party_a, "Réponse de la France – “complète”")

    response = client_for(coordinator_a).get(submission_pdf_url(submission))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="T-ES(2017)ICT-FRA.pdf"'
    text = pdf_text(response)
    assert "Réponse de la France – “complète”" in text
    assert "Question 1.a., b." in text
    assert "FRANCE" in text
    assert "T-ES(2017)ICT-FRA" in text


def test_submission_pdf_gives_the_registration_date(client_for, officer, round, party_a):
    submission = submission_with_reply(round, party_a, "France replies")
    Submission.objects.filter(pk=submission.pk).update(
        registered_at=timezone.make_aware(datetime.datetime(2017, 10, 24, 12))
    )

    text = pdf_text(client_for(officer).get(submission_pdf_url(submission)))

    assert "Registered by the Secretariat on 24 October 2017" in text


def test_submission_pdf_prints_the_questions_in_the_questionnaire_order(client_for, officer, round, party_a):
    section = round.sections.last()
    _sixteen, ten = (
        QuestionFactory(
            round=round, section=section, ref=ref, order=int(ref) * 1000, text_en=f"Text of {ref}"
        )
        for ref in ("16", "10")
    )
    submission = submission_with_reply(round, party_a, "Reply to sixteen", refs=("16",))
    ReplyFactory(submission=submission, questions=[ten], text="Reply to ten", order=99)

    text = pdf_text(client_for(officer).get(submission_pdf_url(submission)))

    assert text.index("Text of 10") < text.index("Reply to ten") < text.index("Text of 16")
    assert text.index("Text of 16") < text.index("Reply to sixteen")
    assert text.count("SECTION 2") == 1  # the section heads its first question only


def test_submission_document_prints_the_questions_in_the_reader_s_language(officer, round, party_a):
    Question.objects.filter(round=round, ref="1").update(text_fr="Texte de la question 1")
    submission = submission_with_reply(round, party_a, "Réponse", refs=("1",))

    with translation.override("fr"):
        document = submission_document(submission=submission, user=officer)

    [question] = document.questions
    assert question.nodes[0].text_en == "Texte de la question 1"
    assert question.section == "Partie 1"


def test_submission_pdf_lists_the_attachments_of_each_reply(client_for, officer, round, party_a):
    submission = submission_with_reply(round, party_a, "Figures attached")
    ReplyAttachment.objects.create(reply=submission.replies.get(), file="attachments/2026/figures-2016.csv")

    text = pdf_text(client_for(officer).get(submission_pdf_url(submission)))

    assert "Attachments:" in text
    assert "figures-2016.csv" in text


def test_state_user_of_another_party_cannot_open_the_submission_pdf(
    client_for, coordinator_b, round, party_a
):
    submission = submission_with_reply(round, party_a, "France replies")

    assert client_for(coordinator_b).get(submission_pdf_url(submission)).status_code == 404


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "resubmitted"])
def test_submission_pdf_is_missing_until_registered(
    client_for, coordinator_a, officer, round, party_a, status
):
    submission = submission_with_reply(round, party_a, "Not yet", status=status)

    assert client_for(coordinator_a).get(submission_pdf_url(submission)).status_code == 404
    assert client_for(officer).get(submission_pdf_url(submission)).status_code == 404


def test_stakeholder_downloads_the_pdf_of_their_comments(
    client_for, stakeholder_b, organisation_b, round, party_b
):
    submission = submission_with_reply(round, party_b, "Our comments", organisation=organisation_b)

    text = pdf_text(client_for(stakeholder_b).get(submission_pdf_url(submission)))

    assert "Our comments" in text
    assert "Comments sent by Stakeholder of B" in text


def test_state_user_cannot_open_the_pdf_of_comments_on_their_party(
    client_for, coordinator_b, organisation_b, round, party_b
):
    submission = submission_with_reply(round, party_b, "Our comments", organisation=organisation_b)

    assert client_for(coordinator_b).get(submission_pdf_url(submission)).status_code == 404


def test_committee_member_cannot_open_a_confidential_submission_pdf(
    client_for, committee_member, round, party_a
):
    submission = submission_with_reply(round, party_a, "Confidential")
    Submission.objects.filter(pk=submission.pk).update(consent_to_publication=False)

    assert client_for(committee_member).get(submission_pdf_url(submission)).status_code == 404


def test_submission_pdf_sends_anonymous_visitors_to_the_admin_login(client, round, party_a):
    submission = submission_with_reply(round, party_a, "France replies")

    assert client.get(submission_pdf_url(submission))["Location"].startswith(reverse("admin:login"))


def test_submission_pdf_query_count_does_not_grow_with_replies(
    client_for, coordinator_a, round, party_a, django_assert_max_num_queries, django_assert_num_queries
):
    submission = submission_with_reply(round, party_a, "first")
    client = client_for(coordinator_a)
    # Allowed: session, user, the submission with round, Party and organisation, the round's
    # questions (printed before the replies), its replies, the questions they answer, their
    # attachments.
    with django_assert_max_num_queries(7) as few:
        assert client.get(submission_pdf_url(submission)).status_code == 200
    for question in round.questions.all():
        ReplyFactory(submission=submission, questions=[question], text=f"Reply to {question.ref}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(submission_pdf_url(submission)).status_code == 200


# --- the whole round in the background ---------------------------------------------------------


def test_whole_round_in_the_background_is_queued_and_opens_its_document_page(client_for, officer, round):
    response = client_for(officer).get(compilation_url(format="docx", background="on", include_drafts="on"))

    [document] = GeneratedDocument.objects.all()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:secretariat_generateddocument_change", args=[document.pk])
    assert document.status == GeneratedDocument.Status.QUEUED
    assert document.requested_by == officer
    assert document.parameters == {
        "round": 2,
        "format": "docx",
        "include_drafts": True,
        "include_confidential": False,
        "include_children": False,
        "reference": "",
    }


def test_the_worker_writes_the_whole_round_with_a_question_done_at_each_step(
    client_for, officer, round, party_a
):
    submission_with_reply(round, party_a, "France replies")
    client_for(officer).get(compilation_url(format="pdf", background="on"))
    document = GeneratedDocument.objects.get()

    documents.document_generate(document.pk)

    document.refresh_from_db()
    questions = round.questions.filter(parent__isnull=True).count()
    assert (document.status, document.progress_done, document.progress_total) == (
        "done",
        questions,
        questions,
    )
    year = timezone.localdate().year
    assert document.file.name.endswith(f"T-ES{year}R2_bil.pdf")  # the storage drops the brackets
    with document.file.open("rb") as file:
        content = file.read()
    assert "France replies" in "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )


def test_one_question_is_downloaded_at_once_even_when_asked_in_the_background(client_for, officer, round):
    response = client_for(officer).get(compilation_url(question="1", format="html", background="on"))

    assert response.status_code == 200
    assert b"<!DOCTYPE html>" in b"".join(response.streaming_content)
    assert not GeneratedDocument.objects.exists()
