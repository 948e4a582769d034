"""Letters to Parties: templates filled from the case in English and French, printed as DOCX and
PDF, filed as the Party's documents and recorded in its correspondence log; a bad template is a
clear error, never a server error."""

import datetime
import io

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from secretariat import correspondence
from secretariat.correspondence import LetterError
from secretariat.models import Correspondence, Document, LetterTemplate, Role
from tests.factories import SubmissionFactory, UserFactory, build_round
from tests.secretariat.casework_helpers import submission_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates():
    correspondence.load_default_templates()


@pytest.fixture
def case(party_b, officer):
    officer.first_name, officer.last_name = "Anna", "Officer"
    officer.save()
    round = build_round(parties=[party_b], questions_per_section=1, sections=1, number=7)
    submission = SubmissionFactory(round=round, party=party_b, deadline=datetime.date(2026, 12, 31))
    return submission_case(submission, handler=officer, due=datetime.date(2026, 12, 31))


def test_the_context_is_filled_from_the_case_in_french(case):
    context = correspondence.letter_context(case, "fr", message="Précisez la question 2.")

    assert context["party"] == "Fédération de Russie"
    assert context["case"] == case.title_fr
    assert context["due_date"] == "31 décembre 2026"
    assert context["handler"] == "Anna Officer"
    assert context["message"] == "Précisez la question 2."
    assert context["round"] == "Cycle 7"  # registered by the monitoring app for submission cases


def test_the_context_is_filled_from_the_case_in_english(case):
    context = correspondence.letter_context(case, "en", deadline=datetime.date(2027, 1, 15))

    assert context["party"] == "Russian Federation"
    assert context["due_date"] == "31 December 2026"
    assert context["deadline"] == "15 January 2027"
    assert context["round"] == "Round 7"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Russian Federation", "clarification", "Precise question 2."]),
        ("fr", ["Fédération de Russie"]),
    ],
)
def test_the_default_return_letter_renders_with_the_case(templates, case, language, expected):
    template = LetterTemplate.objects.get(letter="return", language=language)
    subject, body = correspondence.render_letter(
        template, correspondence.letter_context(case, language, message="Precise question 2.")
    )

    assert case.title_en in subject or case.title_fr in subject
    for text in expected:
        assert text in f"{subject}\n{body}"
    assert "{{" not in body and "{%" not in body


def test_every_default_template_renders_in_both_languages(templates, case):
    assert LetterTemplate.objects.count() == 8
    for template in LetterTemplate.objects.all():
        subject, body = correspondence.render_letter(
            template, correspondence.letter_context(case, template.language)
        )
        assert subject and body


def test_loading_the_templates_again_keeps_the_secretariats_edits(templates):
    LetterTemplate.objects.filter(letter="reminder", language="en").update(body="Edited {{ party }}")
    LetterTemplate.objects.filter(letter="reminder", language="fr").delete()

    assert correspondence.load_default_templates() == 1
    assert LetterTemplate.objects.get(letter="reminder", language="en").body == "Edited {{ party }}"
    assert LetterTemplate.objects.filter(letter="reminder", language="fr").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dear {{ secret }}", "Unknown placeholder {{ secret }}"),
        ("Dear {{ party.users }}", "Unknown placeholder {{ party.users }}"),
        ("Dear {{ party|default:secret }}", "Unknown placeholder {{ secret }}"),
        ("{% if secret %}x{% endif %}", "Unknown placeholder {{ secret }}"),
        ("Dear {{ party", "cannot be read"),
        ("{% if party %}unclosed", "cannot be read"),
        ("{% load static %}", "cannot be read"),
        ('{% include "admin/base.html" %}', "Only placeholders"),
        ("{% debug %}", "Only placeholders"),
    ],
)
def test_a_bad_template_is_a_clear_error(text, message):
    with pytest.raises(LetterError, match=message.replace("{", r"\{").replace("|", r"\|")):
        correspondence.check_template(text)


