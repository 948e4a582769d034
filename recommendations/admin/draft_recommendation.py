"""*Draft a recommendation from this finding*: the finding admin's page calling
`drafting.recommendation_draft` (numbered next in the chapter, addressed to the Parties the
finding cites unless the Secretariat names others). Recommendations are the Secretariat's
(`may_draft_report`); a refusal shows on the form and nothing is saved."""

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from secretariat import access
from secretariat.models import ConventionArticle, Party, User

from .. import drafting
from ..access import may_draft_report
from ..models import URGENCY_DEFINITIONS, Finding, FindingCitation, Recommendation, Urgency


def _urgency_choices() -> list[tuple[str, str]]:
    # Each urgency with its definition: the drafter chooses by what it commits the Parties to.
    return [(value, f"{label} – {URGENCY_DEFINITIONS[Urgency(value)]}") for value, label in Urgency.choices]


class DraftRecommendationForm(forms.Form):
    urgency = forms.ChoiceField(label=capfirst(_("urgency")), widget=forms.RadioSelect)
    legal_basis = forms.CharField(
        label=capfirst(_("legal basis")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_(
            "Required when the Committee requires or requests: the provision the Parties must apply."
        ),
    )
    addressed_to_all = forms.BooleanField(
        label=capfirst(_("addressed to all Parties")),
        required=False,
        help_text=_("All the Parties taking part in the report's round; otherwise the named Parties."),
    )
    addressees = forms.ModelMultipleChoiceField(
        label=capfirst(_("named Parties")),
        queryset=Party.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("Parties"), is_stacked=False),
        help_text=_("Proposed: the Parties whose replies the finding cites."),
    )
    articles = forms.ModelMultipleChoiceField(
        label=capfirst(_("Convention articles")),
        queryset=ConventionArticle.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("articles"), is_stacked=False),
    )
    text_en = forms.CharField(
        label=capfirst(_("text (English)")), widget=forms.Textarea(attrs={"rows": 8, "cols": 40})
    )
    text_fr = forms.CharField(
        label=capfirst(_("text (French)")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 40}),
    )

    def __init__(self, *args, finding: Finding, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = _urgency_choices()
        self.fields["addressees"].queryset = access.scoped(Party, user).order_by("name_en")
        self.fields["articles"].queryset = access.scoped(ConventionArticle, user).order_by("number")
        if not self.is_bound:
            cited = access.scoped(FindingCitation, user).filter(finding=finding, party__isnull=False)
            cited = cited.values("party")
            self.initial["addressees"] = list(self.fields["addressees"].queryset.filter(pk__in=cited))
            self.initial["articles"] = list(finding.chapter.articles.all())

    def clean(self) -> dict:
        data = super().clean()
        if (
            not data.get("addressed_to_all")
            and not data.get("addressees")
            and "addressees" not in self.errors
        ):
            self.add_error(
                "addressees", _("Name the Parties the recommendation addresses, or address all Parties.")
            )
        return data


class RecommendationDraftMixin:
    """The finding admin's *Draft a recommendation* page and button."""

    def get_urls(self):
        draft = path(
            "<path:object_id>/draft-recommendation/",
            self.admin_site.admin_view(self.draft_recommendation_view),
            name="recommendations_finding_draft_recommendation",
        )
        return [draft, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and may_draft_report(request.user, obj.chapter.report):
            context["draft_recommendation_url"] = reverse(
                "admin:recommendations_finding_draft_recommendation", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def draft_recommendation_view(self, request, object_id):
        finding = self.get_object(request, object_id)
        if finding is None:
            raise Http404
        if not may_draft_report(request.user, finding.chapter.report):
            raise PermissionDenied
        form = DraftRecommendationForm(request.POST or None, finding=finding, user=request.user)
        if request.method == "POST" and form.is_valid():
            recommendation = self._draft(form, finding, request.user)
            if recommendation is not None:
                messages.success(
                    request, _("Recommendation %(number)s drafted.") % {"number": recommendation.number}
                )
                return redirect("admin:recommendations_recommendation_change", recommendation.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Draft a recommendation from %(finding)s") % {"finding": finding},
            "finding": finding,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/recommendations/draft_recommendation.html", context)

    @staticmethod
    def _draft(form: DraftRecommendationForm, finding: Finding, user: User) -> Recommendation | None:
        """The service's draft, or None with its refusal on the form (nothing saved)."""
        data = form.cleaned_data
        try:
            return drafting.recommendation_draft(
                finding=finding,
                by=user,
                urgency=data["urgency"],
                legal_basis=data["legal_basis"],
                addressed_to_all=data["addressed_to_all"],
                addressees=[] if data["addressed_to_all"] else data["addressees"],
                articles=data["articles"],
                text_en=data["text_en"],
                text_fr=data["text_fr"],
            )
        except drafting.InvalidDraft as refusal:
            form.add_error(refusal.field or None, str(refusal))
        except (PermissionDenied, ValidationError) as refusal:
            form.add_error(None, getattr(refusal, "messages", None) or str(refusal))
        return None
