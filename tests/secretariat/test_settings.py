import os
import secrets
import subprocess
import sys
from pathlib import Path

import environ

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    # A fresh process, as in production: without the browser tests' async override.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="lanzarote.example.org",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_about_the_development_defaults():
    result = _manage("check", "--deploy", DEBUG="1")
    assert "security.W018" in result.stderr  # DEBUG on
    assert "security.W009" in result.stderr  # the development SECRET_KEY


def test_database_url_selects_postgresql():
    config = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/lanzarote")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "lanzarote"


def test_settings_are_bilingual_and_in_paris_time(settings):
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr"]
    assert settings.TIME_ZONE == "Europe/Paris"
