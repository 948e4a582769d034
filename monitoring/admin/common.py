"""Pieces shared by the monitoring admins."""

from django.urls import NoReverseMatch, reverse


def optional_url(name: str, *args) -> str | None:
    """The URL of a page another part of the project provides, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ReadOnlyAdminMixin:
    """Records written only by services and commands (transitions, reminders) or by their authors."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
