"""Rounds, their questionnaires and rapporteurs; the state of play of a round."""

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from secretariat import access, audit
from secretariat.admin_base import ScopedAdmin, short_label, short_label_filter

from ..models import MonitoringRound, Question, RapporteurAssignment, Section
from ..participation_aggregates import SUPPRESSION_THRESHOLD, round_aggregates
from ..state_of_play import as_dataset, numbered_questions, state_of_play
from .common import optional_url

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _questions_url(**filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{reverse('admin:monitoring_question_changelist')}?{query}"


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "title_en", "title_fr", "questions_link"]
    readonly_fields = ["questions_link"]
    extra = 0

    def get_queryset(self, request):
        return access.scoped(Section, request.user, super().get_queryset(request))

    @admin.display(description=_("questions"))
    def questions_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', _questions_url(section__id__exact=obj.pk), _("questions"))


@admin.register(MonitoringRound)
class MonitoringRoundAdmin(ScopedAdmin):
    list_display = ["number", "title_en", "status", "launch_date", "reply_deadline", "pages"]
    list_display_links = ["number", "title_en"]
    list_filter = ["status"]
    search_fields = ["=number", "title_en", "title_fr", "theme_en", "theme_fr"]
    filter_horizontal = ["parties"]
    readonly_fields = ["pages", "pages_with_compilation"]
    fieldsets = [
        (None, {"fields": ["number", "title_en", "title_fr", "theme_en", "theme_fr", "status"]}),
        (_("Dates"), {"fields": ["launch_date", "reply_deadline"]}),
        (_("Participating Parties"), {"fields": ["parties"]}),
        (_("Pages"), {"fields": ["pages"]}),
    ]
    inlines = [SectionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new round monitors every Party to the Convention unless the Secretariat chose some.
        if not change and not form.cleaned_data.get("parties"):
            form.instance.parties.set(MonitoringRound.default_parties())

    # The compilation page is the Secretariat's (it may hold drafts and confidential material):
    # the Committee is not offered a link that would answer 404.
    def _with_compilation(self, request, names):
        if not access.is_secretariat(request.user):
            return names
        return ["pages_with_compilation" if name == "pages" else name for name in names]

    def get_list_display(self, request):
        return self._with_compilation(request, super().get_list_display(request))

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": self._with_compilation(request, options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def _page_links(self, obj, *, compilation: bool):
        if not obj.pk:
            return "—"
        links = [
            (reverse("admin:monitoring_monitoringround_state_of_play", args=[obj.pk]), _("state of play")),
            (_questions_url(round__id__exact=obj.pk), _("questionnaire")),
            (reverse("admin:monitoring_monitoringround_children", args=[obj.pk]), _("children's views")),
        ]
        if compilation and (url := optional_url("monitoring:compilation", obj.number)):
            links.append((url, _("compilation of replies")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("pages"))
    def pages(self, obj):
        return self._page_links(obj, compilation=False)

    @admin.display(description=_("pages"))
    def pages_with_compilation(self, obj):
        return self._page_links(obj, compilation=True)

    def get_urls(self):
        state_of_play_url = path(
            "<int:object_id>/state-of-play/",
            self.admin_site.admin_view(self.state_of_play_view),
            name="monitoring_monitoringround_state_of_play",
        )
        children_url = path(
            "<int:object_id>/children-views/",
            self.admin_site.admin_view(self.children_view),
            name="monitoring_monitoringround_children",
        )
        return [state_of_play_url, children_url, *super().get_urls()]

    def children_view(self, request, object_id: int):
        """The round's children's views for the report: the headline, the counts (small ones
        suppressed) and the cleared quotes by question, as the reader's scope holds them."""
        if not (self.has_view_permission(request) and access.sees_everything(request.user)):
            raise Http404
        round = get_object_or_404(self.get_queryset(request), pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": round,
            "title": _("Children's views in round %(number)s") % {"number": round.number},
            "round": round,
            "aggregates": round_aggregates(round=round, user=request.user),
            "threshold": SUPPRESSION_THRESHOLD,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/monitoring/children_views.html", context)

    def state_of_play_view(self, request, object_id: int):
        """Parties × questions of a round, for the Secretariat and the Committee; CSV/XLSX with ?format=."""
        if not (self.has_view_permission(request) and access.sees_everything(request.user)):
            raise Http404
        round = get_object_or_404(self.get_queryset(request), pk=object_id)
        questions = numbered_questions(round=round, user=request.user)
        rows = state_of_play(round=round, user=request.user, questions=questions)
        export = request.GET.get("format")
        if export in EXPORT_TYPES:
            dataset = as_dataset(round=round, rows=rows, questions=questions)
            response = HttpResponse(dataset.export(export), content_type=EXPORT_TYPES[export])
            filename = f"state-of-play-round-{round.number}.{export}"
            audit.record(audit.Kind.EXPORT, request=request, target=filename)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": round,
            "title": _("State of play of round %(number)s") % {"number": round.number},
            "round": round,
            "questions": questions,
            "rows": rows,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/monitoring/state_of_play.html", context)


@admin.register(Section)
class SectionAdmin(ScopedAdmin):
    list_display = ["title_en", "title_fr", "order", "round_name"]
    list_filter = [("round", short_label_filter("short_name"))]
    list_select_related = ["round"]
    search_fields = ["title_en", "title_fr"]

    @admin.display(description=_("round"), ordering="round__number")
    def round_name(self, obj):
        return short_label(obj.round.short_name, str(obj.round))


class RapporteurInline(admin.TabularInline):
    model = RapporteurAssignment
    autocomplete_fields = ["member"]
    extra = 0

    def get_queryset(self, request):
        return access.scoped(RapporteurAssignment, request.user, super().get_queryset(request))


@admin.register(Question)
class QuestionAdmin(ScopedAdmin):
    # The round is a filter (most lists show one round's questionnaire), not a column of its title.
    list_display = ["tree_ref", "kind", "short_text", "section", "round_name"]
    list_display_links = ["tree_ref", "short_text"]
    list_filter = [("round", short_label_filter("short_name")), "kind", "section"]
    list_select_related = ["round", "section"]
    search_fields = ["ref", "text_en", "text_fr"]
    autocomplete_fields = ["parent"]
    fields = ["round", "section", "parent", "ref", "kind", "order", "text_en", "text_fr"]
    ordering = ["round", "order"]
    inlines = [RapporteurInline]

    @admin.display(description=_("ref"), ordering="order")
    def tree_ref(self, obj):
        # Indented by depth (secretariat/admin.css), so the changelist reads as the questionnaire's tree.
        depth = min(obj.ref.count("."), 4)
        return format_html('<span class="ref-depth-{}">{}</span>', depth, obj.ref)

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(100)

    @admin.display(description=_("round"), ordering="round__number")
    def round_name(self, obj):
        return short_label(obj.round.short_name, str(obj.round))


@admin.register(RapporteurAssignment)
class RapporteurAssignmentAdmin(ScopedAdmin):
    list_display = ["member", "question_ref", "round"]
    list_filter = ["question__round"]
    list_select_related = ["member", "question__round"]
    search_fields = ["member__username", "member__first_name", "member__last_name", "question__ref"]
    # The member's choices are limited to Committee members by the field's limit_choices_to,
    # which the autocomplete view applies too.
    autocomplete_fields = ["member", "question"]

    @admin.display(description=_("question"), ordering="question__order")
    def question_ref(self, obj):
        return obj.question.ref

    @admin.display(description=_("round"), ordering="question__round__number")
    def round(self, obj):
        return obj.question.round.number
