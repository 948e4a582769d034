"""More than one process, as on more than one machine: gunicorn's web workers and the task workers
share PostgreSQL and Redis, and nothing is lost, run twice or answered with a server error.

The test builds a scratch PostgreSQL database of its own (a copy of a migrated template kept on
the server under a hash of the migrations, so that a run does not wait for 80 migrations), starts
gunicorn (WEB_WORKERS sync workers, deploy/gunicorn.conf.py) and TASK_WORKERS `manage.py run_worker`
with the production settings (DEBUG off, caches on Redis, e-mails to files), the tasks waiting in
the database (the default) then on Redis (TASK_QUEUE=redis, RQ), and runs at once:

- State users of four Parties writing replies through the API with their tokens, each owning its
  replies (two users of France among them, opening France's submission by their first writes at
  the same moment), reading the portal's questionnaire between writes;
- France's two users racing on one reply: each round both read the same version and both save on
  it; the app must take one and answer 409 to the other, never keep both silently;
- Secretariat officers reading the admin's changelists;
- officers importing three files at once through the import page (upload, check, confirm).

Then: every response below 500, every reply holding the last text its writer was told was saved
(version and history counting each save once), each import done once (its check and its import
each one task claimed by one worker on the database queue, one audit event, its Parties created
once), each notification e-mailed once, no task failed.

Skipped without PostgreSQL (DATABASE_URL) or Redis (MULTI_PROCESS_REDIS_URL, by default
redis://127.0.0.1:6379/13, flushed first); failed instead when REQUIRE_MULTI_PROCESS=1 (the CI's
PostgreSQL run). Every process is stopped (process groups) and the scratch database dropped,
whatever happens.
"""

import hashlib
import http.client
import importlib.util
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# bench/ is a folder of scripts, not a package: its serving module is loaded by path (as
# tests/test_bench_floors.py loads bench/common.py).
_spec = importlib.util.spec_from_file_location("bench_serving", ROOT / "bench" / "serving.py")
serving = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serving)

WEB_WORKERS = 3
TASK_WORKERS = 2
EDITS = 6  # each State user's saves of its own reply after creating it
RACE_ROUNDS = 4
REDIS_URL = os.environ.get("MULTI_PROCESS_REDIS_URL", "redis://127.0.0.1:6379/13")
DATABASE_PREFIX = "lanzarote_multi_process"
DEADLINE_SECONDS = 75  # the load, imports included; the whole test stays under ~90 s when quiet


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_MULTI_PROCESS") == "1":
        pytest.fail(f"REQUIRE_MULTI_PROCESS=1 but {reason}")
    pytest.skip(reason)


# --- the databases -----------------------------------------------------------------------------


@pytest.fixture
def postgres() -> dict:
    """How to reach the PostgreSQL server the suite runs on (its maintenance database)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        _unavailable("the multi-process test needs PostgreSQL (DATABASE_URL=postgres://...)")
    server = {
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
    }
    server = {key: value for key, value in server.items() if value}
    try:
        psycopg.connect(dbname="postgres", connect_timeout=5, **server).close()
    except psycopg.Error as error:
        _unavailable(f"PostgreSQL is unreachable: {error}")
    return server


def _url(server: dict, name: str) -> str:
    credentials = quote(server.get("user", ""), safe="")
    credentials += f":{quote(server['password'], safe='')}" if "password" in server else ""
    address = server.get("host", "") + (f":{server['port']}" if "port" in server else "")
    return f"postgres://{credentials}@{address}/{name}"


def _migrations_key() -> str:
    """What the template is built from: every migration, the reference data and the requirements."""
    digest = hashlib.sha256()
    files = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("fixtures/*.csv"), ROOT / "requirements.txt"]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _scenario(action: str, env: dict) -> dict:
    """Run tests/deployment/scenario.py in a process of its own; its last line is JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.deployment.scenario", action],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"scenario {action} failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _scratch_database(server: dict, env: dict) -> str:
    """A new database for this run: a copy of the migrated template with the reference data, the
    template built first if these migrations have none yet (and templates of older ones dropped).

    Under an advisory lock: two runs at once build the template once, and never copy it while
    it is being built."""
    template = f"{DATABASE_PREFIX}_template_{_migrations_key()}"
    scratch = f"{DATABASE_PREFIX}_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [DATABASE_PREFIX])
        try:
            names = [row[0] for row in admin.execute("SELECT datname FROM pg_database")]
            for name in names:
                if name.startswith(f"{DATABASE_PREFIX}_template_") and name != template:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if template not in names:
                building = f"{template}_building"  # a failed build's is dropped first
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                _scenario("template", env | {"DATABASE_URL": _url(server, building)})
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{template}"')
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", [DATABASE_PREFIX])
    return scratch


