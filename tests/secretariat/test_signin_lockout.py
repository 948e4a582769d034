"""Lock-out after 5 failed sign-ins on one account (django-axes), throttling per IP address
(allauth's rate limits), and an administrator lifting a lock-out."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.secretariat.signin_helpers import ADMIN_LOGIN, PORTAL_LOGIN, sign_in

pytestmark = pytest.mark.django_db

LOCKOUTS = reverse("admin:axes_accessattempt_changelist")


def _fail(client, username: str, times: int, url: str = PORTAL_LOGIN, ip: str = "127.0.0.1") -> None:
    for _ in range(times):
        sign_in(client, username, password="wrong-password", url=url, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [ADMIN_LOGIN, PORTAL_LOGIN, "/accounts/login/"])
def test_five_failures_lock_the_account_even_against_the_right_password(client, coordinator_a, url):
    _fail(client, coordinator_a.username, 5, url=url)
    response = sign_in(client, coordinator_a.username, url=url)
    assert response.status_code == 429
    assert "locked" in response.text
    assert not _signed_in(client)


def test_four_failures_do_not_lock_the_account(client, coordinator_a):
    _fail(client, coordinator_a.username, 4)
    assert sign_in(client, coordinator_a.username, url=PORTAL_LOGIN).status_code == 302
    assert _signed_in(client)


def test_the_lock_out_holds_from_another_address(client, coordinator_a):
    _fail(client, coordinator_a.username, 5, ip="10.0.0.1")
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN, REMOTE_ADDR="10.0.0.2")
    assert not _signed_in(client)


def test_a_lock_out_leaves_other_accounts_open(client, coordinator_a, contributor_a):
    _fail(client, coordinator_a.username, 5)
    sign_in(client, contributor_a.username, url=PORTAL_LOGIN)
    assert _signed_in(client)


def test_one_address_is_throttled_across_accounts(client, coordinator_a):
    for n in range(10):  # 10 failures a minute from one address, on 10 different accounts
        _fail(client, f"guess-{n}", 1, ip="10.0.0.9")
    response = sign_in(client, coordinator_a.username, url=PORTAL_LOGIN, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    assert not _signed_in(client)


def test_the_throttle_is_per_address(client, coordinator_a):
    for n in range(10):
        _fail(client, f"guess-{n}", 1, ip="10.0.0.9")
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN, REMOTE_ADDR="10.0.0.10")
    assert _signed_in(client)


def test_an_administrator_lifts_a_lock_out_in_the_admin(client, client_for, secretariat_admin, coordinator_a):
    _fail(client, coordinator_a.username, 5)
    attempt = AccessAttempt.objects.get(username=coordinator_a.username)
    response = client_for(secretariat_admin).post(
        LOCKOUTS, {"action": "lift_lockouts", "_selected_action": [attempt.pk]}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    client.logout()
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    assert _signed_in(client)


def test_the_axes_reset_username_command_lifts_a_lock_out(client, coordinator_a):
    _fail(client, coordinator_a.username, 5)
    call_command("axes_reset_username", coordinator_a.username)
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    assert _signed_in(client)


def test_administrators_see_the_lock_outs(client, client_for, secretariat_admin, coordinator_a):
    _fail(client, coordinator_a.username, 5)
    response = client_for(secretariat_admin).get(LOCKOUTS)
    assert response.status_code == 200
    assert coordinator_a.username in response.text


@pytest.mark.parametrize("persona", ["officer", "committee_member", "coordinator_a"])
def test_only_administrators_see_the_lock_outs(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(LOCKOUTS).status_code in (302, 403)


def test_a_superuser_sees_the_lock_outs(client_for):
    superuser = UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    assert client_for(superuser).get(LOCKOUTS).status_code == 200


def test_the_lock_out_page_is_in_french(client, coordinator_a):
    _fail(client, coordinator_a.username, 5)
    response = sign_in(client, coordinator_a.username, url=PORTAL_LOGIN, headers={"accept-language": "fr"})
    assert "Compte verrouillé" in response.text
