"""The update form of the State portal: what a State (or a stakeholder) reports on a recommendation."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.models import User

from . import services
from .models import FollowUp, FollowUpUpdate, ReportedStatus, UpdateAttachment

# Where the model's errors go on the form.
_FORM_FIELD = {"file": "attachment", "title": "attachment_title"}


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Measures taken"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown: *italics*, **bold**, lists with “-”, links. HTML is cleaned before it is shown."
        ),
    )
    measures_date = forms.DateField(
        label=_("Date of the measures"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line: laws, reports, web pages."),
    )
    reported_status = forms.ChoiceField(
        label=_("Where the measures stand"),
        choices=[
            (value, label) for value, label in ReportedStatus.choices if value != ReportedStatus.NOT_REPORTED
        ],
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    attachment_title = forms.CharField(label=_("Title of the attachment"), required=False, max_length=200)

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validate = forms.URLField().clean
        for line in lines:
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(_("“%(line)s” is not a web address."), params={"line": line}) from None
        return "\n".join(lines)

    def clean(self) -> dict:
        cleaned = super().clean()
        self.new_attachment = None
        if upload := cleaned.get("attachment"):
            attachment = UpdateAttachment(file=upload, title=cleaned.get("attachment_title", ""))
            try:
                # The model's validators decide which files are accepted (type, content, size).
                attachment.full_clean(exclude=["update"])
            except ValidationError as error:
                self.add_model_errors(error)
            else:
                self.new_attachment = attachment
        return cleaned

    def add_model_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            target = _FORM_FIELD.get(field, field)
            self.add_error(target if target in self.fields else None, messages)

    @transaction.atomic
    def save(self, *, follow_up: FollowUp, by: User) -> FollowUpUpdate:
        """Submit the update through the service (which checks who may report), with its attachment."""
        data = self.cleaned_data
        update = services.update_submit(
            follow_up=follow_up,
            by=by,
            text=data["text"],
            reported_status=data["reported_status"],
            measures_date=data["measures_date"],
            links=data["links"],
        )
        if self.new_attachment is not None:
            services.update_attachment_add(update=update, attachment=self.new_attachment, by=by)
        return update
