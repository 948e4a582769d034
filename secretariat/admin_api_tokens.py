"""The admin's list of API tokens: seen per user (secretariat.api_tokens), revoked by deleting them.

Tokens are issued by `manage.py create_api_token`, never here: a token is shown only when issued.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from . import access, api_tokens  # noqa: F401 - api_tokens declares who sees which token
from .admin_base import ScopedAdmin

admin.site.unregister(AuthToken)  # knox's own admin shows every token to anyone with its permission


@admin.register(AuthToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ["token_start", "user", "created", "expiry"]
    list_select_related = ["user"]
    list_filter = ["created", "expiry"]
    search_fields = ["user__username", "token_key"]
    ordering = ["-created"]
    fields = ["token_start", "user", "created", "expiry"]
    readonly_fields = fields

    @admin.display(description=_("token starts with"))
    def token_start(self, obj: AuthToken) -> str:
        # The first characters identify a token; the rest of it is known only to its holder.
        return f"{obj.token_key[:8]}…"

    def changelist_view(self, request, extra_context=None):
        # Django would say "auth token", knox's English name (admin_site.MODEL_NAMES).
        return super().changelist_view(request, {"title": _("API tokens"), **(extra_context or {})})

    # Any user of the admin sees (their own) tokens and revokes them; nobody adds or edits one here.
    def has_module_permission(self, request) -> bool:
        return access.works_in_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_export_permission(self, request) -> bool:
        return False
