"""A Party's correspondence log: incoming letters and e-mails, and the letters the Secretariat sends.

Letters are written from editable templates (`LetterTemplate`, Django template syntax in a
sandbox: only the placeholders listed in `placeholders()`, no tag but `{% if %}`), filled from
the case (`letter_context`), printed as DOCX (python-docx) and PDF (reportlab) in the Council of
Europe's letter layout, filed as the Party's documents and recorded in the log (`send_letter`).
A feature app adds the placeholders of its kinds of case with `register_placeholders` (the round
of a submission, the report of a follow-up) from its AppConfig.ready().
"""

import datetime
import io
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode, VariableNode
from django.template.defaulttags import IfNode
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from . import access, cases, printing
from .history import set_author
from .models import Case, Correspondence, Document, Language, LetterTemplate, Party, Role, User, localized

SENDER = gettext_lazy("Secretariat of the Lanzarote Committee")
SENDER_ADDRESS = gettext_lazy("Council of Europe, F-67075 Strasbourg Cedex")

# The placeholders every letter may use (name → what it holds).
PLACEHOLDERS: dict[str, Any] = {
    "party": gettext_lazy("the Party's name"),
    "case": gettext_lazy("the case's title"),
    "case_kind": gettext_lazy("the kind of case (submission, follow-up …)"),
    "state": gettext_lazy("the case's state now"),
    "due_date": gettext_lazy("the case's due date, if any"),
    "handler": gettext_lazy("the name of the Secretariat officer handling the case"),
    "secretariat": gettext_lazy("“Secretariat of the Lanzarote Committee”"),
    "today": gettext_lazy("today's date"),
    "message": gettext_lazy("the message written with the letter (a return, a request)"),
    "deadline": gettext_lazy("the date asked for in the letter (a request for information)"),
}

ContextFiller = Callable[[Case], Mapping[str, str]]


@dataclass(frozen=True)
class _KindPlaceholders:
    names: Mapping[str, Any]
    fill: ContextFiller


_KIND_PLACEHOLDERS: dict[str, _KindPlaceholders] = {}


def register_placeholders(kind: str, names: Mapping[str, Any], fill: ContextFiller) -> None:
    """Let letters about cases of `kind` use `names` (name → description), filled by `fill(case)`,
    which runs in the letter's language."""
    _KIND_PLACEHOLDERS[kind] = _KindPlaceholders(names, fill)


def placeholders() -> dict[str, Any]:
    """Every placeholder a letter template may use, with what it holds."""
    names = dict(PLACEHOLDERS)
    for registered in _KIND_PLACEHOLDERS.values():
        names.update(registered.names)
    return names


class LetterError(ValidationError):
    """A letter template that cannot be used as written (unknown placeholder, syntax error)."""


# --- the template sandbox ------------------------------------------------------------------------

# No loader, no library to {% load %}: a template holds text, placeholders and {% if %} only.
_ENGINE = Engine(loaders=[], libraries={}, autoescape=False, debug=False)


def _check_nodes(nodes, allowed: set[str]) -> None:
    for node in nodes:
        if isinstance(node, TextNode):
            # Django reads an unclosed "{{ party" as text; in a letter it is a typing error.
            if "{{" in node.s or "{%" in node.s:
                raise LetterError(
                    _("The template cannot be read: a placeholder or a tag is not closed near “%(text)s”.")
                    % {"text": node.s.strip()[:40]}
                )
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, allowed)
        elif isinstance(node, IfNode):
            for condition, nodelist in node.conditions_nodelists:
                if condition is not None:
                    _check_condition(condition, allowed)
                _check_nodes(nodelist, allowed)
        else:
            raise LetterError(
                _("Only placeholders such as {{ party }} and {%% if %%} may be used, not %(tag)s.")
                % {"tag": _tag_name(node)}
            )


def _tag_name(node) -> str:
    token = getattr(node, "token", None)
    return f"{{% {token.contents} %}}" if token is not None else type(node).__name__


def _check_expression(expression, allowed: set[str]) -> None:
    _check_variable(expression.var, allowed)
    for _filter, arguments in expression.filters:
        for is_variable, argument in arguments:
            if is_variable:
                _check_variable(argument, allowed)


def _check_variable(variable, allowed: set[str]) -> None:
    lookups = getattr(variable, "lookups", None)
    if lookups is None:  # a literal: "text" or 3
        return
    if len(lookups) != 1 or lookups[0] not in allowed:
        raise LetterError(
            _("Unknown placeholder {{ %(name)s }}. Available: %(available)s.")
            % {"name": ".".join(lookups), "available": ", ".join(sorted(allowed))}
        )


