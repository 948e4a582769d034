"""Who must sign in with a second factor, and what a session remembers of its sign-in.

Every sign-in page runs django-allauth's flow (password, then the second factor when the user
has one); `secretariat.middleware` enforces the rules below on every request. See
docs/security.md.
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed, authenticator_used
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse

from .demo import DEMO_ACCOUNTS
from .models import STAFF_ROLES

#: The demo accounts skip the second factor in development only (`make run`); they exist only with DEBUG.
DEMO_USERNAMES = frozenset(account[0] for account in DEMO_ACCOUNTS)
#: Authenticators that are a second factor by themselves (recovery codes only back them up).
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

_SECOND_FACTOR_KEY = "signin_second_factor_user"
SIGNED_IN_AT_KEY = "signin_at"
SEEN_AT_KEY = "signin_seen_at"


def second_factor_required(user) -> bool:
    """Whether `user` may use the back office only after giving a second factor at sign-in: the
    Secretariat and the Committee (who work in the admin) and superusers. Others may add one."""
    if not settings.MFA_REQUIRED:  # off only in the test suite (tests/conftest.py)
        return False
    if settings.DEBUG and user.username in DEMO_USERNAMES:
        return False
    return user.is_superuser or user.role in STAFF_ROLES


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def session_passed_second_factor(request: HttpRequest, user) -> bool:
    """Whether `user` gave a second factor in this session: at sign-in, or by setting one up in it."""
    return request.session.get(_SECOND_FACTOR_KEY) == user.pk


def remember_second_factor(request: HttpRequest, user) -> None:
    """Record that `user` gave a second factor in this session (kept when login() cycles the key)."""
    request.session[_SECOND_FACTOR_KEY] = user.pk


@receiver(authenticator_used, dispatch_uid="signin.second_factor_used")
def _second_factor_used(sender, request: HttpRequest, user, **kwargs) -> None:
    remember_second_factor(request, user)


@receiver(authenticator_removed, dispatch_uid="signin.second_factor_removed")
def _second_factor_removed(sender, request: HttpRequest, user, **kwargs) -> None:
    # Removing one's last factor ends what the session gave: staff must set up another at once.
    if not has_second_factor(user):
        request.session.pop(_SECOND_FACTOR_KEY, None)


@receiver(user_logged_in, dispatch_uid="signin.start_session_clock")
def _start_session_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by Secretariat administrators, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("admin:index") if request.user.is_staff else reverse("portal:home")
