"""The base of every ModelAdmin in the project: scoped querysets, history and export.

Every admin class of every app derives from ScopedAdmin, so the changelist, the change
form, autocomplete, foreign-key choices, history pages and exports all read through
secretariat.access.
"""

from django.contrib import admin, messages
from django.http import Http404
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import access


class ScopedAdmin(ExportMixin, SimpleHistoryAdmin):
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return access.scoped(self.model, request.user, super().get_queryset(request))

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

    def _check_in_scope(self, request, object_id) -> None:
        # simple-history falls back to the history table when the object is not in
        # get_queryset(): that would show another Party's records. Not yours = missing.
        in_scope = self.get_queryset(request).filter(pk=object_id).exists()
        if not in_scope and not access.sees_everything(request.user):
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


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