def _check_condition(condition, allowed: set[str]) -> None:
    # {% if %} conditions are trees of operators whose leaves hold filter expressions.
    for part in ("first", "second"):
        child = getattr(condition, part, None)
        if child is not None:
            _check_condition(child, allowed)
    value = getattr(condition, "value", None)
    if value is not None and hasattr(value, "var"):
        _check_expression(value, allowed)


def check_template(text: str, allowed: set[str] | None = None):
    """The compiled template, or LetterError saying what is wrong with it."""
    allowed = set(placeholders()) if allowed is None else allowed
    try:
        template = _ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        raise LetterError(_("The template cannot be read: %(error)s") % {"error": error}) from None
    _check_nodes(template.nodelist, allowed)
    return template


def _render(text: str, context: Mapping[str, str]) -> str:
    template = check_template(text)
    try:
        return template.render(Context(dict(context), autoescape=False))
    except Exception as error:  # a filter given a bad argument, for instance
        raise LetterError(_("The template cannot be filled: %(error)s") % {"error": error}) from None


def render_letter(template: LetterTemplate, context: Mapping[str, str]) -> tuple[str, str]:
    """The letter's subject and text, `template` filled with `context` (see `letter_context`)."""
    subject = " ".join(_render(template.subject, context).split())
    body = _render(template.body, context).strip()
    return subject, body


# --- the letter's data ---------------------------------------------------------------------------


def format_date(date: datetime.date | None, language: str) -> str:
    if date is None:
        return ""
    with translation.override(language):
        return formats.date_format(date, "j F Y")


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def letter_context(case: Case, language: str = Language.ENGLISH, **extra: Any) -> dict[str, str]:
    """The placeholders' values for a letter about `case` in `language`, plus `extra` (the message
    of a return, the date asked for …; dates are written out in the language)."""
    with translation.override(language):
        try:
            kind: cases.CaseKind | None = cases.kind_of(case)
        except KeyError:  # a kind no installed app declares (any more)
            kind = None
        context = {
            "party": localized(case.party, "name"),
            "case": localized(case, "title"),
            "case_kind": str(kind.label) if kind else case.kind,
            "state": kind.state_label(case.state) if kind else case.state,
            "due_date": format_date(case.due_date, language),
            "handler": person_name(case.handler),
            "secretariat": str(SENDER),
            "today": format_date(timezone.localdate(), language),
            "message": "",
            "deadline": "",
        }
        if registered := _KIND_PLACEHOLDERS.get(case.kind):
            context.update({name: "" for name in registered.names})
            context.update(registered.fill(case))
    for name, value in extra.items():
        if isinstance(value, datetime.date):
            value = format_date(value, language)
        context[name] = "" if value is None else str(value)
    return context


def default_language(party: Party) -> str:
    """The language of the Party's coordinators (the most common), or English."""
    languages = list(
        User.objects.filter(party=party, role=Role.STATE_COORDINATOR, is_active=True).values_list(
            "language", flat=True
        )
    )
    if not languages:
        return Language.ENGLISH
    return max(sorted(set(languages)), key=languages.count)


