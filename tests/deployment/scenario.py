"""The multi-process test's data, on its scratch database: run in a process of its own, with the
environment the servers get (`python -m tests.deployment.scenario template|setup|outcome`), printing JSON.

- `template`: the migrated database with the reference data, which each run copies.
- `setup`: applies what migrations the copied database lacks (and post_migrate: permissions, role
  groups), then a round of four Parties, their State users (two of France) with API tokens and
  portal sessions, Secretariat officers signed in with a second factor, and the files of the imports.
- `outcome`: what the database holds once the load has run: each reply's text, version and history;
  each import job with its task results and audit events, the Parties it brought and their
  history; the notifications of the imports; every task result that failed or was claimed more than once.
"""

import io
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.deployment.settings")
django.setup()

import pycountry  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from monitoring.models import Reply  # noqa: E402
from secretariat import api_tokens, signin, task_queue  # noqa: E402
from secretariat.models import AuditEvent, ImportJob, Notification, Party, Role, User  # noqa: E402
from tests.factories import build_round  # noqa: E402

ROUND = 90
#: username: (role, Party code)
STATE_USERS = {
    "fra-coordinator": (Role.STATE_COORDINATOR, "FRA"),
    "fra-contributor": (Role.STATE_CONTRIBUTOR, "FRA"),
    "deu-coordinator": (Role.STATE_COORDINATOR, "DEU"),
    "ita-coordinator": (Role.STATE_COORDINATOR, "ITA"),
    "esp-coordinator": (Role.STATE_COORDINATOR, "ESP"),
}
OFFICERS = ("officer-1", "officer-2", "officer-3")
IMPORTS = 3
PARTIES_PER_IMPORT = 40  # long enough for the imports to overlap (and their checks)


class _SessionRequest:
    """Just enough of a request for signin.remember_second_factor (it writes to request.session)."""

    def __init__(self, session) -> None:
        self.session = session


def _session(user: User) -> str:
    """A session cookie of `user`, as after a real sign-in (with a second factor for staff)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    signin.remember_second_factor(_SessionRequest(session), user)
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def template() -> dict:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    return {"parties": Party.objects.count()}


def setup() -> dict:
    call_command("migrate", verbosity=0)
    parties = {code: Party.objects.get(code=code) for code in ("FRA", "DEU", "ITA", "ESP")}
    round_ = build_round(parties=list(parties.values()), number=ROUND)
    tokens, sessions = {}, {}
    for username, (role, code) in STATE_USERS.items():
        user = User.objects.create_user(username, role=role, party=parties[code])
        tokens[username] = api_tokens.token_create(user=user)[1]
        sessions[username] = _session(user)
    for username in OFFICERS:
        user = User.objects.create_user(
            username, role=Role.SECRETARIAT_OFFICER, email=f"{username}@example.org", language="en"
        )
        sessions[username] = _session(user)
    # Parties new to the database, a file of them for each officer: no two imports touch one row.
    taken = set(Party.objects.values_list("code", flat=True))
    free = [
        country
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_3)
        if country.alpha_3 not in taken
    ]
    imports = []
    for number, username in enumerate(OFFICERS[:IMPORTS]):
        countries = free[number * PARTIES_PER_IMPORT : (number + 1) * PARTIES_PER_IMPORT]
        rows = "".join(f'{c.alpha_3},"{c.name}","{c.name}"\n' for c in countries)
        imports.append(
            {
                "user": username,
                "file_name": f"parties-{number + 1}.csv",
                "csv": "code,name_en,name_fr\n" + rows,
                "codes": [c.alpha_3 for c in countries],
            }
        )
    return {
        "round": round_.number,
        "questions": list(round_.questions.order_by("order").values_list("ref", flat=True)),
        "cookie": settings.SESSION_COOKIE_NAME,
        "tokens": tokens,
        "sessions": sessions,
        "imports": imports,
    }


def _failed_on_redis() -> list[str]:
    import django_rq

    queue = django_rq.get_queue("default")
    return [f"RQ job {job_id}: failed" for job_id in queue.failed_job_registry.get_job_ids()]


def outcome() -> dict:
    replies = {
        reply.pk: {
            "text": reply.text,
            "version": reply.version,
            "history": list(reply.history.order_by("history_id").values_list("history_type", flat=True)),
            "party": reply.submission.party.code,
            "submission": reply.submission_id,
        }
        for reply in Reply.objects.filter(submission__round__number=ROUND).select_related("submission__party")
    }
    # The database queue keeps each task's result with the workers that claimed it; RQ keeps the
    # jobs that failed (the others expire from Redis).
    in_database = task_queue.in_database()
    tasks = list(DBTaskResult.objects.order_by("enqueued_at")) if in_database else []
    failed_on_redis = [] if in_database else _failed_on_redis()
    # "import.finished:<model>:<job id>:<status>" (events.Event.identity)
    notifications = list(Notification.objects.filter(event="import.finished").select_related("recipient"))
    jobs = []
    for job in ImportJob.objects.select_related("user").order_by("pk"):
        jobs.append(
            {
                "file_name": job.file_name,
                "user": job.user.username,
                "status": job.status,
                "errors": job.errors,
                "rows_done": job.rows_done,
                "report_new": (job.report or {}).get("new"),
                "tasks": [
                    {"status": task.status, "workers": task.worker_ids}
                    for task in tasks
                    if task.task_path.endswith("run_import_job") and task.args_kwargs["args"] == [job.pk]
                ],
                # written in the import's transaction: once per import that ran to its end
                "audit": list(
                    AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT, target=job.file_name).values_list(
                        "details", flat=True
                    )
                ),
                "notifications": sorted(
                    [n.recipient.username, n.subject, n.email]
                    for n in notifications
                    if n.key.split(":")[-2] == str(job.pk)
                ),
            }
        )
    imported = Party.history.filter(history_user__username__in=OFFICERS).values_list("code", "history_type")
    parties: dict[str, list[str]] = {}
    for code, history_type in imported:
        parties.setdefault(code, []).append(history_type)
    return {
        "replies": replies,
        "jobs": jobs,
        "parties": parties,
        "notifications": len(notifications),
        "queue": "database" if in_database else "redis",
        "tasks_not_successful": failed_on_redis
        + [f"{t.task_path} {t.args_kwargs}: {t.status}" for t in tasks if t.status != "SUCCESSFUL"],
        "tasks_claimed_twice": [
            f"{t.task_path} {t.args_kwargs}: {t.worker_ids}" for t in tasks if len(t.worker_ids) > 1
        ],
        "workers": sorted({worker for task in tasks for worker in task.worker_ids}),
    }


if __name__ == "__main__":
    print(json.dumps({"template": template, "setup": setup, "outcome": outcome}[sys.argv[1]](), default=str))
