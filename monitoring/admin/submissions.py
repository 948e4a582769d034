"""Submissions by round, status and deadline; their workflow moves go through monitoring.services."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat import access, admin_base
from secretariat.admin_base import ReadOnlyInline, ScopedAdmin, deadline_cell, short_label, short_label_filter
from secretariat.models import choice_labels

from .. import access as rules
from .. import services
from ..models import Reminder, Reply, Submission, Transition, refs_as_written
from ..state_of_play import overdue, with_due_date
from .common import ReadOnlyAdminMixin, optional_url

Status = Submission.Status


class OverdueFilter(admin_base.OverdueFilter):
    """Still awaited (draft or returned) after the effective deadline, as Submission.is_overdue says."""

    overdue_rows = staticmethod(overdue)


class RespondentFilter(admin.SimpleListFilter):
    title = _("respondent")
    parameter_name = "respondent"

    def lookups(self, request, model_admin):
        return [("state", _("State replies")), ("stakeholder", _("Stakeholder comments"))]

    def queryset(self, request, queryset):
        if self.value() in ("state", "stakeholder"):
            return queryset.filter(organisation__isnull=self.value() == "state")
        return queryset


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["from_status", "to_status", "by", "at", "comment"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@dataclass
class ReplyRow:
    """A reply as the submission's page lists it."""

    pk: int
    url: str
    language: str
    excerpt: str
    updated_at: datetime.datetime
    refs: list[str] = field(default_factory=list)

    @property
    def refs_label(self) -> str:
        return refs_as_written(self.refs)


def reply_table(rows: list[ReplyRow]) -> str:
    """The rows as HTML (as the template would print them): a submission has up to hundreds of
    replies, which the template engine took longer to print than the rest of the page."""
    when: dict[datetime.datetime, str] = {}
    for row in rows:
        if row.updated_at not in when:
            when[row.updated_at] = formats.localize(timezone.localtime(row.updated_at))
    return format_html_join(
        "",
        '<tr><td class="field-refs"><a href="{}">{}</a></td>'
        '<td class="field-language">{}</td><td class="field-excerpt">{}</td>'
        '<td class="field-updated_at">{}</td></tr>',
        ((row.url, row.refs_label, row.language, row.excerpt, when[row.updated_at]) for row in rows),
    )


def reply_rows(user, submission: Submission) -> list[ReplyRow]:
    """The submission's replies, in order, with the refs they answer, their language, stored
    excerpt and last change: one query of plain values, whatever their number (neither their
    Markdown nor their HTML, nor a model instance per reply and question)."""
    languages = choice_labels(Reply, "language")
    changelist = reverse("admin:monitoring_reply_changelist")  # a reply's page is below: no reverse() each
    rows: dict[int, ReplyRow] = {}
    values = (
        access.scoped(Reply, user)
        .filter(submission=submission)
        .order_by("order", "pk", "questions__order", "questions__pk")
        .values_list("pk", "language", "text_excerpt", "updated_at", "questions__ref")
    )
    for pk, language, excerpt, updated_at, ref in values:
        if pk not in rows:
            url = f"{changelist}{pk}/change/"
            excerpt = Truncator(excerpt).chars(160)
            rows[pk] = ReplyRow(pk, url, languages.get(language, language), excerpt, updated_at)
        if ref is not None:
            rows[pk].refs.append(ref)
    return list(rows.values())


