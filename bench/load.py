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
import http.client
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pages  # sets Django up on the bench database
from common import ROOT, collect_static_once, signed_in_client
from django.conf import settings

from secretariat import api_tokens
from secretariat.models import Party, Role, User

P95_TARGET = 500
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def get(port: int, target: dict[str, str]) -> tuple[int, float, int]:
    """One request on a fresh connection (gunicorn's sync workers close each): status, ms, bytes."""
    headers = {key: value for key, value in target.items() if key != "path"} | {"Host": "127.0.0.1"}
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", target["path"], headers=headers)
        response = connection.getresponse()
        size = len(response.read())
        status = response.status
    except OSError:
        status, size = 0, 0
    finally:
        connection.close()
    return status, (time.perf_counter() - start) * 1000, size


class Server:
    """gunicorn in a process group of its own, stopped (group and all) by stop()."""

    def __init__(self, port: int, workers: int) -> None:
        command = [str(GUNICORN), "secretariat.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--pythonpath", str(ROOT / "bench"), "--chdir", str(ROOT)]
        command += ["--log-level", "warning"]
        self.port = port
        self.process = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            if get(self.port, {"path": "/portal/login/"})[0] == 200:
                return
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within a minute")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()  # the master stops its workers gracefully
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


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
        p95 = statistics.quantiles(durations, n=20, method="inclusive")[-1]
        misses = [f"p95 > {P95_TARGET} ms"] * (p95 > P95_TARGET) + ["errors"] * bool(errors)
        print(
            f"| {name} | {len(durations)} | {size:.0f} | {statistics.median(durations):.0f} | {p95:.0f} "
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
    server = Server(_free_port(), args.workers)
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
