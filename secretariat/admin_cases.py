"""The cases in the admin: who handles what, what waits on whom, and by when.

A case is kept in step with its subject by the app that owns it (`secretariat.cases`); the one
thing set here is its handler, alone on its change page or in bulk ("Assign to…", "Unassign"),
always through `cases.assign`, which records who assigned whom and when in the case's history.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import access, cases
from .admin_base import OverdueFilter, ScopedAdmin
from .admin_correspondence import NoteInline, case_urls
from .models import SECRETARIAT_ROLES, Case, User


class HandlerField(forms.ModelChoiceField):
    """Secretariat users by their names (their usernames when they have none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def handlers_for(user) -> "forms.ModelChoiceField":
    """Who may be given cases (active Secretariat users), as the user may see them."""
    queryset = access.scoped(User, user).filter(role__in=SECRETARIAT_ROLES, is_active=True)
    return HandlerField(
        queryset=queryset.order_by("last_name", "first_name", "username"), label=gettext_lazy("Handler")
    )


class AssignForm(forms.Form):
    """The handler chosen on the "Assign to…" page."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"] = handlers_for(user)


class CaseOverdueFilter(OverdueFilter):
    @staticmethod
    def overdue_rows(queryset, *, today, late: bool):
        is_late = Q(closed_at__isnull=True, due_date__lt=today)
        if late:
            return queryset.filter(is_late)
        return queryset.filter(Q(closed_at__isnull=False) | Q(due_date__isnull=True) | Q(due_date__gte=today))


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, kind.label) for kind in cases.kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class HandlerFilter(admin.SimpleListFilter):
    """Handled by whom, "me" and "unassigned" first."""

    title = gettext_lazy("handled by")
    parameter_name = "handler"

    def lookups(self, request, model_admin):
        handlers = handlers_for(request.user).queryset
        return [
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *((str(user.pk), user.get_full_name() or user.username) for user in handlers),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(handler=request.user)
        if value == "none":
            return queryset.filter(handler__isnull=True)
        if value and value.isdigit():
            return queryset.filter(handler=int(value))
        return queryset


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["handler"]


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    form = CaseForm
    # A case's title names its Party (which is a filter): no column of its own, to fit a laptop's screen.
    list_display = ["title", "kind_label", "state_label", "waiting_on", "due", "handler_label"]
    list_filter = [
        "waiting_on",
        KindFilter,
        HandlerFilter,
        CaseOverdueFilter,
        ("party", RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["party", "handler"]
    search_fields = ["title_en", "title_fr", "party__code", "party__name_en", "party__name_fr"]
    fields = [
        "title",
        "kind_label",
        "state_label",
        "party",
        "organisation",
        "waiting_on",
        "waiting_since",
        "due",
        "handler",
        "opened_at",
        "closed_at",
        "handled_at",
    ]
    readonly_fields = [name for name in fields if name != "handler"]
    actions = ["assign_to", "unassign"]
    inlines = [NoteInline]  # the internal thread: Secretariat, and rapporteurs on their cases

    def get_urls(self):
        return [*case_urls(self.admin_site), *super().get_urls()]

    # --- what the Secretariat may do: give cases to someone, nothing else ----------------------

    def has_add_permission(self, request):
        return False  # cases are opened by their subjects (cases.refresh)

    def has_delete_permission(self, request, obj=None):
        return False  # closed by their subjects, never deleted by hand

    def has_change_permission(self, request, obj=None):
        if access.is_secretariat(request.user):
            return super().has_change_permission(request, obj)
        # A rapporteur saves the case's page only to add a note to it (the handler stays read-only).
        return obj is not None and access.may_write_note(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        if access.may_assign_cases(request.user):
            return self.readonly_fields
        return self.fields

    def has_assign_permission(self, request) -> bool:
        return access.may_assign_cases(request.user) and super().has_change_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handler":
            field = handlers_for(request.user)
            field.required, field.label = False, capfirst(db_field.verbose_name)
            field.empty_label = _("Unassigned")
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "handler" not in form.changed_data:
            return
        # Through the service, from the row as stored: it records who assigned whom in the history.
        stored = self.get_queryset(request).get(pk=obj.pk)
        try:
            cases.assign([stored], handler=form.cleaned_data["handler"], by=request.user)
        except (PermissionDenied, ValidationError) as refusal:
            self.message_user(request, str(refusal), messages.ERROR)

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("case"), ordering="title_en")
    def title(self, obj):
        return str(obj)

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_label(self, obj):
        return cases.kind_label(obj)

    @admin.display(description=gettext_lazy("state"), ordering="state")
    def state_label(self, obj):
        return cases.state_label(obj)

    @admin.display(description=gettext_lazy("due date"), ordering="due_date")
    def due(self, obj):
        if obj.due_date is None:
            return "—"
        day = date_format(obj.due_date, "DATE_FORMAT")
        if obj.is_overdue():
            return format_html('<strong class="overdue">{} ({})</strong>', day, _("overdue"))
        return day

    @admin.display(description=gettext_lazy("handled by"), ordering="handler__last_name")
    def handler_label(self, obj):
        if obj.handler is None:
            return format_html("<em>{}</em>", _("Unassigned"))
        return obj.handler.get_full_name() or obj.handler.username

    @admin.display(description=gettext_lazy("handled at"))
    def handled_at(self, obj):
        try:
            url = cases.kind_of(obj).handled_at(obj)
        except KeyError:
            return "—"
        return format_html('<a href="{}">{}</a>', url, _("Open where it is handled"))

    # --- bulk actions -------------------------------------------------------------------------

    def _assign_message(self, count: int) -> str:
        return ngettext("%(count)d case assigned.", "%(count)d cases assigned.", count) % {"count": count}

    @admin.action(description=gettext_lazy("Assign the selected cases to…"), permissions=["assign"])
    def assign_to(self, request, queryset):
        """First call: a page asking for the handler; its POST (with `apply`) assigns them."""
        user = request.user

        class ChosenHandler(AssignForm):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, user=user, **kwargs)

        return self.action_with_message(
            request,
            queryset.select_related("party", "handler"),
            action="assign_to",
            form_class=ChosenHandler,
            title=_("Assign cases"),
            intro=_("These cases will be handled by the officer you choose:"),
            detail=lambda case: self.handler_label(case),
            act=lambda case, handler: cases.assign([case], handler=handler, by=user),
            refusals=(PermissionDenied, ValidationError),
            done_message=self._assign_message,
        )

    @admin.action(description=gettext_lazy("Unassign the selected cases"), permissions=["assign"])
    def unassign(self, request, queryset):
        try:
            count = cases.assign(queryset, handler=None, by=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d case unassigned.", "%(count)d cases unassigned.", count) % {"count": count},
            messages.SUCCESS,
        )