class ReturnForm(forms.Form):
    message = forms.CharField(
        label=_("What needs clarifying"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Sent to the respondents with the submission returned to them."),
    )


@admin.register(Submission)
class SubmissionAdmin(ScopedAdmin):
    # What fits a laptop's screen beside the filters: the round by its number (its title as a
    # tooltip), overdue said beside the deadline; the registration date is on the change page.
    list_display = [
        "party",
        "organisation",
        "round_name",
        "status",
        "effective_deadline",
        "reply_count",
    ]
    list_display_links = ["party", "organisation"]
    list_filter = [
        ("round", short_label_filter("short_name")),
        "status",
        OverdueFilter,
        RespondentFilter,
        "deadline",
    ]
    list_select_related = ["round", "party", "organisation"]
    search_fields = ["party__name_en", "party__name_fr", "party__code", "organisation__name", "reference"]
    autocomplete_fields = ["party", "organisation"]
    fields = [
        "round",
        "party",
        "organisation",
        "status",
        "reference",
        "deadline",
        "extended_deadline",
        "consent_to_publication",
        "submitted_at",
        "registered_at",
        "registered_by",
        "pdf_link",
    ]
    # The replies are one read-only table (templates/admin/monitoring/submission/change_form.html)
    # rather than an inline: 120 inline forms took most of the page's time.
    inlines = [TransitionInline]
    actions = ["register", "return_for_clarification"]

    def get_queryset(self, request):
        # The number of replies as a subquery, not a JOIN + GROUP BY, so that filters joining
        # other tables cannot multiply it; one query for the whole page either way.
        replies = Reply.objects.filter(submission=OuterRef("pk")).order_by().values("submission")
        reply_count = Subquery(replies.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
        queryset = with_due_date(super().get_queryset(request))
        return queryset.annotate(replies_count=Coalesce(reply_count, 0))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            replies = reply_rows(request.user, obj)
            context = {
                **context,
                "replies": replies,
                "reply_table": reply_table(replies),
                "reply_opts": Reply._meta,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        # Status and dates change only through the workflow; who replies for what, only at creation.
        readonly = ["status", "submitted_at", "registered_at", "registered_by", "pdf_link"]
        return readonly if obj is None else [*readonly, "round", "party", "organisation"]

    def has_change_permission(self, request, obj=None):
        # A registered submission is the record of what was received: read-only.
        if obj is not None and obj.status == Status.REGISTERED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.REGISTERED:
            return False
        return super().has_delete_permission(request, obj)

    # The workflow actions: the model permission to change submissions, and the app's write rule.
    def has_register_permission(self, request) -> bool:
        return super().has_change_permission(request) and rules.may_register(request.user)

    def has_return_permission(self, request) -> bool:
        return super().has_change_permission(request) and rules.may_return(request.user)

    @admin.display(description=_("round"), ordering="round__number")
    def round_name(self, obj):
        return short_label(obj.round.short_name, str(obj.round))

    @admin.display(description=_("deadline"), ordering="due_date")
    def effective_deadline(self, obj):
        return deadline_cell(obj.due_date, overdue=obj.is_overdue())

    @admin.display(description=_("replies"), ordering="replies_count")
    def reply_count(self, obj):
        return obj.replies_count

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        url = optional_url("monitoring:submission_pdf", obj.pk) if obj.status == Status.REGISTERED else None
        return format_html('<a href="{}">{}</a>', url, _("download the PDF")) if url else "—"

    # --- workflow actions: each submission goes through its service, never queryset.update ---

    @admin.action(description=_("Register the selected submissions"), permissions=["register"])
    def register(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda submission: services.submission_register(submission=submission, by=request.user),
            refusals=(services.InvalidTransition,),
            done_message=lambda n: (
                ngettext("%(count)d submission registered.", "%(count)d submissions registered.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Return the selected submissions for clarification…"), permissions=["return"])
    def return_for_clarification(self, request, queryset):
        """First call: a page asking for the message; its POST (with `apply`) returns them."""
        return self.action_with_message(
            request,
            queryset,
            action="return_for_clarification",
            form_class=ReturnForm,
            title=_("Return for clarification"),
            intro=_("These submissions will go back to their authors, with your message:"),
            detail=lambda submission: submission.get_status_display(),
            act=lambda submission, message: services.submission_return(
                submission=submission, by=request.user, message=message
            ),
            # Only what the service accepts is offered: a registered submission cannot go back.
            eligible=lambda submission: submission.can_move_to(Status.RETURNED),
            refusals=(services.InvalidTransition,),
            done_message=lambda n: (
                ngettext(
                    "%(count)d submission returned for clarification.",
                    "%(count)d submissions returned for clarification.",
                    n,
                )
                % {"count": n}
            ),
        )


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["submission_label", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", ("submission__round", short_label_filter("short_name"))]
    list_select_related = ["submission__round", "submission__party", "submission__organisation", "by"]
    search_fields = ["submission__party__name_en", "submission__organisation__name", "comment"]
    date_hierarchy = "at"

    @admin.display(description=_("submission"), ordering="submission")
    def submission_label(self, obj):
        return str(obj.submission)  # a cell that wraps, unlike a foreign key's


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["submission", "kind", "deadline", "sent_at", "recipients"]
    list_filter = ["kind", ("submission__round", short_label_filter("short_name"))]
    list_select_related = ["submission__round", "submission__party", "submission__organisation"]
    search_fields = ["submission__party__name_en", "submission__organisation__name", "recipients"]