@pytest.fixture
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
        client.flushdb()  # a database number of the test's own: what an earlier run left
    except redis.RedisError as error:
        _unavailable(f"Redis is unreachable at {REDIS_URL}: {error}")
    finally:
        client.close()
    return REDIS_URL


# --- the processes -----------------------------------------------------------------------------


def _environment(redis_url: str, folder: Path, port: int) -> dict:
    """The production settings (docs/deployment.md), with only what serving on 127.0.0.1 needs
    changed: plain HTTP (no HTTPS redirect, no secure cookies)."""
    env = {
        key: value
        for key, value in os.environ.items()
        # not the suite's settings, coverage's hooks or pytest's variables
        if not key.startswith(("DJANGO_", "COV_CORE_", "COVERAGE_", "PYTEST_"))
    }
    (folder / "mail").mkdir()
    return env | {
        "DJANGO_SETTINGS_MODULE": "tests.deployment.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "REDIS_URL": redis_url,
        # four slashes: django-environ takes what follows the third as the path (absolute here)
        "EMAIL_URL": f"filemail:///{folder / 'mail'}",
        "MEDIA_ROOT": str(folder / "media"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_FORMAT": "text",
    }


@dataclass
class Deployment:
    port: int
    env: dict
    data: dict  # what scenario.setup made: round, tokens, sessions, import files
    folder: Path
    processes: list  # serving.Group: gunicorn, then the task workers

    def stopped(self) -> list[str]:
        """The processes that are no longer running (none should, until the test ends)."""
        return [" ".join(group.command[1:3]) for group in self.processes if group.process.poll() is not None]

    def logs(self) -> str:
        """The lines of the processes' logs that say something went wrong, for a failure's message."""
        lines = []
        for path in sorted(self.folder.glob("*.log")):
            for line in path.read_text(errors="replace").splitlines():
                if re.search(r"error|critical|traceback| 5\d\d$", line, re.IGNORECASE):
                    lines.append(f"{path.stem}: {line}")
        return "\n".join(lines[-80:])


@pytest.fixture(params=["database", "redis"])
def task_queue(request) -> str:
    """Where the tasks wait (settings.TASK_QUEUE): the database (one machine), or Redis (RQ)."""
    return request.param


@pytest.fixture
def deployment(postgres, redis_url, task_queue, tmp_path) -> Iterator[Deployment]:
    port = serving.free_port()
    env = _environment(redis_url, tmp_path, port) | {"TASK_QUEUE": task_queue}
    processes, logs = [], []
    scratch = _scratch_database(postgres, env)
    env["DATABASE_URL"] = _url(postgres, scratch)
    try:
        # With DEBUG off, pages name the static files through the manifest: collected meanwhile.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env
        )
        data = _scenario("setup", env)
        assert static.wait(timeout=180) == 0, "collectstatic failed"

        def log(name: str):
            logs.append((tmp_path / f"{name}.log").open("w"))
            return logs[-1]

        config = serving.PRODUCTION_CONFIG if serving.PRODUCTION_CONFIG.exists() else None
        server = serving.Server(port, WEB_WORKERS, env, log("web"), pythonpath=ROOT, config=config)
        processes.append(server)
        for number in range(1, TASK_WORKERS + 1):
            command = [sys.executable, "manage.py", "run_worker"]
            if task_queue == "database":  # db_worker's options (RQ's worker takes them from its queue)
                command += ["--no-reload", "--no-startup-delay", "--interval", "0.2"]
                command += ["--worker-id", f"worker-{number}"]
            processes.append(serving.Group(command, env, log(f"worker-{number}")))
        server.wait_ready(timeout=90, path="/health/")
        deployment = Deployment(port, env, data, tmp_path, processes)
        assert not deployment.stopped(), f"{deployment.stopped()} stopped at once:\n{deployment.logs()}"
        yield deployment
    finally:
        serving.stop_all(processes, grace=10)
        for handle in logs:
            handle.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **postgres) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _wait_for_the_queue(deployment: Deployment, timeout: float = 30) -> int:
    """Until no task waits or runs (the e-mails of the last imports); what still does after `timeout`."""
    deadline = time.monotonic() + timeout
    with (
        psycopg.connect(deployment.env["DATABASE_URL"], autocommit=True) as database,
        redis.Redis.from_url(deployment.env["REDIS_URL"]) as queue,
    ):
        while True:
            if deployment.env["TASK_QUEUE"] == "database":
                (left,) = database.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                    " WHERE status IN ('READY', 'RUNNING')"
                ).fetchone()
            else:  # RQ's queue and its registry of the jobs being run
                left = queue.llen("rq:queue:default") + queue.zcard("rq:wip:default")
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.3)


