"""What a production service shows of itself: a request id on every log line, one log line per
request, the health check the load balancer asks for, and error reports (docs/deployment.md).

- `RequestIdMiddleware` gives each request an id (the proxy's `X-Request-ID` when it sends a sane
  one, so that nginx's and the application's lines of a request share it; else a new one), returns
  it in the response's `X-Request-ID` header, and logs one line per request (method, path, status,
  duration, user id, client address) on the `secretariat.requests` logger.
- `RequestIdFilter` puts that id on every log record written while the request runs, whatever the
  logger; `LOG_FORMAT=json` writes records as JSON objects (python-json-logger).
- `HealthCheckMiddleware` answers `/health/` before anything else runs (no host check, no HTTPS
  redirect, no session): the load balancer asks by the machine's address over plain HTTP.
Errors go to Sentry when `SENTRY_DSN` is set (settings), tagged with the request id.
"""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

request_log = logging.getLogger("secretariat.requests")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
#: what a proxy's X-Request-ID may be to be kept as it is: anything else is replaced, never logged
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

HEALTH_PATH = "/health/"


def current_request_id() -> str:
    """The id of the request being served ("-" outside any request: the worker, commands)."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the formatters to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .audit import client_ip  # reads allauth's adapter: not importable while apps load

        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        if settings.SENTRY_DSN:
            import sentry_sdk

            sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "client_ip": client_ip(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class Unhealthy(Exception):
    """A failed check whose message says what is wrong and names nothing secret."""


@dataclass
class Check:
    ok: bool
    ms: float
    detail: str = ""


def _timed(check: Callable[[], str]) -> Check:
    start = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Unhealthy as problem:
        detail, ok = str(problem), False
    except Exception as error:  # a health check reports any failure, never raises
        # The class only: a message may name hosts or credentials, and this page is public.
        detail, ok = type(error).__name__, False
    return Check(ok, round((time.perf_counter() - start) * 1000, 1), detail)


def _database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connections["default"].vendor


def _caches() -> str:
    for alias in settings.CACHES:
        cache = caches[alias]
        cache.set("health-check", alias, 30)
        if cache.get("health-check") != alias:
            raise Unhealthy(f"the cache {alias} did not keep a value")
    return ", ".join(settings.CACHES)


def _storage() -> str:
    storage = storages["default"]
    storage.exists("health-check")  # a HEAD on an object store: reachable and authorised
    return type(storage).__name__


_migrations_applied = False


def _migrations() -> str:
    """Every migration applied (checked until true once: a deployment restarts the processes)."""
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections["default"])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise Unhealthy(f"{len(plan)} migrations not applied")
        _migrations_applied = True
    return "applied"


def _task_queue() -> str:
    from . import task_queue  # reads the models: not importable while the apps load

    return task_queue.queue_state()


HEALTH_CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _caches,
    "storage": _storage,
    "task_queue": _task_queue,
    "migrations": _migrations,
}


def health_report() -> tuple[bool, dict[str, Check]]:
    checks = {name: _timed(check) for name, check in HEALTH_CHECKS.items()}
    return all(check.ok for check in checks.values()), checks


class HealthCheckMiddleware:
    """Answers `/health/`: 200 when every check passes, 503 otherwise, with what each found."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        healthy, checks = health_report()
        response = JsonResponse(
            {
                "status": "ok" if healthy else "failing",
                "checks": {name: vars(check) for name, check in checks.items()},
            },
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
