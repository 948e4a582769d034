from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Question

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


class CompilationForm(forms.Form):
    question = forms.ChoiceField(label=_("Question"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", "PDF"), ("docx", _("Word (DOCX)")), ("html", "HTML")]
    )
    reference = forms.CharField(
        label=_("Document reference"),
        max_length=60,
        required=False,
        help_text=_(
            "For example T-ES(2018)21_bil rev.2. Left empty, one is made from the round and question."
        ),
    )
    include_drafts = forms.BooleanField(
        label=_("Draft preview"),
        required=False,
        help_text=_("Include submissions not yet registered; the document is marked as a draft preview."),
    )
    include_confidential = forms.BooleanField(
        label=_("Include confidential material"),
        required=False,
        help_text=_("Submissions whose authors refused publication. Never for publication."),
    )
    include_children = forms.BooleanField(
        label=_("Include children's views"),
        required=False,
        help_text=_(
            "After each question's replies, a separate section with the children consulted (counts of "
            "fewer than 5 not shown separately) and the quotes cleared for use, from registered child "
            "participation contributions."
        ),
    )

    background = forms.BooleanField(
        label=_("Prepare in the background"),
        required=False,
        help_text=_(
            "For the whole round: the worker prepares the file and tells you when it is ready "
            "(Generated documents). One question is always downloaded at once."
        ),
    )

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("Whole round, question by question"))] + [
            (question.ref, f"{question.ref}. {question.text.splitlines()[0] if question.text else ''}"[:100])
            for question in questions
        ]