# --- the clients -------------------------------------------------------------------------------


@dataclass
class Response:
    status: int  # 0: the connection was refused or dropped
    body: bytes = b""
    location: str = ""

    def json(self) -> dict:
        return json.loads(self.body)

    def csrf_token(self) -> str:
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', self.body).group(1).decode()


@dataclass
class Seen:
    who: str
    what: str
    path: str
    status: int


@dataclass
class Client:
    """One user's requests, each on a fresh connection (gunicorn's sync workers close each), every
    answer recorded in `seen`."""

    port: int
    who: str
    seen: list[Seen]
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def request(
        self, what: str, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Response:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.read(), answer.getheader("Location", ""))
            for cookie in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        except OSError:
            response = Response(0)
        finally:
            connection.close()
        self.seen.append(Seen(self.who, what, path, response.status))  # list.append: safe across threads
        return response

    def get(self, what: str, path: str) -> Response:
        return self.request(what, "GET", path)

    def send_json(self, what: str, method: str, path: str, data: dict) -> Response:
        return self.request(what, method, path, json.dumps(data).encode(), "application/json")

    def post_form(self, what: str, path: str, fields: dict, files: dict | None = None) -> Response:
        """A form as a browser sends it: multipart (with the files), the CSRF token among the fields."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, (file_name, content) in (files or {}).items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            )
            parts.append(f"{head}Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(what, "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


# --- what answers are right ---------------------------------------------------------------------

EXPECTED = {
    "open a reply": {201},
    "save one's own reply": {200},
    "portal questionnaire": {200},
    "read the shared reply": {200},
    "save the shared reply": {200, 409},  # the race: one of each every round
    "admin page": {200},
    "health": {200},
    "import page": {200},
    "upload a file to import": {302},
    "import status": {200},
    "import job page": {200},
    "confirm the import": {302},
}
ADMIN_PAGES = (
    "/admin/",
    "/admin/monitoring/reply/",
    "/admin/monitoring/submission/",
    "/admin/secretariat/party/",
    "/admin/secretariat/case/",
    "/imports/",  # the import page: the officer's jobs, queued, running or done
)


def test_workers_on_several_processes_lose_no_update_and_run_no_job_twice(deployment):
    data, port = deployment.data, deployment.port
    seen: list[Seen] = []
    failures: list[str] = []
    round_number, cookie = data["round"], data["cookie"]
    deadline = time.monotonic() + DEADLINE_SECONDS
    writers = list(data["tokens"])
    everyone_starts = threading.Barrier(len(writers) + len(data["imports"]))
    racers = threading.Barrier(2)
    shared: dict[str, int] = {}
    shared_opened = threading.Event()
    saved: dict[int, list[str]] = {}  # reply id: the texts its writer was told were saved, in order
    race: list[tuple[int, str, int, Response]] = []  # round, who, version read, answer
    imported: dict[str, str] = {}  # file name: the job's last status seen
    load_over = threading.Event()

    def api(username: str) -> Client:
        return Client(port, username, seen, token=data["tokens"][username])

    def signed_in(username: str) -> Client:
        return Client(port, username, seen, cookies={cookie: data["sessions"][username]})

    def write_own_reply(username: str, ref: str) -> None:
        client, portal = api(username), signed_in(username)
        everyone_starts.wait(timeout=60)
        # By the round's number: the first write opens the Party's submission (France's two users at once).
        opened = client.send_json(
            "open a reply",
            "POST",
            "/api/v1/replies/",
            {"round": round_number, "questions": [ref], "text": f"{username}: 0", "language": "en"},
        )
        if opened.status != 201:
            return
        reply, version = opened.json()["id"], opened.json()["version"]
        saved[reply] = [f"{username}: 0"]
        if username == "fra-coordinator":
            other = client.send_json(
                "open a reply",
                "POST",
                "/api/v1/replies/",
                {"round": round_number, "questions": ["1"], "text": "shared: 0", "language": "en"},
            )
            shared["id"] = other.json()["id"]
            shared_opened.set()
        for edit in range(1, EDITS + 1):
            text = f"{username}: {edit}"
            answer = client.send_json(
                "save one's own reply",
                "PATCH",
                f"/api/v1/replies/{reply}/",
                {"version": version, "text": text},
            )
            if answer.status == 200:
                version = answer.json()["version"]
                saved[reply].append(text)
            portal.get("portal questionnaire", f"/portal/rounds/{round_number}/")
            if time.monotonic() > deadline:
                break

    def race_on_the_shared_reply(username: str) -> None:
        client = api(username)
        if not shared_opened.wait(timeout=60):
            raise TimeoutError("the shared reply was not opened")
        for turn in range(RACE_ROUNDS):
            racers.wait(timeout=60)
            read = client.get("read the shared reply", f"/api/v1/replies/{shared['id']}/")
            racers.wait(timeout=60)  # both read the same version before either saves
            version = read.json()["version"]
            text = f"{username} won round {turn}"
            answer = client.send_json(
                "save the shared reply",
                "PATCH",
                f"/api/v1/replies/{shared['id']}/",
                {"version": version, "text": text},
            )
            race.append((turn, text, version, answer))

    def import_a_file(spec: dict) -> None:
        client = signed_in(spec["user"])
        token = client.get("import page", "/imports/parties/").csrf_token()
        everyone_starts.wait(timeout=60)
        sent = client.post_form(
            "upload a file to import",
            "/imports/parties/",
            {"csrfmiddlewaretoken": token, "encoding": "auto", "delimiter": "auto"},
            {"file": (spec["file_name"], spec["csv"].encode())},
        )
        if sent.status != 302:
            return
        job = sent.location
        imported[spec["file_name"]] = follow(client, job)
        if imported[spec["file_name"]] != "checked":
            return
        token = client.get("import job page", job).csrf_token()
        client.post_form("confirm the import", job, {"csrfmiddlewaretoken": token, "confirm": "1"})
        imported[spec["file_name"]] = follow(client, job)

    def follow(client: Client, job: str) -> str:
        """As the job page's script: its status, polled until the worker is done with it."""
        while True:
            status = client.get("import status", f"{job}status/")
            if status.status != 200 or not status.json()["active"] or time.monotonic() > deadline:
                return status.json()["status"] if status.status == 200 else str(status.status)
            time.sleep(0.3)

    def read_the_admin(username: str) -> None:
        client, anonymous = signed_in(username), Client(port, "load balancer", seen)
        while not load_over.is_set() and time.monotonic() < deadline:
            for path in ADMIN_PAGES:
                client.get("admin page", path)
            anonymous.get("health", "/health/")

    def thread(target, *args) -> threading.Thread:
        def run() -> None:
            try:
                target(*args)
            except Exception as error:
                failures.append(f"{target.__name__}{args}: {error!r}")
                everyone_starts.abort()  # nobody waits for a thread that is gone
                racers.abort()

        return threading.Thread(target=run, name=f"{target.__name__}{args}", daemon=True)

    refs = [ref for ref in data["questions"] if "." in ref]
    load = [thread(write_own_reply, username, refs[n]) for n, username in enumerate(writers)]
    load += [
        thread(race_on_the_shared_reply, username) for username in ("fra-coordinator", "fra-contributor")
    ]
    load += [thread(import_a_file, spec) for spec in data["imports"]]
    readers = [thread(read_the_admin, username) for username in ("officer-1", "officer-2")]
    for each in load + readers:
        each.start()
    for each in load:
        each.join(timeout=max(1, deadline - time.monotonic() + 30))
    load_over.set()
    for each in readers:
        each.join(timeout=30)
    left = _wait_for_the_queue(deployment)
    outcome = _scenario("outcome", deployment.env)
    logs = deployment.logs()

    # Every process still running, every thread ran to its end, and no answer was a server error
    # or a dropped connection.
    assert not deployment.stopped(), f"stopped before the end: {deployment.stopped()}\n{logs}"
    assert not failures, f"{failures}\n{logs}"
    assert not [each for each in load + readers if each.is_alive()], f"still running at the deadline\n{logs}"
    broken = Counter((s.what, s.path, s.status) for s in seen if s.status >= 500 or s.status == 0)
    assert not broken, f"server errors: {dict(broken)}\n{logs}"
    unexpected = Counter((s.who, s.path, s.status) for s in seen if s.status not in EXPECTED[s.what])
    assert not unexpected, f"unexpected answers: {dict(unexpected)}\n{logs}"
    assert left == 0, "tasks still waiting or running 30 s after the load"

    # France's two users opened one submission; every reply holds its writer's last saved text,
    # each save counted once in its version and its history (created "+", then a change "~" for
    # its questions and one for each save).
    replies = {int(pk): reply for pk, reply in outcome["replies"].items()}
    assert len({reply["submission"] for reply in replies.values() if reply["party"] == "FRA"}) == 1
    assert len(saved) == len(writers)
    for pk, texts in saved.items():
        reply = replies[pk]
        assert (reply["text"], reply["version"], reply["history"]) == (
            texts[-1],
            len(texts),
            ["+"] + ["~"] * len(texts),
        ), f"reply {pk} of {texts[0]}"

    # The race: each round one save taken and the other refused with 409 naming the winner's text;
    # the reply holds the last winner's text, each won save counted once.
    winners = []
    for turn in range(RACE_ROUNDS):
        answers = sorted(
            (
                (answer.status, text, version, answer)
                for number, text, version, answer in race
                if number == turn
            ),
            key=lambda each: each[0],
        )
        assert [status for status, *_ in answers] == [200, 409], f"round {turn}: {answers}"
        (_, won, _, taken), (_, _, version, refused) = answers
        assert (refused.json()["current_version"], refused.json()["current_text"]) == (version + 1, won)
        assert taken.json()["version"] == version + 1
        winners.append(won)
    reply = replies[shared["id"]]
    assert (reply["text"], reply["version"], reply["history"]) == (
        winners[-1],
        1 + RACE_ROUNDS,
        ["+"] + ["~"] * (1 + RACE_ROUNDS),
    )

    # Each import checked once and imported once: each phase one task claimed by one worker, one
    # audit event of the import, its Parties created once; its author told twice (checked, done),
    # each e-mail sent once.
    jobs = {job["file_name"]: job for job in outcome["jobs"]}
    assert sorted(jobs) == sorted(imported) == sorted(spec["file_name"] for spec in data["imports"])
    for spec in data["imports"]:
        job = jobs[spec["file_name"]]
        ended = (job["status"], job["errors"][:3], job["report_new"])
        assert ended == ("done", [], len(spec["codes"])), f"{spec['file_name']}: {ended}\n{logs}"
        if outcome["queue"] == "database":  # RQ keeps no result of the jobs that succeeded
            tasks = [(task["status"], len(task["workers"])) for task in job["tasks"]]
            assert tasks == [("SUCCESSFUL", 1)] * 2, f"{spec['file_name']}: {job['tasks']}"
        imports = [{"kind": "parties", "created": len(spec["codes"]), "changed": 0, "unchanged": 0}]
        assert job["audit"] == imports, spec["file_name"]
        assert {code: outcome["parties"].get(code) for code in spec["codes"]} == {
            code: ["+"] for code in spec["codes"]
        }
        assert job["notifications"] == [
            [spec["user"], f"Import checked: {spec['file_name']}", "sent"],
            [spec["user"], f"Import done: {spec['file_name']}", "sent"],
        ]
    assert outcome["queue"] == deployment.env["TASK_QUEUE"]
    assert not outcome["tasks_not_successful"]
    assert not outcome["tasks_claimed_twice"]
    subjects = Counter(
        line.removeprefix("Subject: ")
        for path in (deployment.folder / "mail").iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    )
    assert sum(subjects.values()) == outcome["notifications"] == 2 * len(data["imports"])
    assert set(subjects.values()) == {1}, subjects
