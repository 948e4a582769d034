"""Compliance reports in the admin: the list, the conclusions in English and French side by side with
the Parties' statuses (live while in preparation, as adopted afterwards), the *Adopt…* page, and the
recommendations' action "Prepare a compliance report". Every change goes through
recommendations.compliance_reports (the services a meeting's decision calls too)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat.admin_base import ScopedAdmin, short_label_filter

from .. import compliance_reports
from ..access import may_adopt_compliance_report, may_edit_compliance_report, may_prepare_compliance_report
from ..models import ComplianceReport

ADOPT_URL = "admin:recommendations_compliancereport_adopt"


class ComplianceReportForm(forms.ModelForm):
    class Meta:
        model = ComplianceReport
        fields = ["text_en", "text_fr"]

    def clean(self):
        data = super().clean()
        if self.instance.is_adopted:
            raise ValidationError(_("This compliance report is adopted: it can no longer change."))
        return data


class AdoptComplianceReportForm(forms.Form):
    adopted_on = forms.DateField(label=capfirst(_("adopted on")), widget=AdminDateWidget)


@admin.register(ComplianceReport)
class ComplianceReportAdmin(ScopedAdmin):
    form = ComplianceReportForm
    change_form_template = "admin/recommendations/compliancereport/change_form.html"
    list_display = ["title_column", "status", "adopted_on"]
    list_display_links = ["title_column"]
    list_filter = ["status", ("recommendation__report", short_label_filter("short_title", "round"))]
    list_select_related = ["recommendation__report__round"]
    search_fields = ["recommendation__number"]
    fields = [
        "recommendation",
        ("text_en", "text_fr"),  # side by side
        ("translation_en", "translation_fr"),
        "status",
        "adopted_on",
        "decision",
        "adoption",
    ]
    readonly_fields = [
        "recommendation",
        "translation_en",
        "translation_fr",
        "status",
        "adopted_on",
        "decision",
    ]
    readonly_fields += ["adoption"]
    # Not the admin's wide text area: the two languages side by side on one line.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 12, "cols": 40})}}

    def get_queryset(self, request):
        # Change pages name the recommendation (and its report's round) and the decision's item.
        return super().get_queryset(request).select_related("recommendation__report__round", "decision__item")

    def get_urls(self):
        adopt = path(
            "<path:object_id>/adopt/", self.admin_site.admin_view(self.adopt_view), name=ADOPT_URL[6:]
        )
        return [adopt, *super().get_urls()]

    def has_add_permission(self, request):
        # Prepared on a recommendation (its action), where the rules are checked.
        return False

    def has_change_permission(self, request, obj=None):
        allowed = obj is None or may_edit_compliance_report(request.user, obj)
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A report prepared by mistake may go; an adopted one is the Committee's record.
        allowed = may_edit_compliance_report(request.user, obj)
        return allowed and super().has_delete_permission(request, obj)

    @admin.display(description=_("compliance report"), ordering="recommendation__number")
    def title_column(self, obj: ComplianceReport) -> str:
        return f"{obj.recommendation.number} — {obj.recommendation.report.short_title}"

    @admin.display(description=_("adoption"))
    def adoption(self, obj: ComplianceReport) -> str:
        if obj is None or not obj.pk or obj.is_adopted:
            return "—"
        url = reverse(ADOPT_URL, args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Adopt the compliance report…"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["party_statuses"] = compliance_reports.party_statuses(obj, request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        compliance_reports.compliance_report_save(
            report=obj, by=request.user, text_en=data["text_en"], text_fr=data["text_fr"]
        )

    def adopt_view(self, request, object_id):
        """Adopt outside a meeting (a meeting's decision calls the same service): the day."""
        report = self.get_object(request, object_id)
        if report is None:
            raise Http404
        if not (may_adopt_compliance_report(request.user) and self.has_view_permission(request, report)):
            raise PermissionDenied
        change_url = reverse("admin:recommendations_compliancereport_change", args=[report.pk])
        if report.is_adopted:
            messages.info(request, _("This compliance report is already adopted."))
            return redirect(change_url)
        form = AdoptComplianceReportForm(request.POST or None, initial={"adopted_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                compliance_reports.compliance_report_adopt(
                    report=report, by=request.user, **form.cleaned_data
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, _("The compliance report is adopted."))
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Adopt %(report)s") % {"report": report},
            "report": report,
            "party_statuses": compliance_reports.party_statuses(report, request.user),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/recommendations/compliancereport/adopt.html", context)


class Refused(Exception):
    """A service's refusal, in its own words (a ValidationError prints as a list)."""


def _prepare(recommendation, user) -> ComplianceReport:
    try:
        return compliance_reports.compliance_report_prepare(recommendation=recommendation, by=user)
    except ValidationError as refusal:
        raise Refused(" ".join(refusal.messages)) from refusal


class CompliancePreparationMixin:
    """The recommendations' action "Prepare a compliance report" (compliance_report_prepare on each)."""

    def has_prepare_compliance_report_permission(self, request) -> bool:
        return may_prepare_compliance_report(request.user) and request.user.has_perm(
            "recommendations.add_compliancereport"
        )

    @admin.action(
        description=_("Prepare a compliance report on the selected recommendations"),
        permissions=["prepare_compliance_report"],
    )
    def prepare_compliance_report(self, request, queryset):
        self.apply_each(
            request,
            queryset.select_related("report"),
            lambda recommendation: _prepare(recommendation, request.user),
            refusals=(PermissionDenied, Refused),
            done_message=lambda count: (
                ngettext(
                    "%(count)d compliance report prepared: write its conclusions.",
                    "%(count)d compliance reports prepared: write their conclusions.",
                    count,
                )
                % {"count": count}
            ),
        )
