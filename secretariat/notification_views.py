"""The notifications list (the bell's page), marking them read, and each user's own preferences.

The same views serve the admin (`/admin/notifications/`, in the admin's look, staff only) and the
portal (`/portal/notifications/`); each user reads and marks only their own notifications.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, notifications
from .history import set_author
from .models import Notification, User

PER_PAGE = 50


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "email_frequency"]
        labels = {"email_frequency": gettext_lazy("E-mails")}


def _place(namespace: str) -> dict:
    return {
        "admin_notifications": {"base": "admin/base_site.html", "namespace": "admin_notifications"},
        "portal_notifications": {"base": "portal/base.html", "namespace": "portal_notifications"},
    }[namespace]


def _context(request: HttpRequest, **extra) -> dict:
    place = _place(request.resolver_match.namespace)
    context = admin.site.each_context(request) if place["namespace"] == "admin_notifications" else {}
    return {**context, **place, **extra}


def notification_list(request: HttpRequest) -> HttpResponse:
    mine = access.scoped(Notification, request.user).only(
        "pk", "subject", "body", "url", "created_at", "read_at", "recipient_id"
    )
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        _context(request, title=_("Notifications"), page=page, unread=_unread(request.user)),
    )


def _unread(user: User) -> int:
    return notifications.unread_count(user)


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """POST `notification` (an id): that one; without it: all of the user's notifications."""
    mine = access.scoped(Notification, request.user)
    if pk := request.POST.get("notification"):
        if not pk.isdigit():
            return redirect(f"{request.resolver_match.namespace}:list")
        notification = get_object_or_404(mine, pk=pk)
        notifications.mark_read(mine.filter(pk=notification.pk), by=request.user)
    else:
        count = notifications.mark_read(mine, by=request.user)
        messages.success(request, _("%(count)d notification(s) marked read.") % {"count": count})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(f"{request.resolver_match.namespace}:list")


def preferences(request: HttpRequest) -> HttpResponse:
    """The user's own language and e-mail frequency for notifications."""
    user = get_object_or_404(access.scoped(User, request.user), pk=request.user.pk)
    form = PreferencesForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        set_author(user, request.user, "notification preferences")
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect(f"{request.resolver_match.namespace}:preferences")
    return render(
        request, "notifications/preferences.html", _context(request, title=_("My preferences"), form=form)
    )


def _admin(view):
    return admin.site.admin_view(view)


def _portal(view):
    return login_required(view, login_url="portal:login")
