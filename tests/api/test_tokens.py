"""API tokens (django-rest-knox): issued by a command, shown once, stored hashed, expiring, revocable."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from secretariat.api_tokens import token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _issue(username, *args):
    """Run create_api_token; the token printed on stdout, and the message on stderr."""
    out, err = StringIO(), StringIO()
    call_command("create_api_token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_prints_a_token_that_authenticates(api, coordinator_a):
    key, _ = _issue(coordinator_a.username)
    response = api.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_database_keeps_only_the_token_hash(coordinator_a):
    key, _ = _issue(coordinator_a.username)
    token = AuthToken.objects.get(user=coordinator_a)
    assert key not in (token.digest, token.token_key)
    assert token.token_key == key[: len(token.token_key)]  # a short prefix, to find the hash


def test_token_expires_after_30_days_by_default(coordinator_a):
    _issue(coordinator_a.username)
    expiry = AuthToken.objects.get(user=coordinator_a).expiry
    assert abs(expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_command_takes_another_expiry(coordinator_a):
    _, message = _issue(coordinator_a.username, "--expiry-days", "7")
    expiry = AuthToken.objects.get(user=coordinator_a).expiry
    assert abs(expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert "shown only now" in message


def test_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        _issue("nobody")


def test_command_refuses_an_inactive_user():
    user = UserFactory(is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        _issue(user.username)


def test_command_refuses_a_token_that_never_expires(coordinator_a):
    with pytest.raises(CommandError, match="--expiry-days"):
        _issue(coordinator_a.username, "--expiry-days", "0")


def test_expired_token_is_refused_and_deleted(api, coordinator_a):
    token, key = token_create(user=coordinator_a, expiry=timedelta(days=1))
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert not AuthToken.objects.filter(pk=token.pk).exists()


# --- the admin's list of tokens: each user's own, all for Secretariat administrators -------------------


@pytest.fixture
def tokens(officer, committee_member):
    return {user.username: token_create(user=user)[0] for user in (officer, committee_member)}


def _listed(client):
    response = client.get(reverse("admin:knox_authtoken_changelist"))
    assert response.status_code == 200
    return {token.user.username for token in response.context["cl"].result_list}


def test_admin_lists_only_the_users_own_tokens(client_for, officer, tokens):
    assert _listed(client_for(officer)) == {"officer"}


def test_secretariat_administrator_sees_every_token(client_for, secretariat_admin, tokens):
    assert _listed(client_for(secretariat_admin)) == {"officer", "committee"}


def test_user_revokes_their_own_token(client_for, api, officer):
    token, key = token_create(user=officer)
    url = reverse("admin:knox_authtoken_delete", args=[token.pk])
    client_for(officer).post(url, {"post": "yes"})
    assert api.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_user_cannot_revoke_another_users_token(client_for, officer, tokens):
    url = reverse("admin:knox_authtoken_delete", args=[tokens["committee"].pk])
    client_for(officer).post(url, {"post": "yes"})
    assert AuthToken.objects.filter(pk=tokens["committee"].pk).exists()


def test_admin_issues_no_token(client_for, secretariat_admin):
    response = client_for(secretariat_admin).get(reverse("admin:knox_authtoken_add"))
    assert response.status_code == 403


def test_the_token_list_runs_as_many_queries_for_many_tokens_as_for_few(client_for, secretariat_admin):
    client = client_for(secretariat_admin)

    def page_queries(tokens: int) -> int:
        for user in UserFactory.create_batch(tokens):
            token_create(user=user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:knox_authtoken_changelist")).status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(30)
