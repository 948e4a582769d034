"""The portal's forms for children's views: a contribution, a quote, the activity's report.

The model validates the counts (age bands and genders add up to the number of children), the
Party (it takes part in the round) and the dates; the services (monitoring.participation) check
who may write and what a quote may say. A form only shows those refusals beside its fields.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from secretariat.forms import MARKDOWN_HELP

from ..models import AGE_BANDS, GENDERS, ChildParticipation, ChildParticipationReport, ChildQuote
from .forms import question_choices

AGE_FIELDS = [name for name, _label in AGE_BANDS]
GENDER_FIELDS = [name for name, _label in GENDERS]
#: The fields of a contribution its organisation writes (round, Party and organisation are set at creation).
CONTRIBUTION_FIELDS = [
    "title",
    "method",
    "started_on",
    "ended_on",
    "children_count",
    *AGE_FIELDS,
    *GENDER_FIELDS,
    "questions",
    "sections",
    "consent_given_by",
    "consent_description",
    "how_informed",
    "feedback_to_children",
    "ethics_review",
    "summary",
]


class ErrorsBesideFields:
    """A model's or a service's refusal shown beside the field it names, on top of the form when
    the form has no such field (Django would raise instead): `form.add_error(None, error)`."""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            placed: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                placed.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(errors)
            error = ValidationError(placed)
        super().add_error(field, error)


class ContributionForm(ErrorsBesideFields, forms.ModelForm):
    """What an organisation tells of its activity: counts, method, dates, questions, consent, summary.

    `questions` and `sections` offer the round's numbered questions and themes only (passed in,
    read through the access module by the view)."""

    class Meta:
        model = ChildParticipation
        fields = CONTRIBUTION_FIELDS
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "questions": forms.CheckboxSelectMultiple,
            "sections": forms.CheckboxSelectMultiple,
            "consent_description": forms.Textarea(attrs={"rows": 3}),
            "how_informed": forms.Textarea(attrs={"rows": 3}),
            "feedback_to_children": forms.Textarea(attrs={"rows": 3}),
            "ethics_review": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, questions, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions
        self.fields["questions"].label_from_instance = lambda node: question_choices([node])[0][1]
        self.fields["sections"].queryset = sections
        self.fields["summary"].help_text = f"{self.fields['summary'].help_text} {MARKDOWN_HELP}"
        for name in (*AGE_FIELDS, *GENDER_FIELDS):
            self.fields[name].widget.attrs["min"] = 0

    @property
    def age_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in AGE_FIELDS]

    @property
    def gender_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in GENDER_FIELDS]

    def service_fields(self) -> dict:
        """The cleaned values the services take as keywords (the many-to-many ones apart)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("questions", "sections", "party")
        }


class ContributionCreateForm(ContributionForm):
    """A new contribution also names the Party where the children live, among the round's Parties."""

    class Meta(ContributionForm.Meta):
        fields = ["party", *CONTRIBUTION_FIELDS]

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["party"].error_messages["invalid_choice"] = _(
            "This Party does not take part in the round: choose one of the round's Parties."
        )


class QuoteForm(ErrorsBesideFields, forms.ModelForm):
    """A quote of the children: its words, language, optional age band and the questions it speaks to."""

    class Meta:
        model = ChildQuote
        fields = ["text", "language", "age_band", "questions"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "questions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions
        self.fields["questions"].label_from_instance = lambda node: question_choices([node])[0][1]
        self.fields["text"].help_text = _(
            "The child's own words. No name, school, place, age with a place, e-mail, phone number "
            "or social-media handle: the Secretariat checks every quote before registering it."
        )


class ReportForm(ErrorsBesideFields, forms.ModelForm):
    """The activity's report as a file; the model's validators check its type, content and size."""

    class Meta:
        model = ChildParticipationReport
        fields = ["file", "title"]
