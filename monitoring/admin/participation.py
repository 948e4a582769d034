"""Children's views in the admin: the organisations' contributions, the safeguarding review and the
workflow (register, return), each move through monitoring.participation.

The Secretariat reads every contribution, decides each safeguarding flag (redact, or confirm with a
reason) and registers or returns; a rapporteur reads the registered contributions of their rounds,
without the flags and without any action (monitoring/access.py). A contribution's own fields are
the organisation's and stay read-only here (changed by redaction or by returning it); the Secretariat
may correct its quotes until it is registered, each through participation.quote_save.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat import access
from secretariat.admin_base import (
    ReadOnlyAttachmentInline,
    ReadOnlyInline,
    ScopedAdmin,
    short_label,
    short_label_filter,
)

from .. import access as rules
from .. import participation
from ..models import (
    ChildParticipation,
    ChildParticipationReport,
    ChildParticipationTransition,
    ChildQuote,
    SafeguardingFlag,
)
from .submissions import ReturnForm

Status = ChildParticipation.Status
OPEN = SafeguardingFlag.Decision.OPEN
#: What the services may refuse: a rule, bad input (a flag still open), a move the workflow forbids.
CONTEXT_WIDTH = 60  # characters shown each side of the words a flag found


def in_context(text: str, words: str, width: int = CONTEXT_WIDTH) -> SafeString:
    """`text` around the first occurrence of `words`, which are highlighted (escaped, then <mark>)."""
    at = text.lower().find(words.lower()) if words else -1
    if at < 0:
        return format_html("{}", text[: width * 2] + ("…" if len(text) > width * 2 else ""))
    start, end = max(0, at - width), min(len(text), at + len(words) + width)
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start else "",
        text[start:at],
        text[at : at + len(words)],
        text[at + len(words) : end],
        "…" if end < len(text) else "",
    )


def flag_rows(user, contribution: ChildParticipation) -> list[SafeguardingFlag]:
    """The contribution's flags (none for anyone but the Secretariat), each with `where` (the quote's
    number or the summary) and `context` (the words found, highlighted in their text): one query."""
    flags = list(
        access.scoped(SafeguardingFlag, user)
        .filter(contribution=contribution)
        .select_related("quote", "decided_by")
        .order_by("quote__order", "quote_id", "pk")
    )
    for flag in flags:
        text = flag.quote.text if flag.quote_id else contribution.summary
        flag.where = _("quote: “%(quote)s”") % {"quote": flag.quote} if flag.quote_id else _("summary")
        flag.context = in_context(text, flag.matched) if flag.decision == OPEN else ""
    return flags


class OpenFlagsFilter(admin.SimpleListFilter):
    title = _("safeguarding")
    parameter_name = "flags"

    def lookups(self, request, model_admin):
        return [("open", _("with open flags")), ("none", _("without open flags"))]

    def queryset(self, request, queryset):
        flagged = access.scoped(SafeguardingFlag, request.user).filter(decision=OPEN).values("contribution")
        if self.value() == "open":
            return queryset.filter(pk__in=flagged)
        if self.value() == "none":
            return queryset.exclude(pk__in=flagged)
        return queryset


class QuoteForm(forms.ModelForm):
    """A quote as the Secretariat corrects it: contact details are refused here, before anything is
    saved (the service refuses them too), with what was found."""

    class Meta:
        model = ChildQuote
        fields = ["order", "text", "language", "age_band"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            participation.refuse_contact_details(
                cleaned.get("text", ""), field="text", language=cleaned.get("language"), what=_("The quote")
            )
        except ValidationError as refusal:
            self.add_error(None, refusal)
        return cleaned


class QuoteInline(admin.TabularInline):
    """The quotes: corrected by the Secretariat until the contribution is registered (each through
    participation.quote_save, which checks the text again under review), read-only otherwise."""

    model = ChildQuote
    form = QuoteForm
    fields = ["order", "text", "language", "age_band"]
    extra = 0
    show_change_link = False

    def get_queryset(self, request):
        return access.scoped(self.model, request.user, super().get_queryset(request))

    def _may_edit(self, request, obj) -> bool:
        return obj is not None and rules.may_edit_participation(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj) and super().has_delete_permission(request, obj)


class ReportInline(ReadOnlyAttachmentInline):
    model = ChildParticipationReport


class ParticipationTransitionInline(ReadOnlyInline):
    model = ChildParticipationTransition
    fields = ["from_status", "to_status", "by", "at", "comment"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class FlagDecisionForm(forms.Form):
    flag = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("redact", _("Redact")), ("confirm", _("Confirm"))])
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "confirm" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why these words do not identify a child."))
        return cleaned


@admin.register(ChildParticipation)
class ChildParticipationAdmin(ScopedAdmin):
    # What fits a laptop's screen beside the filters: the organisation under the title, the round
    # by its number (its title as a tooltip).
    list_display = ["contribution", "round_name", "party", "method", "children", "status", "open_flags"]
    list_filter = [
        ("round", short_label_filter("short_name")),
        ("party", admin.RelatedOnlyFieldListFilter),
        "status",
        OpenFlagsFilter,
    ]
    list_select_related = ["round", "party", "organisation"]
    list_defer = ("summary", "summary_html", "consent_description", "how_informed", "ethics_review")
    search_fields = ["title", "organisation__name", "party__name_en", "party__name_fr"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "round",
                    "party",
                    "organisation",
                    "title",
                    "status",
                    "submitted_at",
                    "registered_at",
                ]
            },
        ),
        (_("The activity"), {"fields": ["method", "started_on", "ended_on", "sections", "questions"]}),
        (
            _("The children who took part"),
            {
                "fields": [
                    "children_count",
                    ("children_under_10", "children_10_12", "children_13_15", "children_16_17"),
                    "children_age_not_recorded",
                    ("girls", "boys", "children_other_gender"),
                ]
            },
        ),
        (
            _("Consent and ethics"),
            {
                "fields": [
                    "consent_given_by",
                    "consent_description",
                    "how_informed",
                    "feedback_to_children",
                    "ethics_review",
                ]
            },
        ),
        (_("What the children said"), {"fields": ["summary_text"]}),
    ]
    inlines = [QuoteInline, ReportInline, ParticipationTransitionInline]
    actions = ["register", "return_for_clarification"]
    change_form_template = "admin/monitoring/childparticipation/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # The organisation's own text: read here, changed by redaction or by returning it.
        return [name for fieldset in self.fieldsets for row in fieldset[1]["fields"] for name in _names(row)]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not rules.may_review_participation(request.user):
            return queryset
        # The open flags as a subquery through the door: a filter's join cannot multiply it.
        flags = access.scoped(SafeguardingFlag, request.user).filter(
            contribution=OuterRef("pk"), decision=OPEN
        )
        count = Subquery(
            flags.order_by().values("contribution").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )
        return queryset.annotate(open_flags_count=Coalesce(count, 0))

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return (
            shown if rules.may_review_participation(request.user) else [c for c in shown if c != "open_flags"]
        )

    def get_list_filter(self, request):
        shown = super().get_list_filter(request)
        return (
            shown
            if rules.may_review_participation(request.user)
            else [f for f in shown if f != OpenFlagsFilter]
        )

    def has_add_permission(self, request):
        return False  # organisations write contributions in the portal

    def has_change_permission(self, request, obj=None):
        # The contribution's own fields stay read-only (get_readonly_fields); "change" is for its
        # quotes, which the Secretariat may correct until it is registered.
        if obj is None or not rules.may_edit_participation(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        pass  # nothing of the contribution itself is edited here

    def save_formset(self, request, form, formset, change):
        """Each quote through its service; a refusal (the contribution moved meanwhile) undoes all."""
        if formset.model is not ChildQuote:
            return super().save_formset(request, form, formset, change)
        try:
            for quote in formset.save(commit=False):
                participation.quote_save(quote=quote, by=request.user)
            for quote in formset.deleted_objects:
                participation.quote_delete(quote=quote, by=request.user)
        except participation.REFUSALS as refusal:
            transaction.set_rollback(True)
            self.message_user(request, participation.refusal_text(refusal), messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.REGISTERED:
            return False
        return super().has_delete_permission(request, obj)

    def has_review_permission(self, request) -> bool:
        """The model permission to change contributions, and the app's write rule."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and (
            rules.may_review_participation(request.user)
        )

    def has_register_permission(self, request) -> bool:
        return self.has_review_permission(request)

    def has_return_permission(self, request) -> bool:
        return self.has_review_permission(request)

    @admin.display(description=_("contribution"), ordering="title")
    def contribution(self, obj):
        return format_html('{}<br><span class="quiet">{}</span>', obj.title, obj.organisation)

    @admin.display(description=_("children"), ordering="children_count")
    def children(self, obj):
        return obj.children_count

    @admin.display(description=_("round"), ordering="round__number")
    def round_name(self, obj):
        return short_label(obj.round.short_name, str(obj.round))

    @admin.display(description=_("open flags"), ordering="open_flags_count")
    def open_flags(self, obj):
        count = obj.open_flags_count
        return format_html('<strong class="open-flags">{}</strong>', count) if count else "0"

    @admin.display(description=_("summary of the children's views"))
    def summary_text(self, obj):
        return obj.summary_html or "—"

    # --- the change page: the safeguarding review and the workflow's buttons -------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            reviewer = self.has_review_permission(request)
            flags = flag_rows(request.user, obj) if reviewer else []
            open_flags = [flag for flag in flags if flag.decision == OPEN]
            context = {
                **context,
                "reviewer": reviewer,
                "open_flags": open_flags,
                "decided_flags": [flag for flag in flags if flag.decision != OPEN],
                "may_register": reviewer and obj.can_move_to(Status.REGISTERED),
                "may_return": reviewer and obj.can_move_to(Status.RETURNED),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/flags/", view(self.flag_view), name=f"{name}_flag"),
            path("<path:object_id>/register/", view(self.register_view), name=f"{name}_register"),
            path("<path:object_id>/return/", view(self.return_view), name=f"{name}_return"),
            *super().get_urls(),
        ]

    def _reviewed(self, request, object_id) -> ChildParticipation:
        """The contribution (404 outside the scope), for a reviewer only (403)."""
        contribution = self.get_object(request, object_id)
        if contribution is None:
            raise Http404
        if not self.has_review_permission(request):
            raise PermissionDenied
        return contribution

    def _change_url(self, contribution: ChildParticipation, anchor: str = "") -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[contribution.pk])
        return f"{url}#{anchor}" if anchor else url

    def flag_view(self, request, object_id):
        """POST: redact or confirm (with its reason) one of the contribution's open flags."""
        contribution = self._reviewed(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(contribution, "safeguarding"))
        form = FlagDecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return HttpResponseRedirect(self._change_url(contribution, "safeguarding"))
        flags = access.scoped(SafeguardingFlag, request.user).filter(contribution=contribution)
        flag = flags.filter(pk=form.cleaned_data["flag"]).first()
        if flag is None:
            raise Http404
        try:
            if form.cleaned_data["decision"] == "redact":
                participation.flag_redact(flag=flag, by=request.user)
                done = _("Redacted: the words found are replaced by “[redacted]”.")
            else:
                participation.flag_confirm(flag=flag, by=request.user, reason=form.cleaned_data["reason"])
                done = _("Confirmed: these words do not identify a child.")
        except participation.REFUSALS as refusal:
            self.message_user(request, participation.refusal_text(refusal), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(contribution, "safeguarding"))

    def register_view(self, request, object_id):
        """POST: register the contribution (refused while a flag is open)."""
        contribution = self._reviewed(request, object_id)
        if request.method == "POST":
            try:
                participation.participation_register(contribution=contribution, by=request.user)
            except participation.REFUSALS as refusal:
                self.message_user(request, participation.refusal_text(refusal), messages.ERROR)
            else:
                self.message_user(request, _("The contribution is registered."), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(contribution))

    def return_view(self, request, object_id):
        """The message asked first; its POST returns the contribution to its organisation."""
        contribution = self._reviewed(request, object_id)
        page = self.return_for_clarification(request, self.get_queryset(request).filter(pk=contribution.pk))
        return page if page is not None else HttpResponseRedirect(self._change_url(contribution))

    # --- the list's actions: each contribution through its service, never queryset.update -----

    @admin.action(description=_("Register the selected contributions"), permissions=["register"])
    def register(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda contribution: participation.participation_register(
                contribution=contribution, by=request.user
            ),
            refusals=participation.REFUSALS,
            done_message=lambda n: (
                ngettext("%(count)d contribution registered.", "%(count)d contributions registered.", n)
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Return the selected contributions to their organisations…"), permissions=["return"]
    )
    def return_for_clarification(self, request, queryset):
        return self.action_with_message(
            request,
            queryset,
            action="return_for_clarification",
            form_class=ReturnForm,
            title=_("Return to the organisation"),
            intro=_("These contributions will go back to their organisations, with your message:"),
            detail=lambda contribution: contribution.get_status_display(),
            act=lambda contribution, message: participation.participation_return(
                contribution=contribution, by=request.user, message=message
            ),
            eligible=lambda contribution: contribution.can_move_to(Status.RETURNED),
            refusals=participation.REFUSALS,
            done_message=lambda n: (
                ngettext("%(count)d contribution returned.", "%(count)d contributions returned.", n)
                % {"count": n}
            ),
        )


def _names(row) -> tuple:
    return row if isinstance(row, tuple) else (row,)
