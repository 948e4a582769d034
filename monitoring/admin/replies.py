"""Replies: read in the admin, searched in their own language, written only by their authors."""

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from secretariat.admin_base import ReadOnlyAttachmentInline, ScopedAdmin

from ..models import Reply, ReplyAttachment, refs_as_written
from ..search import search_replies
from .common import ReadOnlyAdminMixin


class AttachmentInline(ReadOnlyAttachmentInline):
    model = ReplyAttachment


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Read-only: replies are written by their authors through the portal (services.reply_save).

    Which replies a user reads is access.replies_for: everything for the Secretariat; for a
    Committee member, registered replies that may be published and, as a rapporteur, every
    registered reply to their questions.
    """

    list_display = ["refs", "party", "organisation", "round", "language", "excerpt", "updated_at"]
    list_display_links = ["refs", "excerpt"]
    list_filter = [
        ("submission__round", RelatedOnlyFieldListFilter),
        ("submission__party", RelatedOnlyFieldListFilter),
        "language",
    ]
    list_select_related = ["submission__round", "submission__party", "submission__organisation"]
    search_fields = ["text"]
    search_help_text = _("Words of the replies; on PostgreSQL, each word also finds its variants.")
    list_defer = ("text_html",)
    fields = ["submission", "refs", "language", "rendered_text", "see_reply", "version", "updated_at"]
    readonly_fields = fields
    inlines = [AttachmentInline]

    def get_queryset(self, request):
        # The list shows the stored excerpt, the page the stored HTML: neither reads the Markdown.
        return super().get_queryset(request).prefetch_related("questions").defer("text")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = search_replies(user=request.user, query=search_term)
        return queryset.filter(pk__in=found.values("pk")), False

    @admin.display(description=_("questions answered"))
    def refs(self, obj):
        return refs_as_written(obj.refs)

    @admin.display(description=_("Party"), ordering="submission__party__name_en")
    def party(self, obj):
        return obj.submission.party

    @admin.display(description=_("stakeholder"), ordering="submission__organisation__name")
    def organisation(self, obj):
        return obj.submission.organisation or "—"

    @admin.display(description=_("round"), ordering="submission__round__number")
    def round(self, obj):
        return obj.submission.round.number

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return Truncator(obj.text_excerpt).chars(120)

    @admin.display(description=_("text"))
    def rendered_text(self, obj):
        return obj.text_html