def template_for(letter: str, language: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(letter=letter, language=language).first()
    if template is None:
        raise LetterError(
            _("There is no template for this letter in this language; add it under Letter templates.")
        )
    return template


# --- the letter printed --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedLetter:
    """A letter laid out for printing: who writes, to whom, when, about what, and who signs."""

    language: str
    date: datetime.date
    recipient: str
    subject: str
    body: str
    signatory: str

    @property
    def labels(self) -> dict[str, str]:
        with translation.override(self.language):
            return {
                "sender": str(SENDER),
                "address": str(SENDER_ADDRESS),
                "date": _("Strasbourg, %(date)s") % {"date": format_date(self.date, self.language)},
                "recipient": _("To the authorities of %(party)s") % {"party": self.recipient},
                "subject": _("Subject: %(subject)s") % {"subject": self.subject},
                "signature": str(SENDER),
            }


def printed_letter(case: Case, subject: str, body: str, language: str) -> PrintedLetter:
    with translation.override(language):
        party = localized(case.party, "name")
    return PrintedLetter(
        language=language,
        date=timezone.localdate(),
        recipient=party,
        subject=subject,
        body=body,
        signatory=person_name(case.handler),
    )


def letter_docx(letter: PrintedLetter) -> bytes:
    """The letter as a Word document: sender block, date, recipient, subject, text, signature."""
    labels = letter.labels
    document = docx.Document()
    document.core_properties.title = printing.clean(letter.subject)
    document.core_properties.language = letter.language
    sender = document.add_paragraph()
    run = sender.add_run(labels["sender"])
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0x00, 0x33, 0x66)
    sender.add_run("\n" + labels["address"]).font.size = Pt(9)
    document.add_paragraph(labels["date"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(printing.clean(labels["recipient"]))
    document.add_paragraph().add_run(printing.clean(labels["subject"])).bold = True
    for paragraph in _paragraphs(letter.body):
        document.add_paragraph(printing.clean(paragraph))
    closing = document.add_paragraph()
    closing.paragraph_format.space_before = Pt(24)
    if letter.signatory:
        closing.add_run(printing.clean(letter.signatory)).bold = True
        closing.add_run("\n")
    closing.add_run(labels["signature"])
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def letter_pdf(letter: PrintedLetter) -> bytes:
    """The letter as an A4 PDF, in the same layout as the DOCX."""
    labels = letter.labels
    styles = printing.styles()
    output = io.BytesIO()
    pdf = SimpleDocTemplate(
        output,
        pagesize=A4,
        title=printing.clean(letter.subject),
        author=str(SENDER),
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    flowables = [
        Paragraph(printing.markup(labels["sender"]), styles["sender"]),
        Paragraph(printing.markup(labels["address"]), styles["small"]),
        Spacer(1, 0.8 * cm),
        Paragraph(printing.markup(labels["date"]), styles["right"]),
        Spacer(1, 0.4 * cm),
        Paragraph(printing.markup(labels["recipient"]), styles["body"]),
        Spacer(1, 0.4 * cm),
        Paragraph(printing.markup(labels["subject"]), styles["bold"]),
        Spacer(1, 0.2 * cm),
        *(Paragraph(printing.markup(paragraph), styles["body"]) for paragraph in _paragraphs(letter.body)),
        Spacer(1, 1 * cm),
    ]
    if letter.signatory:
        flowables.append(Paragraph(printing.markup(letter.signatory), styles["bold"]))
    flowables.append(Paragraph(printing.markup(labels["signature"]), styles["body"]))
    pdf.build(flowables)
    return output.getvalue()


def _paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; a single line break stays inside its paragraph."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


# --- the log ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentLetter:
    correspondence: Correspondence
    pdf: Document
    docx: Document


def _check_case_party(party: Party, case: Case | None) -> None:
    if case is not None and case.party_id != party.pk:
        raise ValidationError({"case": _("This case is not about this Party.")})


@transaction.atomic
def record_incoming(
    *,
    party: Party,
    case: Case | None,
    kind: str,
    date: datetime.date,
    subject: str,
    body: str = "",
    sender: str = "",
    document: Document | None = None,
    language: str = Language.ENGLISH,
    by: User,
) -> Correspondence:
    """Record a letter or an e-mail a Party sent, with its document, in the Party's log."""
    if not access.is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat records correspondence."))
    if kind not in Correspondence.INCOMING:
        raise ValidationError({"kind": _("Record a letter or an e-mail received.")})
    _check_case_party(party, case)
    if document is not None and document.party_id not in (None, party.pk):
        raise ValidationError({"document": _("This document belongs to another Party.")})
    item = Correspondence(
        party=party,
        case=case,
        kind=kind,
        date=date,
        subject=subject,
        body=body,
        sender=sender,
        document=document,
        language=language,
        recorded_by=by,
    )
    item.full_clean()
    set_author(item, by, _("recorded"))
    item.save()
    return item


@transaction.atomic
def correct_incoming(item: Correspondence, *, by: User) -> Correspondence:
    """Save a correction of an incoming item (its date, text, document, case); what the system
    sent is never changed."""
    if not access.is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat records correspondence."))
    if not item.is_incoming:
        raise ValidationError(_("What the system sent is kept as it was sent."))
    _check_case_party(item.party, item.case)
    if item.document is not None and item.document.party_id not in (None, item.party_id):
        raise ValidationError({"document": _("This document belongs to another Party.")})
    item.full_clean()
    set_author(item, by, _("corrected"))
    item.save()
    return item


def _letter_document(case: Case, subject: str, language: str, extension: str, content: bytes):
    today = timezone.localdate()
    reference = (
        f"LC-LETTER-{case.party.code}-{today:%Y%m%d}-{uuid.uuid4().hex[:8].upper()}-{extension.upper()}"
    )
    document = Document(
        reference=reference,
        title=subject[:300],
        # Letters are filed as "Other": a kind of their own would need a migration.
        kind=Document.Kind.OTHER,
        date=today,
        language=language,
        party=case.party,
    )
    document.file.save(f"{reference.lower()}.{extension}", ContentFile(content), save=False)
    return document


@transaction.atomic
def send_letter(
    case: Case,
    letter: str,
    language: str,
    *,
    by: User,
    extra: Mapping[str, Any] | None = None,
    subject: str | None = None,
    body: str | None = None,
) -> SentLetter:
    """Write the letter `letter` about `case` in `language` (from its template filled from the case
    and `extra`, or the `subject` and `body` as edited after the preview), file its PDF and DOCX as
    the Party's documents and record it in the Party's correspondence log."""
    if not access.is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat sends letters."))
    if letter not in LetterTemplate.Letter.values:
        raise ValidationError({"letter": _("Choose one of the standard letters.")})
    if language not in Language.values:
        raise ValidationError({"language": _("Choose English or French.")})
    if subject is None or body is None:
        rendered = render_letter(
            template_for(letter, language), letter_context(case, language, **(extra or {}))
        )
        subject = rendered[0] if subject is None else subject
        body = rendered[1] if body is None else body
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise ValidationError(_("A letter needs a subject and a text."))
    printed = printed_letter(case, subject, body, language)
    documents = []
    for extension, content in (("pdf", letter_pdf(printed)), ("docx", letter_docx(printed))):
        document = _letter_document(case, subject, language, extension, content)
        document.full_clean()
        set_author(document, by, _("letter generated"))
        document.save()
        documents.append(document)
    pdf, word = documents
    item = Correspondence(
        party=case.party,
        case=case,
        kind=Correspondence.Kind.LETTER_SENT,
        subject=subject[:300],
        body=body,
        sender=person_name(by),
        recipients=printed.labels["recipient"],
        language=language,
        letter=letter,
        document=pdf,
        recorded_by=by,
    )
    set_author(item, by, _("letter sent"))
    item.save()
    return SentLetter(item, pdf, word)


# --- the standard letters ------------------------------------------------------------------------

DEFAULT_TEMPLATES = Path(settings.BASE_DIR) / "fixtures" / "letter_templates.json"


@transaction.atomic
def load_default_templates(path: Path = DEFAULT_TEMPLATES) -> int:
    """Create the standard letters' templates missing from the database; those the Secretariat
    has (edited or not) are left as they are. Returns how many were created."""
    created = 0
    for entry in json.loads(path.read_text(encoding="utf-8")):
        template = LetterTemplate(**{name: entry[name] for name in ("letter", "language", "subject", "body")})
        if LetterTemplate.objects.filter(letter=template.letter, language=template.language).exists():
            continue
        template.full_clean()
        check_template(template.subject)
        check_template(template.body)
        set_author(template, None, "reference data")
        template.save()
        created += 1
    return created


# --- e-mailing a letter (optional, a one-off staff action) ---------------------------------------


def letter_recipients(party: Party) -> list[str]:
    """The addresses a letter to `party` is e-mailed to: its active State coordinators'."""
    return sorted(
        set(
            User.objects.filter(party=party, role=Role.STATE_COORDINATOR, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


@transaction.atomic
def email_letter(sent: SentLetter, *, by: User) -> list[str]:
    """E-mail the letter (its text, the PDF attached) to the Party's coordinators through Django's
    mail backend, and record the addresses on the log's item. Returns them (none: nothing sent).
    A failing mail server raises (smtplib/OSError errors): the letter itself stays recorded."""
    if not access.is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat sends letters."))
    item = sent.correspondence
    recipients = letter_recipients(item.party)
    if not recipients:
        return []
    message = EmailMessage(subject=item.subject, body=item.body, to=recipients)
    message.attach(
        Path(sent.pdf.file.name or "letter.pdf").name, sent.pdf.file.open("rb").read(), "application/pdf"
    )
    message.send()
    item.recipients = "\n".join([item.recipients, *recipients]).strip()
    set_author(item, by, _("e-mailed"))
    item.save(update_fields=["recipients"])
    return recipients
