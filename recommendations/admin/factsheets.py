"""Factsheets: their sections of findings and the links to read or download them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from secretariat import access
from secretariat.admin_base import ScopedAdmin, short_label

from ..models import Factsheet, FactsheetSection


class FactsheetSectionInline(admin.StackedInline):
    model = FactsheetSection
    fields = ["order", "heading_en", "heading_fr", "text_en", "text_fr", "recommendations"]
    autocomplete_fields = ["recommendations"]
    extra = 0

    def get_queryset(self, request):
        return access.scoped(FactsheetSection, request.user, super().get_queryset(request))


FORMATS = [("html", "HTML"), ("docx", _("Word (DOCX)")), ("pdf", "PDF")]


def render_links(factsheet: Factsheet) -> str:
    """Links to the factsheet's page and its downloads."""
    url = reverse("factsheets:factsheet", args=[factsheet.slug])
    links = [(url, _("Read"))] + [(f"{url}?format={format}", label) for format, label in FORMATS]
    return format_html_join(" · ", '<a href="{}">{}</a>', links)


@admin.register(Factsheet)
class FactsheetAdmin(ScopedAdmin):
    # The title in the page's language and what the factsheet draws on, by short names (the full
    # titles as tooltips); the slug is on the change page.
    list_display = ["title", "draws_on", "downloads"]
    list_display_links = ["title"]
    list_filter = ["theme"]
    list_select_related = ["report__round", "chapter", "theme"]
    search_fields = ["slug", "title_en", "title_fr"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["report", "chapter", "theme", "article", "practices"]
    readonly_fields = ["downloads"]
    fieldsets = [
        (None, {"fields": ["title_en", "title_fr", "slug", "downloads"]}),
        (
            _("What it draws on"),
            {
                "fields": ["report", "chapter", "theme"],
                "description": _(
                    "Its recommendations are those of the chapter, or else those of the theme in the "
                    "report, and those its sections cite."
                ),
            },
        ),
        (_("Introduction"), {"fields": ["introduction_en", "introduction_fr"]}),
        (_("Convention article"), {"fields": ["article", "article_text"]}),
        (_("Promising practices"), {"fields": ["practices"]}),
    ]
    inlines = [FactsheetSectionInline]

    @admin.display(description=_("title"), ordering="title_en")
    def title(self, obj: Factsheet) -> str:
        return str(obj)

    @admin.display(description=_("draws on"))
    def draws_on(self, obj: Factsheet) -> str:
        parts = [short_label(obj.report.short_title, str(obj.report))] if obj.report_id else []
        if obj.chapter_id:
            chapter = _("Chapter %(number)s") % {"number": obj.chapter.number}
            parts.append(short_label(chapter, str(obj.chapter)))
        if obj.theme_id:
            parts.append(format_html("{}", obj.theme))
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts)) if parts else "—"

    @admin.display(description=_("read or download"))
    def downloads(self, obj: Factsheet) -> str:
        if obj.pk is None:
            return format_html("{}", _("Save the factsheet first."))
        return render_links(obj)
