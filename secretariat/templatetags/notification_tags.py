"""The bell: the signed-in user's unread notifications, counted as the user is loaded (auth_backends)."""

from django import template

from secretariat import access, notifications

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not access.is_signed_in(user):
        return 0
    return notifications.unread_count(user)
