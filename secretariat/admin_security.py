"""Admin pages of sign-in security, for Secretariat administrators only: the audit log (read and
export), sign-in lock-outs (django-axes: lift them) and users' second factors (allauth: remove a
lost one so its owner can set up another). Nobody adds or edits any of them here."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from . import access, audit, signin
from .admin_base import ScopedAdmin
from .models import AuditEvent, User


def _administrators_only(model):
    def selector(user, queryset: QuerySet | None = None) -> QuerySet:
        queryset = model.objects.all() if queryset is None else queryset
        return queryset if access.is_secretariat_admin(user) else queryset.none()

    return selector


for _model in (AuditEvent, AccessAttempt, Authenticator):
    access.register(_model, _administrators_only(_model))

# E-mail addresses are edited on the user; allauth's own pages are replaced by scoped ones below.
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


class AdministratorsOnlyAdmin(ScopedAdmin):
    """Seen by Secretariat administrators only, whatever their groups' permissions; never added or edited."""

    def has_module_permission(self, request) -> bool:
        return access.is_secretariat_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return access.is_secretariat_admin(request.user)

    def has_export_permission(self, request) -> bool:
        return access.is_secretariat_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditEventResource(resources.ModelResource):
    user = fields.Field(
        attribute="user", column_name="user", widget=widgets.ForeignKeyWidget(User, "username")
    )

    class Meta:
        model = AuditEvent
        fields = ["at", "kind", "user", "username", "ip_address", "user_agent", "target", "details"]


@admin.register(AuditEvent)
class AuditEventAdmin(AdministratorsOnlyAdmin):
    resource_classes = [AuditEventResource]
    list_display = ["at", "kind", "username", "ip_address", "target"]
    list_filter = ["kind", "at"]
    list_select_related = ["user"]
    search_fields = ["username", "ip_address", "target"]
    date_hierarchy = "at"
    fields = ["at", "kind", "user", "username", "ip_address", "user_agent", "target", "details"]
    readonly_fields = fields


@admin.register(AccessAttempt)
class LockoutAdmin(AdministratorsOnlyAdmin, AccessAttemptAdmin):
    """Failed sign-ins by account; deleting an account's row (or the action) lifts its lock-out."""

    actions = ["lift_lockouts"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return access.is_secretariat_admin(request.user)

    @admin.action(description=_("Lift the lock-out of the selected accounts"), permissions=["delete"])
    def lift_lockouts(self, request, queryset: QuerySet) -> None:
        count = len(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(request, _("%(count)d lock-out(s) lifted.") % {"count": count})

    def delete_model(self, request, obj: AccessAttempt) -> None:
        self.delete_queryset(request, AccessAttempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        for attempt in queryset:
            audit.record(
                audit.Kind.LOCK_LIFTED,
                request=request,
                target=attempt.username,
                details={"failures": attempt.failures_since_start},
            )
        super().delete_queryset(request, queryset)


@admin.register(Authenticator)
class AuthenticatorAdmin(AdministratorsOnlyAdmin):
    """A user who lost their phone or key asks an administrator to remove it, then sets up another."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["delete_selected"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return access.is_secretariat_admin(request.user)

    def delete_model(self, request, obj: Authenticator) -> None:
        self.delete_queryset(request, Authenticator.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        removed = list(queryset.select_related("user"))
        for authenticator in removed:
            audit.record(
                audit.Kind.MFA_CHANGED,
                request=request,
                target=authenticator.user.get_username(),
                details={"action": "removed by an administrator", "type": authenticator.type},
            )
        super().delete_queryset(request, queryset)
        # Recovery codes only back up a second factor: they go with the last one.
        users = {authenticator.user_id for authenticator in removed}
        without_factor = users - set(
            Authenticator.objects.filter(user__in=users, type__in=signin.SECOND_FACTOR_TYPES).values_list(
                "user", flat=True
            )
        )
        Authenticator.objects.filter(user__in=without_factor, type=Authenticator.Type.RECOVERY_CODES).delete()
