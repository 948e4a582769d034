"""Adopting a report from its admin page, outside a meeting (the meeting's decision calls the same
service): the date, and the Secretariat's reason when texts are left to translate."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import drafting, services
from ..access import may_adopt_report


class AdoptReportForm(forms.Form):
    adoption_date = forms.DateField(label=capfirst(_("adoption date")), widget=AdminDateWidget)
    override_reason = forms.CharField(
        label=_("Reason for adopting with texts left to translate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Required while a title, finding or recommendation is left to translate; kept on the report."
        ),
    )


class ReportAdoptionMixin:
    """The report admin's *Adopt* page and link; the status and adoption date are the service's."""

    def get_urls(self):
        adopt = path(
            "<path:object_id>/adopt/",
            self.admin_site.admin_view(self.adopt_view),
            name="recommendations_implementationreport_adopt",
        )
        return [adopt, *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None or not obj.is_adopted:
            fields.append("adoption_date")  # set by the adoption, not typed in
        return fields

    def get_fieldsets(self, request, obj=None):
        # The Adopt button while in preparation; the override reason only where one was given.
        hidden = set()
        if obj is None or obj.is_adopted:
            hidden.add("adoption")
        if obj is None or not obj.untranslated_override_reason:
            hidden.add("untranslated_override_reason")
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("adoption"))
    def adoption(self, obj):
        if obj is None or not obj.pk or obj.is_adopted:
            return "—"
        url = reverse("admin:recommendations_implementationreport_adopt", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Adopt the report…"))

    def adopt_view(self, request, object_id):
        report = self.get_object(request, object_id)
        if report is None:
            raise Http404
        if not may_adopt_report(request.user):
            raise PermissionDenied
        change_url = reverse("admin:recommendations_implementationreport_change", args=[report.pk])
        if report.is_adopted:
            messages.info(request, _("This report is already adopted."))
            return redirect(change_url)
        left = drafting.left_to_translate(report=report, user=request.user)
        form = AdoptReportForm(request.POST or None, initial={"adoption_date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                done = services.report_adopt(report=report, by=request.user, **form.cleaned_data)
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                count = done["follow_ups"]
                messages.success(
                    request,
                    ngettext(
                        "Report adopted; %(count)d follow-up opened.",
                        "Report adopted; %(count)d follow-ups opened.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Adopt %(report)s") % {"report": report.short_title},
            "report": report,
            "left": left,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/recommendations/adopt_report.html", context)
