"""Session rules applied to every request of a signed-in user (docs/security.md).

Both middlewares sign a user out by calling `logout()` and let the request go on as anonymous:
each page then sends them to its own sign-in page (admin or portal), and the API answers 401.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import signin

#: The session's last-activity time is written at most this often, not on every request.
SEEN_AT_RESOLUTION_SECONDS = 60


class SessionMaxAgeMiddleware:
    """Ends a session idle for SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS since sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        signed_in_at = session.get(signin.SIGNED_IN_AT_KEY, 0)
        seen_at = session.get(signin.SEEN_AT_KEY, 0)
        if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
            _sign_out(request, "idle", _("You were signed out after a period without activity."))
        elif now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
            _sign_out(request, "max_age", _("Your session has ended: please sign in again."))
        elif now - seen_at > SEEN_AT_RESOLUTION_SECONDS:
            session[signin.SEEN_AT_KEY] = now


class RequireSecondFactorMiddleware:
    """Holds users whose role needs a second factor until this session has passed one.

    Without an authenticator yet, they may only reach their account pages (to set one up), the
    language switch and sign-out; with one, a session that did not give it is signed out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (
            user.is_authenticated
            and signin.second_factor_required(user)
            and not signin.session_passed_second_factor(request, user)
        ):
            return self.get_response(request)
        if signin.has_second_factor(user):
            _sign_out(request, "second_factor", _("Please sign in again with your second factor."))
            return self.get_response(request)
        if not _is_account_page(request.path_info):
            messages.info(
                request,
                _("Your role opens confidential material: set up two-factor authentication to continue."),
            )
            return redirect("mfa_activate_totp")
        response = self.get_response(request)
        if signin.has_second_factor(user):
            # Set up during this request, which took a valid code (or a security key): it counts.
            signin.remember_second_factor(request, user)
        return response


def _is_account_page(path: str) -> bool:
    open_paths = (
        reverse("account_logout").removesuffix("logout/"),  # allauth's pages: second factor, password
        reverse("set_language"),
        reverse("admin:logout"),
        reverse("portal:logout"),
    )
    return path.startswith(open_paths)


def _sign_out(request: HttpRequest, reason: str, message: str) -> None:
    request.sign_out_reason = reason  # read by the audit log's sign-out record
    logout(request)
    messages.warning(request, message)
