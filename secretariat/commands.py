"""What the management commands share: who they act as, and where they write."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q

from . import access
from .models import Role, User


def acting_user(username: str | None, *, secretariat_only: bool = True) -> User:
    """The user a command acts as (its access scope decides what it reads).

    By default the first active Secretariat administrator (or superuser); `--user` chooses
    another, who must be Secretariat staff unless the command only reads published texts.
    """
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        if secretariat_only and not access.is_secretariat(user):
            raise CommandError(f"{username!r} is not an active Secretariat user.")
        return user
    admins = User.objects.filter(Q(role=Role.SECRETARIAT_ADMIN) | Q(is_superuser=True), is_active=True)
    user = admins.order_by("pk").first()
    if user is None:
        raise CommandError("No active Secretariat administrator to act as; pass --user.")
    return user


def output_path(value: str) -> Path:
    """The file a command will write, refused early when its folder does not exist."""
    output = Path(value)
    if not output.parent.is_dir():
        raise CommandError(f"Cannot write {output}: the folder {output.parent} does not exist.")
    return output
