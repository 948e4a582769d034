"""Requests per second and p50/p95 of the portal, the admin and the API at 2 and 4 gunicorn workers,
on the heavy bench database with the caches on Redis: what more web processes buy on one machine.

Usage (never in the tests; PostgreSQL and Redis, as in production):
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_heavy
    .venv/bin/python bench/scale.py [--workers 2 4] [--clients 8] [--requests 15]

REDIS_URL defaults to redis://127.0.0.1:6379/12 (the caches: sessions stay in the database). The
users, their sessions, the token and the three endpoints are bench/load.py's: France's coordinator
on the heavy round's questionnaire, the Secretariat officer on the reply changelist, the officer's
token on the API's follow-ups list. For each number of workers, gunicorn is started as in
production (DEBUG off, deploy/gunicorn.conf.py) and each worker warmed up; then each endpoint in
turn gets --clients threads sending --requests requests each, alone: its requests per second over
that stretch, p50, p95 and max. The machine's load average is printed before and after: on a
shared machine, read the numbers beside it. The servers' own output (a log line per request) goes
to var/bench-scale.log.
"""

import os

os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")

import argparse
import signal
import statistics
import sys
import time

import load  # the production settings, and Django set up on the bench database
import pages
from common import ROOT, collect_static_once
from django.conf import settings
from serving import PRODUCTION_CONFIG, Server, free_port, p95

SHORT_NAMES = {
    "portal questionnaire (heavy round, France)": "portal: questionnaire (heavy round)",
    "reply changelist (officer)": "admin: reply changelist",
    "API follow-ups list (officer's token)": "API: follow-ups list",
}


def measure(port: int, targets: dict, clients: int, requests: int) -> list[str]:
    """One table row per endpoint, each run alone by `clients` threads."""
    rows = []
    for name, target in targets.items():
        start = time.perf_counter()
        outcomes = load.run_clients(port, {name: target}, clients, requests)[name]
        seconds = time.perf_counter() - start
        durations = sorted(ms for _, ms, _ in outcomes)
        errors = sum(1 for status, _, _ in outcomes if status != 200)
        rows.append(
            f"{SHORT_NAMES.get(name, name)} | {len(durations)} | {len(durations) / seconds:.1f} "
            f"| {statistics.median(durations):.0f} | {p95(durations):.0f} | {durations[-1]:.0f} | {errors} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=15, help="requests per client and endpoint")
    args = parser.parse_args()
    round_, _, _ = pages.prepare()
    collect_static_once()
    targets = load.endpoints(round_.number)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))
    before = os.getloadavg()
    table = []
    # The servers' output (a log line per request, as in production) to a file rather than the table.
    log = (ROOT / "var" / "bench-scale.log").open("w")
    for workers in args.workers:
        server = Server(free_port(), workers, output=log, config=PRODUCTION_CONFIG)
        try:
            server.wait_ready()
            load.run_clients(server.port, targets, workers, 2 * len(targets))  # each worker warmed up
            table += [
                f"| {workers} | {row}" for row in measure(server.port, targets, args.clients, args.requests)
            ]
        finally:
            server.stop()
    log.close()
    after = os.getloadavg()
    database = settings.DATABASES["default"]
    print(
        f"gunicorn sync workers x {args.workers}, {args.clients} clients x {args.requests} requests per "
        f"endpoint, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"{database['ENGINE'].rsplit('.', 1)[-1]} (CONN_MAX_AGE={database.get('CONN_MAX_AGE')}), "
        f"caches: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"load average before {before[0]:.1f}, after {after[0]:.1f}\n"
    )
    print("| workers | endpoint | requests | requests/s | p50 ms | p95 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(table))


if __name__ == "__main__":
    main()
