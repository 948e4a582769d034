import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import environ
from django.conf import Settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "lanzarote.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def _environment(env):
    # Only what the test gives, as in production, never the developer's .env (nor what the suite's
    # own settings read from it into os.environ).
    inherited = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    return {**inherited, "ENV_FILE": str(ROOT / "var" / "no-such-env-file"), **env}


def _run(args, env):
    # A fresh process, as in production.
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_environment(env),
        capture_output=True,
        text=True,
        check=False,
    )


def _manage(*args, **env):
    return _run(["manage.py", *args], env)


def _setting(expression, **env):
    """A setting (or an expression on `settings`) as the settings module gives it with only the given
    environment, or the error that stopped it.

    The module is read afresh, as a new process would read it (Django's own `Settings` of the
    module, as at start-up), in this process: a process per setting would cost a second each. The
    `manage.py check --deploy` tests above start real processes.
    """
    if expression.isidentifier():
        expression = f"settings.{expression}"
    name = "secretariat.settings"
    package, module = sys.modules["secretariat"], sys.modules.pop(name)
    try:
        with mock.patch.dict(os.environ, _environment(env), clear=True):
            try:
                settings = Settings(name)
            except Exception as error:  # what a process would print last before stopping
                return f"{type(error).__module__}.{type(error).__qualname__}: {error}"
            return str(eval(expression, {"settings": settings}))
    finally:  # the suite's own settings module, as before
        sys.modules[name] = package.settings = module


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_asks_each_deployment_to_decide_on_hsts_for_subdomains():
    result = _manage("check", "--deploy", **PRODUCTION)
    warnings = set(re.findall(r"security\.W\d+", result.stderr))
    assert warnings == {"security.W005", "security.W021"}, result.stderr


def test_deploy_check_warns_about_the_development_defaults():
    result = _manage("check", "--deploy", DEBUG="1")
    assert "security.W018" in result.stderr  # DEBUG on
    assert "security.W009" in result.stderr  # the development SECRET_KEY


def test_debug_is_off_when_unset():
    assert _setting("DEBUG", SECRET_KEY=PRODUCTION["SECRET_KEY"]) == "False"


def test_no_start_without_a_secret_key_when_debug_is_off():
    error = _setting("DEBUG")
    assert "ImproperlyConfigured: SECRET_KEY must be set" in error


def test_no_start_on_the_development_key_when_debug_is_off():
    error = _setting("DEBUG", SECRET_KEY="django-insecure-" + secrets.token_urlsafe(60))
    assert "ImproperlyConfigured: SECRET_KEY must be set" in error


def test_no_start_on_a_short_key_when_debug_is_off():
    assert "ImproperlyConfigured" in _setting("DEBUG", SECRET_KEY=secrets.token_urlsafe(20))


def test_development_runs_without_a_secret_key():
    assert _setting("SECRET_KEY", DEBUG="1").startswith("django-insecure-")


def test_env_file_configures_development(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=from-the-file\n")
    assert _setting("SECRET_KEY", ENV_FILE=str(env_file)) == "from-the-file"


def test_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\n")
    assert (
        _setting("DEBUG", ENV_FILE=str(env_file), DEBUG="0", SECRET_KEY=PRODUCTION["SECRET_KEY"]) == "False"
    )


def test_proxy_header_is_not_trusted_by_default():
    assert _setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION) == "None"


def test_proxy_header_is_trusted_when_configured():
    setting = _setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION, TRUST_X_FORWARDED_PROTO="1")
    assert setting == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_hsts_leaves_subdomains_and_preload_off_by_default():
    assert _setting(
        "(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)", **PRODUCTION
    ) == ("(False, False)")


def test_hsts_covers_subdomains_and_preload_when_asked():
    both = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}
    assert _setting(
        "(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)", **PRODUCTION, **both
    ) == ("(True, True)")


def test_database_url_selects_postgresql():
    config = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/lanzarote")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "lanzarote"


def test_settings_are_bilingual_and_in_paris_time(settings):
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr"]
    assert settings.TIME_ZONE == "Europe/Paris"


def test_api_rates_and_token_expiry_come_from_the_environment():
    expression = "(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], settings.REST_KNOX['TOKEN_TTL'].days)"
    env = {"API_THROTTLE_USER": "5/minute", "API_THROTTLE_ANON": "1/minute", "API_TOKEN_EXPIRY_DAYS": "7"}
    assert _setting(expression, DEBUG="1", **env) == "({'anon': '1/minute', 'user': '5/minute'}, 7)"


def test_responses_carry_the_content_security_policy(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_responses_refuse_unused_browser_features(client):
    policy = client.get("/admin/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_production_keeps_database_connections_and_checks_them_before_use():
    expression = (
        "(settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    assert (
        _setting(expression, **PRODUCTION, DATABASE_URL="postgres://postgres@db/lanzarote") == "(600, True)"
    )


def test_development_opens_a_connection_per_request():
    assert _setting("settings.DATABASES['default']['CONN_MAX_AGE']", DEBUG="1") == "0"


def test_database_connection_lifetime_comes_from_the_environment():
    assert (
        _setting("settings.DATABASES['default']['CONN_MAX_AGE']", **PRODUCTION, DATABASE_CONN_MAX_AGE="60")
        == "60"
    )
