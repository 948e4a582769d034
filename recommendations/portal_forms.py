"""The update form of the State portal: what a State (or a stakeholder) reports on a recommendation."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.forms import MARKDOWN_HELP, WithAttachment
from secretariat.models import User

from . import services
from .models import FollowUp, FollowUpUpdate, ReportedStatus, UpdateAttachment


class UpdateForm(WithAttachment, forms.Form):
    attachment_model = UpdateAttachment
    attachment_parent = "update"

    text = forms.CharField(
        label=_("Measures taken"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
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
    # No status preselected: the State says where its measures stand (an empty choice to start from).
    reported_status = forms.ChoiceField(
        label=_("Where the measures stand"),
        choices=[
            ("", "---------"),
            *(
                (value, label)
                for value, label in ReportedStatus.choices
                if value != ReportedStatus.NOT_REPORTED
            ),
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
        self.new_attachment = self.checked_attachment(cleaned)
        return cleaned

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
