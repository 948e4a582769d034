"""The admin's list of documents prepared in the background: their progress, and the file when ready."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import documents
from .admin_base import ScopedAdmin
from .models import GeneratedDocument


class KindFilter(admin.SimpleListFilter):
    """The kinds the apps register, by their labels."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(name, documents.kind_label(name)) for name in sorted(documents.KINDS)]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ScopedAdmin):
    """Read-only: a document is asked for where it is offered (a round's compilation page), written
    by the worker, and downloaded through `/files/` (the same row rule, and the audit log)."""

    list_display = ["title", "status", "progress", "requested_by", "created_at", "finished_at", "download"]
    list_filter = ["status", KindFilter]
    list_select_related = ["requested_by"]
    fields = [
        "title",
        "kind_label",
        "status",
        "progress",
        "download",
        "error",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("kind"))
    def kind_label(self, obj: GeneratedDocument) -> str:
        return documents.kind_label(obj.kind)

    @admin.display(description=_("progress"))
    def progress(self, obj: GeneratedDocument) -> str:
        if obj.status == GeneratedDocument.Status.DONE:
            return "100 %"
        if not obj.progress_total:
            return "–"
        return format_html(
            '<progress value="{}" max="{}"></progress> {} / {}',
            obj.progress_done,
            obj.progress_total,
            obj.progress_done,
            obj.progress_total,
        )

    @admin.display(description=_("file"))
    def download(self, obj: GeneratedDocument) -> str:
        if obj.status == GeneratedDocument.Status.DONE and not obj.file:
            # Removed by the housekeeping (its history says when): the requester may ask again.
            return str(_("Removed: ask for it again"))
        if obj.status != GeneratedDocument.Status.DONE or not obj.file:
            return "–"
        return format_html('<a href="{}">{}</a>', obj.file.url, _("Download"))
