"""The States' updates (review: more information, assessment) and the Committee's assessments (read-only)."""

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from monitoring.admin.common import ReadOnlyAdminMixin
from monitoring.models import Reply
from secretariat import access
from secretariat.admin_base import ReadOnlyAttachmentInline, ScopedAdmin, short_label

from .. import access as rules
from .. import services
from ..models import Assessment, FollowUpUpdate, UpdateAttachment
from .follow_ups import assess_link_for
from .forms import RequestInformationForm
from .reports import REPORT_FILTER


class AttachmentInline(ReadOnlyAttachmentInline):
    model = UpdateAttachment


class UpdateStatusFilter(admin.SimpleListFilter):
    """The review status; "submitted" (the updates awaiting review) comes first."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return FollowUpUpdate.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(FollowUpUpdate)
class FollowUpUpdateAdmin(ScopedAdmin):
    # The follow-up and the author as cells that wrap, the day it was sent (its time as tooltip):
    # the list fits a laptop's screen beside its filters.
    list_display = [
        "follow_up_label",
        "author_name",
        "reported_status",
        "status",
        "submitted_on",
        "assess_link",
    ]
    list_filter = [
        UpdateStatusFilter,
        "reported_status",
        ("follow_up__recommendation__report", REPORT_FILTER),
        ("follow_up__party", RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["follow_up__recommendation", "follow_up__party", "author", "organisation"]
    search_fields = ["follow_up__recommendation__number", "follow_up__party__code", "text"]
    list_defer = ("text", "text_html", "text_excerpt")
    date_hierarchy = "submitted_at"
    fields = [
        "follow_up",
        "author",
        "organisation",
        "submitted_at",
        "reported_status",
        "measures_date",
        "rendered_text",
        "link_list_display",
        "status",
        "review_comment",
        "assess_link",
    ]
    readonly_fields = fields
    inlines = [AttachmentInline]
    actions = ["request_information"]

    def has_add_permission(self, request):
        # States and stakeholders send updates from the portal (services.update_submit).
        return False

    def has_change_permission(self, request, obj=None):
        # What a State reported is its record: read-only; the review actions go through the services.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request) -> bool:
        """The model permission to change updates, and the app's write rule (recommendations.access)."""
        return self.has_change_permission(request) and rules.may_review_updates(request.user)

    @admin.display(description=_("follow-up"), ordering="follow_up")
    def follow_up_label(self, obj):
        return str(obj.follow_up)

    @admin.display(description=_("author"), ordering="author__last_name")
    def author_name(self, obj):
        if obj.organisation_id:  # a stakeholder's update: the person and the organisation
            return format_html("{}<br>{}", obj.author, obj.organisation)
        return str(obj.author)

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj):
        when = timezone.localtime(obj.submitted_at)
        return short_label(formats.date_format(when, "DATE_FORMAT"), formats.localize(when))

    @admin.display(description=_("measures taken"))
    def rendered_text(self, obj):
        return obj.text_html

    @admin.display(description=_("links"))
    def link_list_display(self, obj):
        return (
            format_html_join(
                "",
                '<div><a href="{0}" rel="noopener noreferrer">{0}</a></div>',
                ((link,) for link in obj.link_list),
            )
            or "—"
        )

    @admin.display(description=_("assess"))
    def assess_link(self, obj):
        return assess_link_for(obj)

    @admin.action(description=_("Ask for more information…"), permissions=["review"])
    def request_information(self, request, queryset):
        """First call: a page asking for the message; its POST (with `apply`) marks each update."""
        return self.action_with_message(
            request,
            queryset,
            action="request_information",
            form_class=RequestInformationForm,
            title=_("Ask for more information"),
            intro=_("The authors of these updates will be asked for more information, with your message:"),
            detail=lambda update: update.get_status_display(),
            act=lambda update, message: services.update_request_information(
                update=update, by=request.user, message=message
            ),
            refusals=(services.InvalidAssessment,),
            done_message=lambda n: (
                ngettext(
                    "%(count)d update sent back for more information.",
                    "%(count)d updates sent back for more information.",
                    n,
                )
                % {"count": n}
            ),
        )


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["follow_up", "status", "previous_status", "assessed_by", "assessed_at", "published"]
    list_filter = [
        "status",
        "published",
        ("follow_up__recommendation__report", REPORT_FILTER),
        ("follow_up__party", RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["follow_up__recommendation", "follow_up__party", "assessed_by"]
    search_fields = ["follow_up__recommendation__number", "follow_up__party__code", "reasoning"]
    list_defer = ("reasoning", "reasoning_html", "reasoning_excerpt")
    date_hierarchy = "assessed_at"
    fields = [
        "follow_up",
        "status",
        "previous_status",
        "assessed_by",
        "assessed_at",
        "published",
        "rendered_reasoning",
        "evidence",
    ]
    readonly_fields = fields

    def get_object(self, request, object_id, from_field=None):
        # The evidence, as far as the user may read it: a Committee member reads no draft reply.
        assessment = super().get_object(request, object_id, from_field)
        if assessment is not None:
            user = request.user
            prefetch_related_objects(
                [assessment],
                Prefetch("updates", queryset=access.scoped(FollowUpUpdate, user)),
                Prefetch("replies", queryset=access.scoped(Reply, user)),
                Prefetch("documents", queryset=access.documents_for(user)),
            )
        return assessment

    @admin.display(description=_("reasoning"))
    def rendered_reasoning(self, obj):
        return obj.reasoning_html

    @admin.display(description=_("evidence"))
    def evidence(self, obj):
        items = [*obj.updates.all(), *obj.replies.all(), *obj.documents.all()]
        return format_html_join("", "<div>{}</div>", ((item,) for item in items)) or "—"
