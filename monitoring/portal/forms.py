"""The forms of the State portal: replies, sending a submission, filing a document.

Choices (the refs a reply answers, the replies it may point to) are passed in as plain lists
built from the questionnaire already in memory, so rendering dozens of forms costs no query.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from secretariat import services as secretariat_services
from secretariat.forms import MARKDOWN_HELP, WithAttachment
from secretariat.models import Document, User
from secretariat.text import plain_text

from .. import services
from ..models import Language, Question, Reply, ReplyAttachment


def question_choices(nodes: list[Question]) -> list[tuple[int, str]]:
    """One checkbox per node: '1.1.a  self-generated sexual content?'."""
    return [(node.pk, f"{node.ref} – {_first_line(node.text)}") for node in nodes]


def reply_choices(replies: list[Reply], exclude: Reply | None = None) -> list[tuple[str | int, str]]:
    choices: list[tuple[str | int, str]] = [("", _("(none)"))]
    for reply in replies:
        if exclude is None or reply.pk != exclude.pk:
            # the stored excerpt: plain text on one line
            choices.append((reply.pk, f"{reply} – {Truncator(reply.text_excerpt).chars(80)}"))
    return choices


def _first_line(text: str, length: int = 80) -> str:
    """The first line of a text with Markdown and HTML removed, cut to `length`."""
    text = plain_text(text).strip()
    return Truncator(text.splitlines()[0] if text else "").chars(length)


class ReplyForm(WithAttachment, forms.Form):
    """Write a reply: text (Markdown), language, the refs it answers, a pointer, an attachment."""

    attachment_model = ReplyAttachment
    attachment_parent = "reply"

    text = forms.CharField(
        label=_("Reply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    language = forms.ChoiceField(label=_("Language of the reply"), choices=Language.choices)
    questions = forms.TypedMultipleChoiceField(
        label=_("This reply answers"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    see_reply = forms.TypedChoiceField(
        label=_("See reply"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Instead of repeating a text, point to another reply: “See reply to question 16.1.”"),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    attachment_title = forms.CharField(label=_("Title of the attachment"), required=False, max_length=200)

    def __init__(self, *args, question_choices: list, reply_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = question_choices
        self.fields["see_reply"].choices = reply_choices
        self.new_attachment: ReplyAttachment | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        if not (cleaned.get("text", "").strip() or cleaned.get("see_reply") or cleaned.get("attachment")):
            raise ValidationError(_("Write a reply, point to another reply, or attach a file."))
        self.new_attachment = self.checked_attachment(cleaned)
        return cleaned

    def reply_input(self) -> services.ReplyInput:
        return services.ReplyInput(
            text=self.cleaned_data["text"],
            language=self.cleaned_data["language"],
            question_ids=self.cleaned_data["questions"],
            see_reply_id=self.cleaned_data["see_reply"],
        )

    @transaction.atomic
    def save(
        self, *, submission, by, reply: Reply | None = None, based_on_version: int | None = None
    ) -> Reply:
        """Save through services.reply_save, then keep the attachment with the reply (all or nothing)."""
        reply = services.reply_save(
            submission=submission,
            by=by,
            data=self.reply_input(),
            reply=reply,
            based_on_version=based_on_version,
        )
        if self.new_attachment is not None:
            services.attachment_add(reply=reply, attachment=self.new_attachment, by=by)
        return reply


class ReplyEditForm(ReplyForm):
    """Editing carries the version the editor opened, so a concurrent save is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the Secretariat (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentForm(forms.ModelForm):
    """A document a State or a stakeholder files: an uploaded file or a link, with its reference code."""

    class Meta:
        model = Document
        fields = ["reference", "title", "kind", "date", "language", "file", "url"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def file_for(self, *, by: User) -> Document:
        """File it through the service, which ties it to the author's own Party or organisation."""
        return secretariat_services.document_file(document=self.save(commit=False), by=by)
