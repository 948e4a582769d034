"""gunicorn's settings for the Lanzarote Back Office, shared by the container (Dockerfile) and the
systemd unit (lanzarote-web.service): `gunicorn --config deploy/gunicorn.conf.py secretariat.wsgi`.

Each may be changed from the environment without editing this file (values below are the defaults).
"""

import multiprocessing
import os

# Where nginx (or the load balancer) sends the requests.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, one request at a time each: the pages are short and their database work is
# bounded; 2 per core plus 1, at most 8 (each keeps one PostgreSQL connection, CONN_MAX_AGE).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
# A request may take this long before its worker is killed and restarted: the heaviest pages
# (a Party's case file as PDF, a round's state of play) take seconds; long work (whole-round
# compilations, imports) goes to the task worker. Keep nginx's proxy_read_timeout above it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Each worker is replaced after about this many requests: memory a long-lived process gathers
# (fragmentation, a large export's buffers) is given back; the jitter spreads the restarts.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))
# Keep-alive from nginx to gunicorn is of no use to sync workers.
keepalive = 2
# The workers' heartbeat files in memory, not on a container's overlay file system.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Errors on standard error: the journal or `docker compose logs`. The application writes one line per
# request itself (JSON, with its request id, user and duration: secretariat/observability.py);
# GUNICORN_ACCESS_LOG=- adds gunicorn's own access lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Requests' bodies (200 MB imports) arrive whole from nginx, which buffers them: a slow client
# never holds a worker.
limit_request_line = 8190


def post_worker_init(worker) -> None:
    """Django's modules, settings, URL patterns and templates live as long as the worker: set them
    aside from the garbage collector, whose full collections would otherwise walk them again in the
    middle of requests (the compliance dashboard's slowest requests, docs/performance.md)."""
    import gc

    gc.collect()
    gc.freeze()