def test_printed_letter_opens_as_docx_with_the_letter_layout(case):
    letter = correspondence.printed_letter(case, "Reminder", "First paragraph.\n\nSecond paragraph.", "fr")

    document = docx.Document(io.BytesIO(correspondence.letter_docx(letter)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)

    assert "Secretariat of the Lanzarote Committee" in text or "Secrétariat" in text
    assert "Fédération de Russie" in text
    assert "Reminder" in text
    assert "First paragraph." in text and "Second paragraph." in text
    assert "Anna Officer" in text


def test_printed_letter_opens_as_pdf(case):
    letter = correspondence.printed_letter(case, "Reminder – “quotes”", "Body of the letter.", "en")

    reader = pypdf.PdfReader(io.BytesIO(correspondence.letter_pdf(letter)))
    text = " ".join(page.extract_text() for page in reader.pages)

    assert "Secretariat of the Lanzarote Committee" in text
    assert "Russian Federation" in text
    assert "Body of the letter." in text
    assert "Anna Officer" in text


def test_sending_a_letter_files_its_documents_and_records_it(templates, case, officer):
    sent = correspondence.send_letter(case, "reminder", "en", by=officer)

    assert {sent.pdf.party_id, sent.docx.party_id} == {case.party_id}
    assert sent.pdf.file.name.endswith(".pdf") and sent.docx.file.name.endswith(".docx")
    pypdf.PdfReader(sent.pdf.file.open("rb"))
    docx.Document(sent.docx.file.open("rb"))
    item = Correspondence.objects.get()
    assert (item.kind, item.case, item.party, item.letter, item.language) == (
        Correspondence.Kind.LETTER_SENT,
        case,
        case.party,
        "reminder",
        "en",
    )
    assert item.recorded_by == officer and item.document == sent.pdf
    assert "Russian Federation" in item.body
    assert item.history.get().history_user == officer


def test_the_edited_text_is_sent_as_written(templates, case, officer):
    correspondence.send_letter(
        case, "return", "fr", by=officer, subject="Objet modifié", body="Texte modifié."
    )

    item = Correspondence.objects.get()
    assert (item.subject, item.body) == ("Objet modifié", "Texte modifié.")


def test_only_the_secretariat_sends_letters(templates, case, committee_member, coordinator_b):
    for user in (committee_member, coordinator_b):
        with pytest.raises(PermissionDenied):
            correspondence.send_letter(case, "reminder", "en", by=user)
    assert not Correspondence.objects.exists() and not Document.objects.exists()


def test_a_letter_without_its_template_is_a_clear_error(case, officer):
    with pytest.raises(LetterError, match="no template"):
        correspondence.send_letter(case, "reminder", "en", by=officer)


def test_the_default_language_is_the_coordinators(case, party_b):
    assert correspondence.default_language(party_b) == "en"
    UserFactory(username="rus-coord-fr", role=Role.STATE_COORDINATOR, party=party_b, language="fr")
    assert correspondence.default_language(party_b) == "fr"


# --- the admin's pages ---------------------------------------------------------------------------


def test_the_letter_page_previews_the_filled_letter(client_for, templates, case, officer):
    url = reverse("admin:secretariat_case_letter", args=[case.pk])
    response = client_for(officer).post(
        url, {"letter": "return", "language": "en", "message": "Please complete question 1.", "preview": "1"}
    )

    assert response.status_code == 200
    assert "Please complete question 1." in response.context["form"]["body"].value()
    assert "Russian Federation" in response.context["form"]["body"].value()
    assert not Correspondence.objects.exists()


def test_the_letter_page_generates_the_documents_and_records_the_letter(client_for, templates, case, officer):
    url = reverse("admin:secretariat_case_letter", args=[case.pk])
    client = client_for(officer)
    response = client.post(
        url, {"letter": "reminder", "language": "fr", "subject": "Rappel", "body": "Texte.", "generate": "1"}
    )

    assert response.status_code == 200
    sent = response.context["sent"]
    assert sent.correspondence.subject == "Rappel"
    download = client.get(sent.pdf.link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_bad_template_is_a_form_error_on_the_letter_page(client_for, templates, case, officer):
    LetterTemplate.objects.filter(letter="reminder", language="en").update(body="Dear {{ nope }}")
    url = reverse("admin:secretariat_case_letter", args=[case.pk])

    response = client_for(officer).post(url, {"letter": "reminder", "language": "en", "generate": "1"})

    assert response.status_code == 200
    assert "Unknown placeholder" in str(response.context["form"].non_field_errors())
    assert not Correspondence.objects.exists()


def test_the_letter_page_is_the_secretariats(client_for, templates, case, committee_member, coordinator_b):
    url = reverse("admin:secretariat_case_letter", args=[case.pk])
    assert client_for(committee_member).get(url).status_code == 403
    assert client_for(coordinator_b).get(url).status_code == 302  # to the staff log-in


@pytest.mark.parametrize("case_id", ["999999", "abc"])
def test_an_unknown_case_has_no_letter_page(client_for, officer, case_id):
    url = reverse("admin:secretariat_case_letter", args=[case_id])
    assert client_for(officer).get(url).status_code == 404


def test_the_template_page_lists_the_placeholders_and_previews(client_for, templates, case, officer):
    template = LetterTemplate.objects.get(letter="return", language="fr")
    url = reverse("admin:secretariat_lettertemplate_change", args=[template.pk])

    response = client_for(officer).get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "{{ party }}" in content and "{{ round }}" in content and "{{ report }}" in content
    assert "Fédération de Russie" in content  # the preview, filled for the open case


def test_saving_a_bad_template_is_a_form_error(client_for, templates, officer):
    template = LetterTemplate.objects.get(letter="return", language="en")
    url = reverse("admin:secretariat_lettertemplate_change", args=[template.pk])

    response = client_for(officer).post(url, {"subject": "Subject", "body": "Dear {{ unknown }}"})

    assert response.status_code == 200
    assert "Unknown placeholder" in response.content.decode()
    template.refresh_from_db()
    assert "unknown" not in template.body


def test_the_case_page_and_the_case_file_link_to_the_letter_page(client_for, case, officer):
    url = reverse("admin:secretariat_case_letter", args=[case.pk])
    client = client_for(officer)

    assert url in client.get(reverse("admin:secretariat_case_change", args=[case.pk])).content.decode()
    case_file = reverse("admin:secretariat_party_case_file", args=[case.party_id])
    assert url in client.get(case_file).content.decode()


def test_load_reference_creates_the_missing_templates_only():
    call_command("load_reference", stdout=io.StringIO())
    assert LetterTemplate.objects.count() == 8
    LetterTemplate.objects.filter(letter="return", language="fr").update(subject="Objet de la maison")

    call_command("load_reference", stdout=io.StringIO())

    assert LetterTemplate.objects.get(letter="return", language="fr").subject == "Objet de la maison"


# --- e-mailing the letter ------------------------------------------------------------------------


@pytest.fixture
def coordinator_with_email(party_b):
    return UserFactory(
        username="rus-coord-mail", role=Role.STATE_COORDINATOR, party=party_b, email="focal@example.org"
    )


def test_the_letter_is_emailed_with_its_pdf_and_the_addresses_recorded(
    client_for, templates, case, officer, coordinator_with_email, mailoutbox
):
    url = reverse("admin:secretariat_case_letter", args=[case.pk])
    client_for(officer).post(url, {"letter": "reminder", "language": "en", "email": "on", "generate": "1"})

    (message,) = mailoutbox
    assert message.to == ["focal@example.org"]
    assert "Russian Federation" in message.body
    assert message.attachments[0][2] == "application/pdf"
    assert "focal@example.org" in Correspondence.objects.get().recipients


def test_a_failing_mail_server_leaves_the_letter_recorded(
    client_for, templates, case, officer, coordinator_with_email, settings
):
    # Nothing listens on port 9 of this machine: the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9},
        }
    }
    url = reverse("admin:secretariat_case_letter", args=[case.pk])

    response = client_for(officer).post(
        url, {"letter": "reminder", "language": "en", "email": "on", "generate": "1"}, follow=True
    )

    assert response.status_code == 200
    assert "could not be e-mailed" in response.content.decode()
    item = Correspondence.objects.get()
    assert "focal@example.org" not in item.recipients
