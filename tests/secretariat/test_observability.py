"""The service as the operators see it: /health/, request ids and log lines, error reports, and the
settings that spread it over several machines (Redis, an object store)."""

import gzip
import http.server
import json
import logging
import logging.config
import threading
import uuid

import pytest
import redis
from django.conf import settings
from django.tasks import task
from django.test import override_settings

from secretariat import observability
from tests.secretariat.test_settings import PRODUCTION, _run, _setting


def _read_setting(name: str, **environment):
    """A setting as a fresh read of the settings module with only `environment` gives it."""
    return json.loads(_setting(f"__import__('json').dumps(settings.{name})", **environment))


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")


@task()
def idle_task() -> None:
    """Never run here: it only waits in the queue."""


@pytest.mark.django_db
def test_health_answers_200_when_every_check_passes(client):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "task_queue", "migrations"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["lanzarote.example.org"], SECURE_SSL_REDIRECT=True)
def test_health_answers_the_load_balancer_by_address_over_plain_http(client):
    response = client.get("/health/", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_health_answers_503_naming_the_check_that_failed_without_its_message(client):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={**settings.CACHES, "default": unreachable}):
        response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["detail"] == "ConnectionError"  # not the address it tried
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_health_says_how_many_tasks_wait_in_the_database_queue(client):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        idle_task.enqueue()
        idle_task.enqueue()
        response = client.get("/health/")

    detail = response.json()["checks"]["task_queue"]["detail"]
    assert detail.startswith("database queue: 2 waiting, the oldest for ")


@pytest.mark.django_db
def test_a_response_carries_the_request_id_the_proxy_gave(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="proxy-42")  # answered before the id
    assert "X-Request-ID" not in response

    response = client.get("/portal/", HTTP_X_REQUEST_ID="proxy-42.a:b")

    assert response["X-Request-ID"] == "proxy-42.a:b"


@pytest.mark.django_db
def test_a_request_id_that_is_not_a_plain_token_is_replaced(client):
    response = client.get("/portal/", HTTP_X_REQUEST_ID='x" onload=alert(1) ' * 10)

    assert uuid.UUID(hex=response["X-Request-ID"])


@pytest.mark.django_db
def test_one_log_line_per_request_with_its_id_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="secretariat.requests")

    response = client.get("/portal/", HTTP_X_REQUEST_ID="req-7")

    [record] = [r for r in caplog.records if r.name == "secretariat.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/portal/", response.status_code)
    assert record.duration_ms >= 0
    assert record.user_id is None
    assert record.client_ip == "127.0.0.1"


def test_json_log_lines_carry_the_request_id_of_the_request_that_wrote_them(capsys):
    config = _read_setting("LOGGING", **PRODUCTION)
    config["handlers"]["console"]["stream"] = "ext://sys.stdout"
    config["root"]["level"] = "INFO"
    logging.config.dictConfig(config)
    try:
        token = observability._request_id.set("req-json-1")
        logging.getLogger("secretariat.tests").warning("reply %s registered", 12)
        observability._request_id.reset(token)
    finally:
        logging.config.dictConfig(settings.LOGGING)

    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["message"] == "reply 12 registered"
    assert line["request_id"] == "req-json-1"
    assert (line["level"], line["logger"]) == ("WARNING", "secretariat.tests")


def test_production_logs_json_and_development_text():
    assert _setting("LOG_FORMAT", **PRODUCTION) == "json"
    assert _setting("LOG_FORMAT", DEBUG="1") == "text"


def test_errors_are_mailed_to_admins_unless_sentry_takes_them():
    admins = {"ADMINS": "it@coe.example, duty@coe.example"}

    assert _read_setting("ADMINS", **PRODUCTION, **admins) == ["it@coe.example", "duty@coe.example"]
    # Read in a process of its own: reading it here would start Sentry in the test run.
    process = _run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.ADMINS)"],
        {
            **PRODUCTION,
            **admins,
            "DJANGO_SETTINGS_MODULE": "secretariat.settings",
            "SENTRY_DSN": "http://key@127.0.0.1:9/1",
        },
    )
    assert process.stdout.strip() == "[]", process.stderr


class _SentryIngest(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


_RAISE_IN_A_VIEW = """
import sys, types
import django
django.setup()
import sentry_sdk
from django.test import Client, override_settings
from django.urls import path

def failing_view(request):
    raise ValueError("the compilation broke")

urls = types.ModuleType("failing_urls")
urls.urlpatterns = [path("boom/", failing_view)]
sys.modules["failing_urls"] = urls
with override_settings(ROOT_URLCONF="failing_urls", ALLOWED_HOSTS=["testserver"]):
    response = Client(raise_request_exception=False).get(
        "/boom/", secure=True, HTTP_X_REQUEST_ID="req-sentry-1", HTTP_COOKIE="preference=secret-cookie"
    )
print(response.status_code)
sentry_sdk.flush(5)
"""


def test_an_error_in_a_view_reaches_sentry_tagged_with_its_request_id_and_no_cookie():
    server = http.server.HTTPServer(("127.0.0.1", 0), _SentryIngest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SentryIngest.received.clear()
    try:
        process = _run(
            ["-c", _RAISE_IN_A_VIEW],
            {
                **PRODUCTION,
                "DJANGO_SETTINGS_MODULE": "secretariat.settings",
                "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
            },
        )
    finally:
        server.shutdown()

    assert process.stdout.strip() == "500", process.stderr
    envelope = b"".join(_SentryIngest.received).decode()
    assert "the compilation broke" in envelope
    assert '"request_id":"req-sentry-1"' in envelope.replace(" ", "")
    assert "secret-cookie" not in envelope


@needs_redis
def test_redis_url_puts_both_caches_on_redis():
    caches_setting = _read_setting("CACHES", **PRODUCTION, REDIS_URL=REDIS_URL)

    for alias in ("default", "progress"):
        assert caches_setting[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert caches_setting[alias]["LOCATION"] == REDIS_URL
    assert caches_setting["default"]["KEY_PREFIX"] != caches_setting["progress"]["KEY_PREFIX"]


@needs_redis
def test_two_processes_share_the_redis_cache():
    script = (
        "import django; django.setup(); from django.core.cache import caches; "
        "import sys; c = caches['progress']; "
        "c.set('shared', sys.argv[1]) if sys.argv[1] != 'read' else print(c.get('shared'))"
    )
    environment = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "secretariat.settings", "REDIS_URL": REDIS_URL}
    value = uuid.uuid4().hex

    _run(["-c", script, value], environment)
    read = _run(["-c", script, "read"], environment)

    assert read.stdout.strip() == value, read.stderr


def test_without_redis_the_caches_stay_on_this_machine():
    caches_setting = _read_setting("CACHES", **PRODUCTION)

    assert caches_setting["default"]["BACKEND"].endswith("LocMemCache")
    assert caches_setting["progress"]["BACKEND"].endswith("FileBasedCache")


def test_s3_bucket_puts_uploads_in_a_private_object_store():
    storage = _read_setting(
        "STORAGES",
        **PRODUCTION,
        S3_BUCKET="lanzarote-files",
        S3_ENDPOINT_URL="https://s3.example.org",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
    )["default"]

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "lanzarote-files"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_without_a_bucket_uploads_stay_on_the_file_system():
    storage = _read_setting("STORAGES", **PRODUCTION)["default"]

    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
