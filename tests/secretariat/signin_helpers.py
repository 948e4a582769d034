"""Signing in as a person does: the sign-in pages, authenticator codes, recovery codes."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

ADMIN_LOGIN = "/admin/login/"
PORTAL_LOGIN = "/portal/login/"


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def give_totp(user) -> str:
    """Set up an authenticator app (and recovery codes) for `user`; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def sign_in(client, username: str, password: str = "pw", url: str = ADMIN_LOGIN, **extra):
    """Post the first step of a sign-in page (username and password)."""
    return client.post(url, {"login": username, "password": password}, **extra)


def give_code(client, code: str):
    """Post the second step: an authenticator or recovery code."""
    return client.post(reverse("mfa_authenticate"), {"code": code})


def start_totp_setup(client) -> str:
    """Open the authenticator-app setup (confirming the password, as allauth asks); returns its secret."""
    client.post(reverse("account_reauthenticate"), {"password": "pw"})
    return client.get(reverse("mfa_activate_totp")).context["form"].secret
