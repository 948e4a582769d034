"""Drafting a report in the admin: findings with their evidence, rapporteurs' comments, versions compared.

The Secretariat writes findings (and the evidence they cite) while the report is in preparation,
and so does a rapporteur in the chapters on their questions (`may_draft_chapter`); other Committee
members read them. All Committee members add comments. Their role has view permissions only: the
write rules `may_draft_chapter` and `may_comment_findings` open those forms to them. Every write
goes through recommendations.drafting.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat import access
from secretariat.admin_base import ReadOnlyInline, ScopedAdmin, short_label, short_label_filter

from .. import drafting
from ..access import chapters_drafted_by, may_comment_findings, may_draft_chapter, may_draft_report
from ..models import Finding, FindingCitation, FindingComment, ImplementationReport
from .draft_recommendation import RecommendationDraftMixin

IN_PREPARATION = ImplementationReport.Status.IN_PREPARATION


def mark_translated_actions():
    """The actions "Mark the English/French version as translated", for findings and recommendations."""

    def make(language: str, description):
        @admin.action(description=description, permissions=["change"])
        def action(model_admin, request, queryset):
            model_admin.apply_each(
                request,
                queryset,
                lambda record: drafting.text_mark_translated(
                    record=record, language=language, by=request.user
                ),
                refusals=(PermissionDenied, drafting.InvalidDraft),
                done_message=lambda count: (
                    ngettext(
                        "%(count)d text marked as translated.", "%(count)d texts marked as translated.", count
                    )
                    % {"count": count}
                ),
            )

        action.__name__ = f"mark_{language}_translated"
        return action

    return [
        make("en", _("Mark the English version of the selected items as translated")),
        make("fr", _("Mark the French version of the selected items as translated")),
    ]


def _chapter_of(obj):
    return obj.chapter if obj is not None and obj.pk else None


def _writes(request, obj, granted: bool) -> bool:
    """Whether the user writes `obj`'s chapter (any chapter without one). The rule decides; the
    Secretariat also needs its role's permission (`granted`), a rapporteur's role reads only."""
    if not may_draft_chapter(request.user, _chapter_of(obj)):
        return False
    return granted or access.is_committee(request.user)


class FindingCitationInline(admin.TabularInline):
    """The evidence: a reply picked among the registered replies to the chapter's questions, a
    document, an earlier recommendation or children's words (a cleared quote of a registered child
    participation contribution to the chapter's questions), one per line."""

    model = FindingCitation
    # The Party is the reply's (its label names it): no column of its own, so the line fits a laptop.
    # In the order they are added (their `order` is 0 unless set elsewhere): the line fits a laptop.
    fields = ["reply", "document", "recommendation", "child_quote"]
    autocomplete_fields = ["document", "recommendation"]
    extra = 1

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("party", "document", "recommendation")
        return access.scoped(FindingCitation, request.user, queryset)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "reply" in formset.form.base_fields:
            field = formset.form.base_fields["reply"]
            field.queryset = drafting.citable_replies(user=request.user, chapter=obj.chapter if obj else None)
            field.label_from_instance = drafting.reply_label
            # As wide as a text field: the line's four columns then fit a laptop's screen.
            field.widget.attrs["class"] = "vTextField"
        if "child_quote" in formset.form.base_fields:
            field = formset.form.base_fields["child_quote"]
            field.queryset = drafting.citable_quotes(user=request.user, chapter=obj.chapter if obj else None)
            field.label_from_instance = drafting.quote_label
            field.widget.attrs["class"] = "vTextField"
        return formset

    def has_add_permission(self, request, obj=None):
        return _writes(request, obj, super().has_add_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return _writes(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return _writes(request, obj, super().has_delete_permission(request, obj))


class FindingCommentInline(ReadOnlyInline):
    model = FindingComment
    fields = ["created_at", "author", "comment"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=_("comment"))
    def comment(self, obj):
        return obj.text_html


@admin.register(Finding)
class FindingAdmin(RecommendationDraftMixin, ScopedAdmin):
    list_display = ["chapter_number", "order", "excerpt", "author", "created_at"]
    list_display_links = ["chapter_number", "order", "excerpt"]
    list_filter = [
        ("chapter__report", short_label_filter("short_title", "round")),
        ("chapter", RelatedOnlyFieldListFilter),  # the chapters with findings, not every report's
        "translation_en",
        "translation_fr",
    ]
    list_select_related = ["chapter", "author"]
    list_defer = ("text_en", "text_fr", "text_html_en", "text_html_fr")
    search_fields = ["text_en", "text_fr"]
    autocomplete_fields = ["chapter"]
    fields = [
        "chapter",
        "order",
        ("text_en", "text_fr"),  # side by side
        ("translation_en", "translation_fr"),
        "author",
        "created_at",
    ]
    readonly_fields = ["translation_en", "translation_fr", "author", "created_at"]
    inlines = [FindingCitationInline, FindingCommentInline]
    actions = mark_translated_actions()
    # Not the admin's wide text area: the two languages side by side on one line.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 12, "cols": 40})}}

    def get_urls(self):
        compare = path(
            "<path:object_id>/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="recommendations_finding_compare",
        )
        return [compare, *super().get_urls()]

    def has_add_permission(self, request):
        return _writes(request, None, super().has_add_permission(request))

    def has_change_permission(self, request, obj=None):
        if obj is None and access.is_committee(request.user):
            # The changelist's actions (marking translations) are the Secretariat's.
            return False
        return _writes(request, obj, super().has_change_permission(request, obj))

    def get_model_perms(self, request):
        if access.is_committee(request.user):
            # Every admin page's sidebar asks: no rapporteur query there. A rapporteur's way in is
            # the chapter's page (*Write a finding*) or the findings list's button.
            return {"add": False, "change": False, "delete": False, "view": self.has_view_permission(request)}
        return super().get_model_perms(request)

    def has_delete_permission(self, request, obj=None):
        # A finding is deleted by the Secretariat only; rapporteurs write and rewrite theirs.
        report = obj.chapter.report if obj is not None and obj.pk else None
        return may_draft_report(request.user, report) and super().has_delete_permission(request, obj)

    def get_autocomplete_fields(self, request):
        # A rapporteur picks among the few chapters they write in, from a plain list.
        if access.is_committee(request.user):
            return []
        return super().get_autocomplete_fields(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "chapter" and field is not None:
            # Findings are written in reports in preparation only, by a rapporteur in their chapters.
            field.queryset = field.queryset.filter(pk__in=chapters_drafted_by(request.user).values("pk"))
        return field

    def save_model(self, request, obj, form, change):
        drafting.finding_save(finding=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not FindingCitation:
            return super().save_formset(request, form, formset, change)
        citations = formset.save(commit=False)
        for citation in formset.deleted_objects:
            drafting.citation_delete(citation=citation, by=request.user)
        for citation in citations:
            drafting.citation_save(citation=citation, by=request.user)
        formset.save_m2m()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["compare_url"] = reverse("admin:recommendations_finding_compare", args=[obj.pk])
            if may_comment_findings(request.user, obj.chapter.report):
                add_url = reverse("admin:recommendations_findingcomment_add")
                context["comment_url"] = f"{add_url}?finding={obj.pk}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def compare_view(self, request, object_id):
        """Two versions of the finding's texts side by side (the newest two unless chosen)."""
        finding = self.get_object(request, object_id)
        if finding is None or not self.has_view_permission(request, finding):
            raise Http404
        versions = list(drafting.finding_versions(finding))
        chosen = {str(version.history_id): version for version in versions}
        newer = chosen.get(request.GET.get("new", ""), versions[0] if versions else None)
        older = chosen.get(request.GET.get("old", ""), versions[1] if len(versions) > 1 else newer)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Compare versions of %(finding)s") % {"finding": finding},
            "finding": finding,
            "versions": versions,
            "older": older,
            "newer": newer,
            "diffs": drafting.finding_diff(older, newer) if older and newer else [],
        }
        return TemplateResponse(request, "admin/recommendations/finding_compare.html", context)

    @admin.display(description=_("chapter"), ordering="chapter__order")
    def chapter_number(self, obj):
        return short_label(obj.chapter.number, str(obj.chapter))

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return Truncator(obj.text_excerpt).chars(120)


@admin.register(FindingComment)
class FindingCommentAdmin(ScopedAdmin):
    """Comments are added, never changed nor deleted: each stays as its author wrote it."""

    list_display = ["created_at", "author", "finding_link", "excerpt"]
    list_select_related = ["author", "finding__chapter"]
    list_filter = [("finding__chapter__report", short_label_filter("short_title", "round"))]
    list_defer = ("text_html",)
    search_fields = ["text"]
    fields = ["finding", "text"]
    autocomplete_fields = ["finding"]

    def has_add_permission(self, request):
        # The rapporteurs comment without any add permission: their role reads only.
        return may_comment_findings(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "finding" and field is not None:
            field.queryset = field.queryset.filter(chapter__report__status=IN_PREPARATION)
        return field

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        comment = drafting.finding_comment(finding=obj.finding, by=request.user, text=obj.text)
        obj.pk, obj.author, obj.created_at = comment.pk, comment.author, comment.created_at

    def response_add(self, request, obj, post_url_continue=None):
        # Back to the finding commented on: the comment shows there, below its evidence.
        return HttpResponseRedirect(reverse("admin:recommendations_finding_change", args=[obj.finding_id]))

    @admin.display(description=_("finding"))
    def finding_link(self, obj):
        url = reverse("admin:recommendations_finding_change", args=[obj.finding_id])
        return format_html('<a href="{}">{}</a>', url, obj.finding)

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.text).chars(120)
