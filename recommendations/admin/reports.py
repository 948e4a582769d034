"""Reports, chapters, recommendations, themes, citations and promising practices."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat import access
from secretariat.admin_base import ScopedAdmin, short_label, short_label_filter

from .. import drafting, services
from ..access import may_draft_chapter
from ..models import Chapter, Citation, FollowUp, ImplementationReport, Practice, Recommendation, Theme
from .adoption import ReportAdoptionMixin
from .compliance_reports import CompliancePreparationMixin
from .findings import mark_translated_actions

#: Reports by their short title ("Round 2 implementation report") in the changelists' filters.
REPORT_FILTER = short_label_filter("short_title", "round")


def parties_summary(parties, shown: int = 3) -> str:
    """Parties by name, the first few only in a changelist's cell, all of them in its tooltip."""
    names = sorted(party.name for party in parties)
    if not names:
        return "—"
    if len(names) <= shown:
        return ", ".join(names)
    others = len(names) - shown
    short = ngettext("%(names)s and %(count)d other", "%(names)s and %(count)d others", others) % {
        "names": ", ".join(names[:shown]),
        "count": others,
    }
    return short_label(short, ", ".join(names))


class ChapterInline(admin.TabularInline):
    model = Chapter
    fields = ["number", "order", "title_en", "title_fr", "translation_en", "translation_fr"]
    readonly_fields = ["translation_en", "translation_fr"]
    extra = 0
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "number" and field is not None:
            # A numeral ("V."): a narrow box, so that the titles' statuses fit a laptop's screen.
            field.widget = forms.TextInput(attrs={"size": 6})
        return field

    def get_queryset(self, request):
        return access.scoped(Chapter, request.user, super().get_queryset(request))


def _adopted(obj) -> bool:
    """A recommendation of an adopted report: what the Committee adopted is frozen."""
    return isinstance(obj, Recommendation) and obj.pk is not None and obj.report.is_adopted


class CitationInline(admin.TabularInline):
    model = Citation
    fields = ["article", "paragraph"]
    autocomplete_fields = ["article"]
    extra = 0

    def get_queryset(self, request):
        return access.scoped(Citation, request.user, super().get_queryset(request)).select_related("article")

    def has_add_permission(self, request, obj=None):
        return not _adopted(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _adopted(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _adopted(obj) and super().has_delete_permission(request, obj)


@admin.register(ImplementationReport)
class ImplementationReportAdmin(ReportAdoptionMixin, ScopedAdmin):
    list_display = [
        "reference",
        "title_en",
        "round_name",
        "status",
        "adoption_date",
        "deadline_require_request",
    ]
    list_display_links = ["reference", "title_en"]
    list_filter = [("round", short_label_filter("short_name")), "status"]
    list_select_related = ["round"]
    search_fields = ["reference", "title_en", "title_fr"]
    autocomplete_fields = ["document"]
    # In preparation until adopted: the status moves through the services only (services.report_adopt).
    readonly_fields = [
        "status",
        "adoption",
        "untranslated_override_reason",
        "translation_en",
        "translation_fr",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "round",
                    "reference",
                    ("title_en", "title_fr"),  # side by side, each with its translation status
                    ("translation_en", "translation_fr"),
                    "document",
                ]
            },
        ),
        (_("Adoption"), {"fields": ["status", "adoption_date", "adoption", "untranslated_override_reason"]}),
        (_("Reporting deadlines"), {"fields": ["deadline_require_request", "deadline_invite"]}),
    ]
    inlines = [ChapterInline]
    actions = ["chapters_from_themes", *mark_translated_actions()]

    @admin.action(
        description=_("Add a chapter for each theme of the questionnaire not yet analysed"),
        permissions=["change"],
    )
    def chapters_from_themes(self, request, queryset):
        # Each report in its own transaction (drafting.chapters_from_themes): an adopted report refuses.
        added = []
        for report in queryset.select_related("round"):
            try:
                added += drafting.chapters_from_themes(report=report, by=request.user)
            except PermissionDenied as refusal:
                self.message_user(request, f"{report}: {refusal}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d chapter added.", "%(count)d chapters added.", len(added))
            % {"count": len(added)},
            messages.SUCCESS if added else messages.WARNING,
        )

    def get_urls(self):
        translation = path(
            "<path:object_id>/left-to-translate/",
            self.admin_site.admin_view(self.left_to_translate_view),
            name="recommendations_implementationreport_translation",
        )
        return [translation, *super().get_urls()]

    def left_to_translate_view(self, request, object_id):
        """The findings and recommendations of the report with a language still to translate or revise."""
        report = self.get_object(request, object_id)
        if report is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Left to translate in %(report)s") % {"report": report.short_title},
            "report": report,
            "left": drafting.left_to_translate(report=report, user=request.user),
        }
        return TemplateResponse(request, "admin/recommendations/left_to_translate.html", context)

    @admin.display(description=_("monitoring round"), ordering="round__number")
    def round_name(self, obj):
        return short_label(obj.round.short_name, str(obj.round))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"deadline_require_request", "deadline_invite"} & set(form.changed_data):
            count = services.report_refresh_deadlines(report=obj, by=request.user)
            self.message_user(
                request, _("Reporting deadline updated on %(count)d follow-ups.") % {"count": count}
            )


