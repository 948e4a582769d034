"""Two-factor authentication: required for the Secretariat and the Committee, open to everyone."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from secretariat import signin
from tests.factories import UserFactory
from tests.secretariat.signin_helpers import (
    PORTAL_LOGIN,
    give_code,
    give_totp,
    recovery_codes,
    sign_in,
    start_totp_setup,
    totp_code,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("second_factor_required")]

ADMIN_INDEX = reverse("admin:index")
TOTP_SETUP = reverse("mfa_activate_totp")


def test_production_settings_require_the_second_factor():
    # tests/conftest.py turns the requirement off for the rest of the suite; the settings keep it on.
    assert importlib.import_module("secretariat.settings").MFA_REQUIRED is True


@pytest.mark.parametrize("persona", ["secretariat_admin", "officer", "committee_member"])
def test_staff_without_a_second_factor_is_sent_to_set_one_up(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(ADMIN_INDEX)
    assert (response.status_code, response.url) == (302, TOTP_SETUP)


def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up(client_for):
    superuser = UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    response = client_for(superuser).get(ADMIN_INDEX)
    assert (response.status_code, response.url) == (302, TOTP_SETUP)


@pytest.mark.parametrize("path", ["/admin/secretariat/party/", "/portal/", "/api/v1/parties/", "/imports/"])
def test_staff_reaches_no_page_before_setting_up_a_second_factor(client_for, officer, path):
    response = client_for(officer).get(path)
    assert (response.status_code, response.url) == (302, TOTP_SETUP)


def test_setting_up_an_authenticator_app_opens_the_admin(client, officer):
    sign_in(client, officer.username)
    secret = start_totp_setup(client)
    response = client.post(TOTP_SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_wrong_code_sets_up_nothing(client, officer):
    sign_in(client, officer.username)
    start_totp_setup(client)
    response = client.post(TOTP_SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=officer).exists()
    assert client.get(ADMIN_INDEX).url == TOTP_SETUP


@pytest.mark.parametrize("url", ["/admin/login/", PORTAL_LOGIN, "/accounts/login/"])
def test_the_password_alone_does_not_sign_in_a_user_with_a_second_factor(client, officer, url):
    give_totp(officer)
    response = sign_in(client, officer.username, url=url)
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN_INDEX).status_code == 302


def test_the_code_completes_the_admin_sign_in(client, officer):
    secret = give_totp(officer)
    sign_in(client, officer.username)
    response = give_code(client, totp_code(secret))
    assert response.url == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_wrong_code_does_not_sign_in(client, officer):
    give_totp(officer)
    sign_in(client, officer.username)
    response = give_code(client, "123456")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, officer):
    give_totp(officer)
    code = recovery_codes(officer)[0]
    sign_in(client, officer.username)
    assert give_code(client, code).url == ADMIN_INDEX
    client.logout()

    sign_in(client, officer.username)
    response = give_code(client, code)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_session_signed_in_without_the_second_factor_cannot_reach_the_admin(client_for, officer):
    give_totp(officer)
    client = client_for(officer)  # force_login: the password step only, at most
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


def test_a_state_user_is_not_required_to_set_up_a_second_factor(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("portal:home")).status_code == 200


def test_a_portal_user_can_set_up_an_authenticator_app(client, coordinator_a):
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    secret = start_totp_setup(client)
    client.post(TOTP_SETUP, {"code": totp_code(secret)})
    client.logout()

    response = sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert give_code(client, recovery_codes(coordinator_a)[0]).url == reverse("portal:home")


def test_the_account_pages_are_in_french(client, coordinator_a):
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    start_totp_setup(client)
    response = client.get(TOTP_SETUP, headers={"accept-language": "fr"})
    assert "Activer" in response.text


@pytest.mark.parametrize(("debug", "required"), [(True, False), (False, True)])
def test_demo_accounts_skip_the_second_factor_in_development_only(settings, debug, required):
    settings.DEBUG = debug
    demo_officer = UserFactory(username="secretariat-officer")
    assert signin.second_factor_required(demo_officer) is required


@pytest.mark.parametrize(("persona", "page"), [("coordinator_a", "/portal/"), ("officer", "/admin/")])
def test_every_user_finds_the_two_factor_page(request, client_for, persona, page, settings):
    settings.MFA_REQUIRED = False
    response = client_for(request.getfixturevalue(persona)).get(page)
    assert f'href="{reverse("mfa_index")}"' in response.text


def test_a_security_key_can_be_added_instead(client, coordinator_a):
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    client.post(reverse("account_reauthenticate"), {"password": "pw"})
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    assert 'id="mfa_webauthn_add"' in response.text


def test_signing_out_of_the_account_pages_leads_to_a_sign_in_page(client_for, coordinator_a):
    response = client_for(coordinator_a).post(reverse("account_logout"))
    assert response.url == reverse("account_login")


def test_staff_removing_their_last_factor_must_set_up_another(client, officer):
    secret = give_totp(officer)
    sign_in(client, officer.username)
    give_code(client, totp_code(secret))
    client.post(reverse("account_reauthenticate"), {"password": "pw"})
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN_INDEX).url == TOTP_SETUP
