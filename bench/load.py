"""A bounded load run: gunicorn (4 workers) on 127.0.0.1 against the heavy bench database, 8 clients.

Usage (never in the tests; PostgreSQL, as in production):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench_heavy
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_heavy
    .venv/bin/python bench/load.py [--clients 8] [--requests 30] [--workers 4]

Builds the heavy data of bench/pages.py if missing, signs its users in (sessions written to the
database, as the sign-in page leaves them, the officer's marked as having given a second factor)
and gives the officer an API token. Then starts gunicorn with the production settings (DEBUG off;
only the HTTPS redirect and secure cookies off, as the server speaks plain HTTP on 127.0.0.1; the
API's per-user throttle raised so that the run measures the endpoint, not the limiter), warms
each worker up, and runs --clients threads, each sending --requests requests in turn to: the
portal questionnaire of the heavy round (France's coordinator), the reply changelist (Secretariat
officer) and the API follow-ups list (the officer's token). Prints p50, p95, max and errors per
endpoint. Gunicorn is stopped at the end, whatever happens.
"""

import os

from common import PRODUCTION_ENVIRONMENT

# Production settings for this process and the server (read when Django starts, below).
os.environ.update(PRODUCTION_ENVIRONMENT)

import argparse
import signal
import statistics
import sys
import threading
import time
from collections import defaultdict

import pages  # sets Django up on the bench database
from common import collect_static_once, signed_in_client
from django.conf import settings
from serving import Server, free_port, get, p95

from secretariat import api_tokens
from secretariat.models import Party, Role, User

P95_TARGET = 500


def endpoints(round_number: int) -> dict[str, dict[str, str]]:
    """Each endpoint's path and the headers that sign its client in."""
    officer = User.objects.get(username="bench-officer")
    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator-fra",
        defaults={"role": Role.STATE_COORDINATOR, "party": Party.objects.get(code="FRA")},
    )
    cookie = settings.SESSION_COOKIE_NAME

    def session(user: User) -> str:
        return f"{cookie}={signed_in_client(user).cookies[cookie].value}"

    _, token = api_tokens.token_create(user=officer)
    return {
        "portal questionnaire (heavy round, France)": {
            "path": f"/portal/rounds/{round_number}/",
            "Cookie": session(coordinator),
        },
        "reply changelist (officer)": {"path": "/admin/monitoring/reply/", "Cookie": session(officer)},
        "API follow-ups list (officer's token)": {
            "path": "/api/v1/follow-ups/",
            "Authorization": f"Token {token}",
        },
    }


def run_clients(port: int, targets: dict[str, dict[str, str]], clients: int, requests: int) -> dict:
    """`clients` threads, each sending `requests` requests to the endpoints in turn."""
    results: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
    lock = threading.Lock()
    names = list(targets)

    def client(index: int) -> None:
        for n in range(requests):
            name = names[(index + n) % len(names)]
            outcome = get(port, targets[name])
            with lock:
                results[name].append(outcome)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def report(results: dict, seconds: float) -> None:
    print("| endpoint | requests | KB | p50 ms | p95 ms | max ms | errors | over target |")
    print("|---|---|---|---|---|---|---|---|")
    for name, outcomes in results.items():
        durations = sorted(ms for _, ms, _ in outcomes)
        errors = sum(1 for status, _, _ in outcomes if status != 200)
        size = statistics.median(size for _, _, size in outcomes) / 1024
        slowest = p95(durations)
        misses = [f"p95 > {P95_TARGET} ms"] * (slowest > P95_TARGET) + ["errors"] * bool(errors)
        print(
            f"| {name} | {len(durations)} | {size:.0f} | {statistics.median(durations):.0f} | {slowest:.0f} "
            f"| {durations[-1]:.0f} | {errors} | {'**' + ', '.join(misses) + '**' if misses else ''} |"
        )
    total = sum(len(outcomes) for outcomes in results.values())
    print(f"\n{total} requests in {seconds:.1f} s: {total / seconds:.1f} requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30, help="requests per client")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    round_, _, _ = pages.prepare()
    collect_static_once()
    targets = endpoints(round_.number)
    # A SIGTERM (a timeout, a kill) ends the run through the finally below, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))
    server = Server(free_port(), args.workers)
    try:
        server.wait_ready()
        run_clients(server.port, targets, args.workers, 2 * len(targets))  # each worker warmed up
        start = time.perf_counter()
        results = run_clients(server.port, targets, args.clients, args.requests)
        seconds = time.perf_counter() - start
    finally:
        server.stop()
    print(
        f"gunicorn, {args.workers} sync workers, {args.clients} clients x {args.requests} requests, "
        f"{time.strftime('%Y-%m-%d')}, {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}, "
        f"pool={bool(settings.DATABASES['default'].get('OPTIONS', {}).get('pool'))}"
    )
    report(results, seconds)


if __name__ == "__main__":
    main()
