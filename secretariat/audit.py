"""The audit log: `record()` writes one AuditEvent; the receivers below call it for sign-ins and
their failures, lock-outs, second-factor changes and role changes.

Exports, file downloads and imports call `record()` where they happen (`ScopedAdmin`, the
dataset export view and command, `views.protected_file`, `imports.run_import`).
"""

import ipaddress

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from . import signin
from .models import AuditEvent, User

Kind = AuditEvent.Kind

USER_AGENT_LENGTH = AuditEvent._meta.get_field("user_agent").max_length
TARGET_LENGTH = AuditEvent._meta.get_field("target").max_length
#: A change of any of these is a change of what the account may do.
ROLE_FIELDS = ("role", "is_active", "is_superuser")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as allauth reads it (REMOTE_ADDR, or X-Forwarded-For behind
    ALLAUTH_TRUSTED_PROXY_COUNT proxies); django-axes uses the same (AXES_CLIENT_IP_CALLABLE)."""
    try:
        address = get_account_adapter(request).get_client_ip(request)
        return str(ipaddress.ip_address(address.strip()))
    except (PermissionDenied, ValueError):
        return None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    target: object = "",
    details: dict | None = None,
) -> AuditEvent:
    """Write one audit event. `user` (who acted) defaults to the request's signed-in user; the IP
    address and browser come from `request`, when the act came through one."""
    if user is None and request is not None:
        current = getattr(request, "user", None)
        user = current if current is not None and current.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=request.headers.get("user-agent", "")[:USER_AGENT_LENGTH] if request is not None else "",
        target=str(target)[:TARGET_LENGTH],
        details=details or {},
    )


# --- sign-in ------------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit.signed_in")
def _signed_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    second_factor = request is not None and signin.session_passed_second_factor(request, user)
    record(Kind.SIGN_IN, request=request, user=user, details={"second_factor": second_factor})


@receiver(user_logged_out, dispatch_uid="audit.signed_out")
def _signed_out(sender, request: HttpRequest, user: User | None, **kwargs) -> None:
    if user is not None:
        reason = getattr(request, "sign_out_reason", "user")
        record(Kind.SIGN_OUT, request=request, user=user, details={"reason": reason})


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def _sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    record(Kind.SIGN_IN_FAILED, request=request, username=credentials.get("username") or "")


@receiver(user_locked_out, dispatch_uid="audit.locked_out")
def _locked_out(sender, request: HttpRequest, username: str, ip_address: str, **kwargs) -> None:
    record(Kind.LOCKED_OUT, request=request, username=username or "", target=username or ip_address)


# --- second factor ------------------------------------------------------------------------------


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit.second_factor_failed")
def _second_factor_failed(sender, request: HttpRequest, user: User, authenticator, **kwargs) -> None:
    record(
        Kind.SIGN_IN_FAILED,
        request=request,
        user=user,
        details={"step": "second_factor", "type": authenticator.type if authenticator else None},
    )


def _second_factor_changed(action: str):
    def receiver_(sender, request: HttpRequest, user: User, authenticator, **kwargs) -> None:
        record(
            Kind.MFA_CHANGED,
            request=request,
            user=user,
            target=user.get_username(),
            details={"action": action, "type": authenticator.type},
        )

    return receiver_


for _signal, _action in (
    (mfa_signals.authenticator_added, "added"),
    (mfa_signals.authenticator_removed, "removed"),
    (mfa_signals.authenticator_reset, "reset"),
):
    _signal.connect(_second_factor_changed(_action), weak=False, dispatch_uid=f"audit.mfa_{_action}")


# --- roles --------------------------------------------------------------------------------------


@receiver(pre_save, sender=User, dispatch_uid="audit.role_before")
def _remember_role(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(update_fields) & set(ROLE_FIELDS):
        return  # e.g. last_login at each sign-in
    before = User.objects.filter(pk=instance.pk).values(*ROLE_FIELDS).first() if instance.pk else None
    instance._role_before = before or dict.fromkeys(ROLE_FIELDS)


@receiver(post_save, sender=User, dispatch_uid="audit.role_after")
def _role_changed(sender, instance: User, created: bool, **kwargs) -> None:
    before = instance.__dict__.pop("_role_before", None)
    if before is None:
        return
    changes = {
        field: [before[field], getattr(instance, field)]
        for field in ROLE_FIELDS
        if before[field] != getattr(instance, field)
    }
    if changes:
        # The admin's request, kept by simple-history's middleware: who made the change, from where.
        request = getattr(HistoricalRecords.context, "request", None)
        record(
            Kind.ROLE_CHANGED,
            request=request,
            target=instance.get_username(),
            details={"account_created": created, "changes": changes},
        )
