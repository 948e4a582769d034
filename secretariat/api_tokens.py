"""API tokens (django-rest-knox): only a hash is stored, and each token expires.

`manage.py create_api_token USERNAME` issues one and shows it once. The admin's *API tokens*
list shows Secretariat administrators every token and everyone else their own; deleting a
token there revokes it at once.
"""

from datetime import timedelta

from django.db.models import QuerySet
from knox.models import AuthToken

from . import access
from .models import User


def tokens_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Secretariat administrators see every token; other users only their own."""
    queryset = AuthToken.objects.all() if queryset is None else queryset
    if access.is_secretariat_admin(user):
        return queryset
    if not access.is_signed_in(user):
        return queryset.none()
    return queryset.filter(user=user)


access.register(AuthToken, tokens_for)


def token_create(*, user: User, expiry: timedelta | None = None) -> tuple[AuthToken, str]:
    """A new token of `user` and its only readable copy (the database keeps its hash).

    Without `expiry`, the token lives for the configured default (REST_KNOX's TOKEN_TTL).
    """
    if not user.is_active:
        raise ValueError(f"{user.username} is inactive: an inactive user gets no API token.")
    if expiry is None:
        return AuthToken.objects.create(user=user)
    return AuthToken.objects.create(user=user, expiry=expiry)
