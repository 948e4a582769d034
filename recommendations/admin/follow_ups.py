"""Each Party's follow-up: its assessment form and the bulk status change.

Statuses change only through recommendations.services: the assessment form and the bulk action
call them; nothing here writes a status.
"""

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter, helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat import admin_base
from secretariat.admin_base import ReadOnlyInline, ScopedAdmin, deadline_cell

from .. import access as rules
from .. import meeting_items, services
from ..models import Assessment, FollowUp, FollowUpUpdate, overdue_q
from .forms import AssessForm, BulkAssessForm
from .reports import REPORT_FILTER

FOLLOW_UP_RELATED = ("follow_up__recommendation", "follow_up__party")


class OverdueFilter(admin_base.OverdueFilter):
    """Still addressed, past its reporting deadline and not in compliance (as FollowUp.is_overdue)."""

    @staticmethod
    def overdue_rows(queryset, *, today, late):
        return queryset.filter(overdue_q(today)) if late else queryset.exclude(overdue_q(today))


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = ["assessed_at", "previous_status", "status", "assessed_by", "published", "reasoning_excerpt"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Each row's title prints its follow-up (recommendation number and Party).
        queryset = super().get_queryset(request).select_related("assessed_by", *FOLLOW_UP_RELATED)
        return queryset.defer("reasoning", "reasoning_html")

    @admin.display(description=_("reasoning"))
    def reasoning_excerpt(self, obj):
        return Truncator(obj.reasoning_excerpt).chars(200)


class UpdateInline(ReadOnlyInline):
    model = FollowUpUpdate
    fields = ["submitted_at", "author", "organisation", "reported_status", "status", "excerpt", "assess_link"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("author", "organisation", *FOLLOW_UP_RELATED)
        return queryset.defer("text", "text_html")

    @admin.display(description=_("measures taken"))
    def excerpt(self, obj):
        return Truncator(obj.text_excerpt).chars(200)

    @admin.display(description=_("assess"))
    def assess_link(self, obj):
        return assess_link_for(obj)


def assess_url(follow_up_id: int, update_id: int | None = None) -> str:
    url = reverse("admin:recommendations_followup_assess", args=[follow_up_id])
    return f"{url}?update={update_id}" if update_id else url


def assess_link_for(update: FollowUpUpdate) -> str:
    if update.status == FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT:
        return "—"
    return format_html('<a href="{}">{}</a>', assess_url(update.follow_up_id, update.pk), _("Assess"))


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = [
        "recommendation_number",
        "party",
        "urgency",
        "assessed_status",
        "deadline_column",
        "active",
    ]
    list_display_links = ["recommendation_number", "party"]
    list_filter = [
        ("recommendation__report", REPORT_FILTER),
        "recommendation__urgency",
        "assessed_status",
        "reported_status",
        "active",
        OverdueFilter,
        ("party", RelatedOnlyFieldListFilter),
        ("carried_into", REPORT_FILTER),  # an earlier round's follow-ups going on under a later report
    ]
    list_select_related = ["recommendation", "party"]
    search_fields = ["recommendation__number", "party__code", "party__name_en", "party__name_fr"]
    fields = [
        "recommendation",
        "party",
        "deadline",
        "assessed_status",
        "assessed_at",
        "reported_status",
        "active",
        "carried_into",
        "closed",
        "assess_link",
    ]
    readonly_fields = [
        "recommendation",
        "party",
        "assessed_status",
        "assessed_at",
        "reported_status",
        "active",
        "carried_into",
        "closed",
        "assess_link",
    ]
    inlines = [AssessmentInline, UpdateInline]
    actions = ["change_status"]

    def has_add_permission(self, request):
        # Follow-ups are opened by the recommendation's addressees (services.recommendation_sync_follow_ups).
        return False

    def has_delete_permission(self, request, obj=None):
        # Retired, never deleted: the recorded work is kept.
        return False

    def has_assess_permission(self, request, obj=None) -> bool:
        """The model permission to change follow-ups, and the app's write rule (recommendations.access)."""
        return self.has_change_permission(request, obj) and rules.may_assess(request.user)

    def get_queryset(self, request):
        # Change pages print the recommendation and the Party too, not only the changelist.
        # ... and when and by which meeting's decision it was closed.
        related = ("recommendation", "party", meeting_items.CLOSING_RELATED)
        return super().get_queryset(request).select_related(*related)

    @admin.display(description=_("closed"))
    def closed(self, obj):
        return meeting_items.closing_note(obj) or "—"

    @admin.display(description=_("recommendation"), ordering="recommendation__order")
    def recommendation_number(self, obj):
        return obj.recommendation.number

    @admin.display(description=_("urgency"), ordering="recommendation__urgency")
    def urgency(self, obj):
        return obj.recommendation.get_urgency_display()

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_column(self, obj):
        return deadline_cell(obj.deadline, overdue=obj.is_overdue())

    @admin.display(description=_("assessment"))
    def assess_link(self, obj):
        if not obj.pk or not obj.active:
            return "—"
        return format_html('<a href="{}">{}</a>', assess_url(obj.pk), _("Record an assessment"))

    def get_urls(self):
        assess = self.admin_site.admin_view(self.assess_view)
        return [
            path("<path:object_id>/assess/", assess, name="recommendations_followup_assess"),
            *super().get_urls(),
        ]

    def assess_view(self, request, object_id):
        """Record one assessment: status, reasoning and evidence, through services.follow_up_assess."""
        queryset = self.get_queryset(request).select_related("recommendation__report")
        follow_up = get_object_or_404(queryset, pk=object_id)
        if not self.has_assess_permission(request, follow_up):
            raise PermissionDenied
        initial = {"updates": [request.GET["update"]]} if request.GET.get("update", "").isdigit() else None
        form = AssessForm(request.POST or None, initial=initial, follow_up=follow_up, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.follow_up_assess(follow_up=follow_up, by=request.user, **form.cleaned_data)
            except services.InvalidAssessment as refusal:
                form.add_error(None, str(refusal))
            else:
                self.message_user(
                    request, _("The assessment of %(follow_up)s is recorded.") % {"follow_up": follow_up}
                )
                return HttpResponseRedirect(
                    reverse("admin:recommendations_followup_change", args=[follow_up.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assess %(follow_up)s") % {"follow_up": follow_up},
            "opts": self.opts,
            "original": follow_up,
            "follow_up": follow_up,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/recommendations/assess_follow_up.html", context)

    @admin.action(description=_("Change the status of the selected follow-ups…"), permissions=["assess"])
    def change_status(self, request, queryset):
        """First call: a page asking the status and the reasoning; its POST (with `apply`) assesses each."""
        form = BulkAssessForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refusals = services.follow_ups_assess_many(
                follow_ups=queryset, by=request.user, **form.cleaned_data
            )
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            if done:
                message = ngettext("%(count)d follow-up assessed.", "%(count)d follow-ups assessed.", done)
                self.message_user(request, message % {"count": done}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the status of follow-ups"),
            "opts": self.opts,
            "follow_ups": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "change_status",
        }
        return TemplateResponse(request, "admin/recommendations/assess_follow_ups.html", context)
