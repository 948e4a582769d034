"""Where background tasks wait: in the database (django-tasks-db, the default: one machine, nothing
more to run) or on Redis (django-tasks-rq, with `TASK_QUEUE=redis`: workers on several machines).

Both run the same tasks (secretariat/tasks.py) through Django's task framework; what differs is
when a task may be handed over and how the queue is watched, which this module says once.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Min
from django.tasks import Task, TaskResult, TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

#: the job class RQ's workers must run our tasks with (django-tasks-rq's)
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


def in_database() -> bool:
    """Whether the task queue is the database's (else Redis, through RQ)."""
    return isinstance(task_backends["default"], DatabaseBackend)


def enqueue(task: Task, *args, then: Callable[[TaskResult], None] | None = None) -> None:
    """Queue `task(*args)` so that its worker sees what the current transaction wrote.

    The database queue writes the task in the same transaction: the task exists exactly when the
    records it works on do. A queue outside the database gets it after the commit (or at once
    outside a transaction): a worker on Redis could otherwise start before the import job or the
    document it is given is visible, or run for a request that was rolled back. `then` receives
    the task's result (its id) once queued.
    """

    def send() -> None:
        result = task.enqueue(*args)
        if then is not None:
            then(result)

    if in_database():
        send()
    else:
        transaction.on_commit(send, robust=False)


def queue_state() -> str:
    """How many tasks wait, and since when (for /health/ and the operators)."""
    if not in_database():
        import django_rq

        queue = django_rq.get_queue("default")
        return f"redis queue: {queue.count} waiting"  # a query to Redis: it answers
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        count=Count("id"), oldest=Min("enqueued_at")
    )
    if not waiting["count"]:
        return "database queue: none waiting"
    age = (timezone.now() - waiting["oldest"]).total_seconds()
    return f"database queue: {waiting['count']} waiting, the oldest for {age:.0f} s"