@admin.register(Chapter)
class ChapterAdmin(ScopedAdmin):
    list_display = ["number", "title_en", "report_title", "order"]
    list_display_links = ["number", "title_en"]
    list_select_related = ["report__round"]
    search_fields = ["number", "title_en", "title_fr"]
    autocomplete_fields = ["report", "articles", "questions"]
    fields = [
        "report",
        "number",
        "order",
        ("title_en", "title_fr"),
        ("translation_en", "translation_fr"),
        "articles",
        "questions",
    ]
    readonly_fields = ["translation_en", "translation_fr"]
    list_filter = [("report", REPORT_FILTER), "translation_en", "translation_fr"]
    actions = ["renumber_recommendations", *mark_translated_actions()]

    @admin.action(
        description=_("Renumber the recommendations of the selected chapters"), permissions=["change"]
    )
    def renumber_recommendations(self, request, queryset):
        # Each chapter in its own transaction (drafting.chapter_renumber): an adopted report refuses.
        self.apply_each(
            request,
            queryset.select_related("report"),
            lambda chapter: drafting.chapter_renumber(chapter=chapter, by=request.user),
            refusals=(PermissionDenied, drafting.InvalidDraft),
            done_message=lambda count: (
                ngettext("%(count)d chapter renumbered.", "%(count)d chapters renumbered.", count)
                % {"count": count}
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The way in for a rapporteur, who reads the chapter: write a finding in it.
        if obj is not None and obj.pk and may_draft_chapter(request.user, obj):
            context["add_finding_url"] = f"{reverse('admin:recommendations_finding_add')}?chapter={obj.pk}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("implementation report"), ordering="report")
    def report_title(self, obj):
        return short_label(obj.report.short_title, str(obj.report))


@admin.register(Theme)
class ThemeAdmin(ScopedAdmin):
    list_display = ["name_en", "name_fr", "slug"]
    search_fields = ["slug", "name_en", "name_fr"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Citation)
class CitationAdmin(ScopedAdmin):
    list_display = ["__str__", "recommendation", "practice_title"]
    list_select_related = ["article", "recommendation", "practice"]
    list_filter = [("article", RelatedOnlyFieldListFilter)]
    search_fields = ["=article__number", "recommendation__number", "practice__title"]
    autocomplete_fields = ["article", "recommendation", "practice"]

    @admin.display(description=_("practice"), ordering="practice__title")
    def practice_title(self, obj):
        if obj.practice is None:
            return "—"
        return short_label(Truncator(obj.practice.title).chars(80), obj.practice.title)


def _active_follow_up_count() -> Subquery:
    # A subquery rather than JOIN + GROUP BY, so that filters joining the themes cannot multiply it.
    follow_ups = FollowUp.objects.filter(recommendation=OuterRef("pk"), active=True).order_by()
    counted = follow_ups.values("recommendation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Recommendation)
class RecommendationAdmin(CompliancePreparationMixin, ScopedAdmin):
    # What fits a laptop's screen beside the filters: the report is a filter, the chapter its
    # number (its title as a tooltip), so that the text keeps its room.
    list_display = [
        "number",
        "chapter_number",
        "urgency",
        "addressees_summary",
        "follow_ups_count",
        "excerpt",
    ]
    list_filter = [
        ("report", REPORT_FILTER),
        ("chapter", RelatedOnlyFieldListFilter),
        "urgency",
        ("themes", RelatedOnlyFieldListFilter),
        "translation_en",
        "translation_fr",
    ]
    list_select_related = ["chapter"]
    search_fields = ["number", "text_en", "text_fr"]
    list_defer = ("text_en", "text_fr", "text_html_en", "text_html_fr")
    autocomplete_fields = ["report", "chapter", "addressees", "themes", "finding", "rests_on"]
    fieldsets = [
        (None, {"fields": ["report", "chapter", "number", "order", "urgency"]}),
        (_("Addressees"), {"fields": ["addressed_to_all", "addressees"]}),
        (_("Text"), {"fields": ["text_en", "text_fr", "themes"]}),
        (
            _("Drafting"),
            {"fields": ["finding", "rests_on", "legal_basis", "translation_en", "translation_fr"]},
        ),
    ]
    inlines = [CitationInline]
    readonly_fields = ["translation_en", "translation_fr"]
    actions = [*mark_translated_actions(), "prepare_compliance_report"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _adopted(obj):
            # Its adopted text, number and basis are frozen; the addressees still open or retire
            # follow-ups (the curation of imported reports), and the themes classify it.
            fields += ["report", "chapter", "number", "order", "urgency", "text_en", "text_fr"]
            fields += ["finding", "rests_on", "legal_basis"]
        return fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("addressees")
        return queryset.annotate(active_follow_ups=_active_follow_up_count())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The addressees are saved only now: open or retire the follow-ups to match them.
        counts = services.recommendation_sync_follow_ups(recommendation=form.instance, by=request.user)
        if any(counts.values()):
            self.message_user(
                request,
                _("Follow-ups: %(added)d opened, %(retired)d retired, %(restored)d restored.") % counts,
                messages.INFO,
            )

    @admin.display(description=_("chapter"), ordering="chapter__order")
    def chapter_number(self, obj):
        return short_label(obj.chapter.number, str(obj.chapter)) if obj.chapter_id else "—"

    @admin.display(description=_("addressees"))
    def addressees_summary(self, obj):
        if obj.addressed_to_all:
            return _("All Parties")
        return parties_summary(obj.addressees.all())

    @admin.display(description=_("follow-ups"), ordering="active_follow_ups")
    def follow_ups_count(self, obj):
        return obj.active_follow_ups

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return Truncator(obj.text_excerpt).chars(120)


@admin.register(Practice)
class PracticeAdmin(ScopedAdmin):
    list_display = ["title", "parties_summary", "other_states", "round", "source"]
    list_filter = [("parties", RelatedOnlyFieldListFilter), ("themes", RelatedOnlyFieldListFilter), "round"]
    list_select_related = ["round"]
    search_fields = ["title", "text"]
    list_defer = ("text", "text_html", "text_excerpt")
    autocomplete_fields = ["parties", "themes", "source_document"]
    fields = ["title", "text", "parties", "other_states", "themes", "round", "source", "source_document"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    @admin.display(description=_("Parties"))
    def parties_summary(self, obj):
        return parties_summary(obj.parties.all())
