"""Sessions end when idle and after a maximum age; passwords are hashed with Argon2 and have
at least 12 characters."""

import importlib
import time

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretariat import signin
from tests.secretariat.signin_helpers import PORTAL_LOGIN, sign_in

pytestmark = pytest.mark.django_db

PORTAL_HOME = reverse("portal:home")
production = importlib.import_module("secretariat.settings")  # tests/conftest.py speeds up hashing


def _age(client, *, seen_minutes_ago: float, signed_in_hours_ago: float = 0) -> None:
    session = client.session
    session[signin.SEEN_AT_KEY] = time.time() - seen_minutes_ago * 60
    session[signin.SIGNED_IN_AT_KEY] = time.time() - signed_in_hours_ago * 3600 - seen_minutes_ago * 60
    session.save()


# --- sessions -----------------------------------------------------------------------------------


def test_an_idle_session_is_signed_out(client_for, coordinator_a, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = client_for(coordinator_a)
    _age(client, seen_minutes_ago=31)
    response = client.get(PORTAL_HOME)
    assert response.url.startswith(reverse("portal:login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_open(client_for, coordinator_a, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = client_for(coordinator_a)
    _age(client, seen_minutes_ago=29)
    assert client.get(PORTAL_HOME).status_code == 200
    assert time.time() - client.session[signin.SEEN_AT_KEY] < 5  # the idle clock starts again


def test_a_session_ends_after_its_maximum_age_whatever_the_activity(client_for, coordinator_a, settings):
    settings.SESSION_MAX_HOURS = 10
    client = client_for(coordinator_a)
    _age(client, seen_minutes_ago=1, signed_in_hours_ago=10)
    assert client.get(PORTAL_HOME).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_from_before_the_session_clock_is_signed_out(client_for, coordinator_a):
    client = client_for(coordinator_a)
    session = client.session
    del session[signin.SEEN_AT_KEY]
    session.save()
    assert client.get(PORTAL_HOME).status_code == 302


def test_session_lengths_default_to_30_idle_minutes_and_10_hours():
    assert (production.SESSION_IDLE_MINUTES, production.SESSION_MAX_HOURS) == (30, 10)
    assert production.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


# --- passwords ----------------------------------------------------------------------------------


def test_production_hashes_passwords_with_argon2():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, coordinator_a, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    coordinator_a.password = make_password("pw", hasher="pbkdf2_sha256")
    coordinator_a.save(update_fields=["password"])
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    coordinator_a.refresh_from_db()
    assert coordinator_a.password.startswith("argon2")
    assert check_password("pw", coordinator_a.password)


def test_a_password_of_11_characters_is_refused(settings):
    settings.AUTH_PASSWORD_VALIDATORS = production.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kp7#vLq2mZx")


def test_a_password_of_12_characters_is_accepted(settings):
    settings.AUTH_PASSWORD_VALIDATORS = production.AUTH_PASSWORD_VALIDATORS
    validate_password("Kp7#vLq2mZxw")
