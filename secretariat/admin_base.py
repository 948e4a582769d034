"""The base of every ModelAdmin in the project: scoped querysets, history, export, and an
"Import" button on the changelists of the kinds the import path reads.

Every admin class of every app derives from ScopedAdmin, so the changelist, the change
form, autocomplete, foreign-key choices, history pages and exports all read through
secretariat.access. A model the import path reads (a registered ImportKind) is exported with
its kind's resource, so that an exported list can be imported again unchanged.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter, helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import access, audit, exports, import_jobs


class DeferringChangeList(ChangeList):
    """A changelist that does not load its admin's `list_defer` columns."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self.model_admin.list_defer) if self.model_admin.list_defer else queryset


class ScopedAdmin(ExportMixin, SimpleHistoryAdmin):
    list_per_page = 50
    show_full_result_count = False
    #: Columns the changelist does not load: long texts it shows by their stored excerpt.
    list_defer: tuple[str, ...] = ()

    import_export_change_list_template = "admin/change_list_with_import.html"

    def get_queryset(self, request):
        return access.scoped(self.model, request.user, super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return DeferringChangeList

    def get_export_queryset(self, request):
        # An export writes whole rows: what the changelist defers would cost a query per row.
        return super().get_export_queryset(request).defer(None)

    def action_checkbox(self, obj):
        # Django renders a CheckboxInput through the template engine on each row (a tenth of a
        # millisecond each); the same <input>, written here.
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_links": self.import_links(request)}
        return super().changelist_view(request, extra_context)

    def import_links(self, request) -> list[tuple[str, str]]:
        """(title, URL) of the import page of each kind listed on this changelist that the user may import."""
        changelist = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        # The kinds of this changelist first: a permission check for each kind on every page is not free.
        return [
            (kind.title, reverse("import_file", args=[kind.name]))
            for kind in import_jobs.importable_kinds(request.user, changelist=changelist)
        ]

    # --- exports: the changelist's rows (filters, search, scope), in the import's layout ----------

    def get_export_resource_classes(self, request):
        if kinds := exports.kinds_for_model(self.model):
            return [kind.resource for kind in kinds]
        return super().get_export_resource_classes(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_data_for_export(self, request, queryset, **kwargs):
        form = kwargs.get("export_form")
        resource_class = self.choose_export_resource_class(form, request)
        if not exports.kinds_for_model(self.model):
            return super().get_data_for_export(request, queryset, **kwargs)
        # Rendered as the whole-dataset export renders it (text cells, what the resource loads).
        resource = resource_class(user=request.user)
        fields = self.get_export_resource_fields_from_form(form)
        return exports.export_rows(resource, exports.with_loading(resource, queryset), fields)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        audit.record(
            audit.Kind.EXPORT,
            request=request,
            target=self.opts.verbose_name_plural,
            details={
                "model": self.opts.label,
                "format": file_format.get_extension(),
                "query": request.GET.urlencode(),
            },
        )
        return data

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if access.has_rule(related) and "queryset" not in kwargs:
            kwargs["queryset"] = access.scoped(related, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if access.has_rule(related) and "queryset" not in kwargs:
            kwargs["queryset"] = access.scoped(related, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def apply_each(self, request, items, act, *, refusals: tuple[type[Exception], ...], done_message) -> int:
        """Run a service on each selected row, reporting each refusal and then how many succeeded.

        Admin actions change records one by one through their service (never queryset.update),
        so every change is checked and recorded; `done_message(count)` words the success.
        """
        done = 0
        for item in items:
            try:
                act(item)
            except refusals as refusal:
                self.message_user(
                    request, _("%(item)s: %(reason)s") % {"item": item, "reason": refusal}, messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        return done

    def action_with_message(
        self,
        request,
        queryset,
        *,
        action: str,
        form_class,
        title,
        intro,
        detail,
        act,
        refusals,
        done_message,
        eligible=None,
    ):
        """An action that asks for a message before it runs (return for clarification, ask for more
        information...): the first call shows the chosen rows (`detail(row)` next to each) and
        `form_class`'s form; its POST (with `apply`), once the form is valid, runs
        `act(row, **cleaned_data)` on each row through apply_each. `action` is the action's name.

        `eligible(row)` says whether the service would accept the row: the others are left out
        before anyone types a message, and with none left the action stops at once. If every row
        is refused once the message is typed (someone moved them meanwhile), the page comes back
        with the message as typed.
        """
        rows = list(queryset)
        if eligible is not None:
            left_out = [row for row in rows if not eligible(row)]
            rows = [row for row in rows if eligible(row)]
            for row in left_out:
                self.message_user(
                    request,
                    _("%(item)s: %(reason)s")
                    % {
                        "item": row,
                        "reason": _("not possible in its present state (%(state)s).")
                        % {"state": detail(row)},
                    },
                    messages.WARNING,
                )
            if not rows and "apply" not in request.POST:
                return None
        form = form_class(request.POST if "apply" in request.POST else None)
        if rows and form.is_bound and form.is_valid():
            done = self.apply_each(
                request,
                rows,
                lambda row: act(row, **form.cleaned_data),
                refusals=refusals,
                done_message=done_message,
            )
            if done:
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "intro": intro,
            "items": [(row, detail(row)) for row in rows],
            "rows": rows,
            "form": form,
            "submit_label": title,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": action,
        }
        return TemplateResponse(request, "admin/action_with_message.html", context)

    # --- history: past versions are read within the user's scope, never saved back --------------

    def has_history(self) -> bool:
        """Whether the model keeps a history table (transitions, reminders, the audit log do not)."""
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def _check_history_readable(self, request, object_id) -> None:
        # Only the history of a record the user may see now: simple-history would otherwise fall
        # back to the history table (another Party's records, a draft, a deleted record). Not
        # yours = missing, for the Committee too (it does not see drafts or confidential replies).
        if not self.has_history() or self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_readable(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, read-only. Saving it back (simple-history's "revert") would bypass the
        services, the workflow and the role rules (a State contributor made itself administrator
        that way), so it is refused to everyone; changes go through the change form and the services."""
        self._check_history_readable(request, object_id)
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_form_template:
            # Every field as text: a past version offers nothing to edit.
            form = context["adminform"]
            fieldsets = list(form.fieldsets)
            context["adminform"] = helpers.AdminForm(
                form.form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=self
            )
            context["has_change_permission"] = False
        return super().render_history_view(request, template, context, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context = {**context, "has_history_page": self.has_history()}
        return super().render_change_form(request, context, add, change, form_url, obj)


class OverdueFilter(admin.SimpleListFilter):
    """Overdue: yes or no. A subclass says which rows are late today with `overdue_rows`."""

    title = gettext_lazy("overdue")
    parameter_name = "overdue"

    @staticmethod
    def overdue_rows(queryset, *, today, late: bool):
        """The rows overdue on `today` (`late`), or the others."""
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return self.overdue_rows(queryset, today=timezone.localdate(), late=self.value() == "yes")
        return queryset


class ReadOnlyInline(admin.TabularInline):
    """A list of related rows on a change page, scoped like everything else."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return access.scoped(self.model, request.user, super().get_queryset(request))


class ReadOnlyAttachmentInline(ReadOnlyInline):
    """The files attached to a record (subclasses of models.Attachment); a subclass names its `model`."""

    fields = ["title", "file"]
    readonly_fields = fields
    show_change_link = False


def short_label(short: str, full: str) -> str:
    """A changelist cell showing `short`, the whole of `full` as its tooltip: long round, report
    and chapter titles would otherwise widen the table past a laptop's screen."""
    if short == full:
        return format_html("{}", short)
    return format_html('<span title="{}">{}</span>', full, short)


def deadline_cell(deadline: datetime.date | None, *, overdue: bool) -> str:
    """A deadline in a changelist, with "overdue" beside it when it has passed: a column of its
    own took the width of a laptop's screen, and its boolean icons showed the good news ("not
    overdue") as a red cross."""
    if deadline is None:
        return "—"
    if not overdue:
        return format_html('<span class="nowrap">{}</span>', formats.localize(deadline))
    return format_html(
        '<span class="nowrap">{}</span> <strong class="overdue">{}</strong>',
        formats.localize(deadline),
        _("overdue"),
    )


def short_label_filter(attribute: str, *select_related: str) -> type[RelatedOnlyFieldListFilter]:
    """A filter on a related record (as RelatedOnlyFieldListFilter) naming each by `attribute`,
    "Round 2" rather than the round's whole title; one query, as the stock filter."""

    class ShortLabelFilter(RelatedOnlyFieldListFilter):
        def field_choices(self, field, request, model_admin):
            used = model_admin.get_queryset(request).values_list(f"{self.field_path}__pk", flat=True)
            related = field.related_model._default_manager.filter(pk__in=used)
            related = related.select_related(*select_related) if select_related else related
            return [(obj.pk, getattr(obj, attribute)) for obj in related]

    return ShortLabelFilter
