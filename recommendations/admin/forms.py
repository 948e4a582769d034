"""Forms of the follow-up admin pages: assessments, bulk status changes, requests for information."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from monitoring.models import Reply, Submission
from secretariat import access

from ..models import AssessedStatus, FollowUp, FollowUpUpdate

# Going back to "not yet assessed" is refused by the service; the forms do not offer it. They
# start on an empty choice: the assessor chooses a status, none is preselected for them.
ASSESSMENT_CHOICES = [
    ("", "---------"),
    *((value, label) for value, label in AssessedStatus.choices if value != AssessedStatus.NOT_ASSESSED),
]

_reasoning = forms.CharField(
    label=_("Reasoning"),
    widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    help_text=_("Why the Committee reaches this status. Markdown."),
)


class BulkAssessForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ASSESSMENT_CHOICES)
    reasoning = _reasoning


class RequestInformationForm(forms.Form):
    message = forms.CharField(
        label=_("What information is needed"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Shown to the authors of the updates in the State portal."),
    )


class UpdateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(date)s, %(author)s: %(status)s – %(excerpt)s") % {
            "date": date_format(timezone.localtime(obj.submitted_at), "SHORT_DATETIME_FORMAT"),
            "author": obj.organisation or obj.author,
            "status": obj.get_reported_status_display(),
            "excerpt": Truncator(obj.text_excerpt).chars(120),
        }


class ReplyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("Round %(round)s – %(reply)s") % {"round": obj.submission.round.number, "reply": obj}


class AssessForm(forms.Form):
    """One assessment of one follow-up; the evidence offered is what the assessor may see of that Party."""

    status = forms.ChoiceField(label=_("Status"), choices=ASSESSMENT_CHOICES)
    reasoning = _reasoning
    updates = UpdateChoiceField(
        label=_("Updates taken into account"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    replies = ReplyChoiceField(
        label=_("Registered replies"),
        queryset=None,
        required=False,
        widget=FilteredSelectMultiple(_("replies"), is_stacked=False),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=None,
        required=False,
        widget=FilteredSelectMultiple(_("documents"), is_stacked=False),
    )
    published = forms.BooleanField(
        label=_("Published"), required=False, help_text=_("Published assessments may be read by every Party.")
    )

    def __init__(self, *args, follow_up: FollowUp, user, **kwargs):
        super().__init__(*args, **kwargs)
        party = follow_up.party_id
        self.fields["updates"].queryset = (
            access.scoped(FollowUpUpdate, user)
            .filter(follow_up=follow_up)
            .select_related("author", "organisation")
            .defer("text", "text_html")
        )
        self.fields["replies"].queryset = (
            access.scoped(Reply, user)
            .filter(submission__party=party, submission__status=Submission.Status.REGISTERED)
            .select_related("submission__round")
            .prefetch_related("questions")
            .order_by("-submission__round__number", "order")
        )
        self.fields["documents"].queryset = access.documents_for(user).filter(party=party).order_by("-date")
