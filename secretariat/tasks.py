"""Background work, run by `manage.py db_worker` (Django's tasks framework, django-tasks-db)."""

import datetime
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.cache import caches
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from . import documents, events, notifications, schedule
from .imports import ImportRejected, Source, open_source, run_import
from .models import ImportJob

logger = logging.getLogger(__name__)

#: Job options that say how to read the file; the others are the kind's option columns.
FILE_OPTIONS = ("encoding", "delimiter")
#: The job option that holds the language of the page it was started from: its errors and
#: summary are written in it.
LANGUAGE_OPTION = "language"
#: While a job runs, its worker says it is alive this often in the `progress` cache (a chunk of
#: rows may take minutes, so progress alone says too little); silent for HEARTBEAT_TIMEOUT, it is gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_TIMEOUT = 60


def _heartbeat_key(job_id: int) -> str:
    return f"import-job-{job_id}-alive"


def worker_alive(job: ImportJob) -> bool:
    """Whether a worker is running `job` now (in any process that shares the `progress` cache)."""
    return caches["progress"].get(_heartbeat_key(job.pk)) is not None


class WorkerStopped(Exception):
    """Recorded on the task result of a job whose worker died while running it."""


def fail_task_left_running(task_id: str, reason: str) -> None:
    """Fail the task result a dead worker left running: no worker would ever end it."""
    task = DBTaskResult.objects.filter(id=task_id or None, status=TaskResultStatus.RUNNING).first()
    if task is not None:
        task.set_failed(WorkerStopped(reason))


def document_heartbeat_key(document_id: int) -> str:
    return f"generated-document-{document_id}-alive"


@contextmanager
def _heartbeat(key: str) -> Iterator[None]:
    """A thread that says the worker is alive until the job ends, whatever the job is doing."""
    stop = threading.Event()

    def beat() -> None:
        caches["progress"].set(key, time.time(), timeout=HEARTBEAT_TIMEOUT)

    def keep_beating() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            beat()

    beat()  # before the job's work starts, not whenever the thread first runs
    thread = threading.Thread(target=keep_beating, name=f"{key}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        caches["progress"].delete(key)


@task()
def run_import_job(job_id: int) -> str:
    """Check (dry run) or import a job's file, by its phase, and record the outcome on the job.

    Whatever happens the job ends checked, done, rejected or failed, never left running: the
    import is one transaction, so a failure leaves the database as it was. If the worker itself
    dies, its heartbeat stops and the next worker to start (or the job's page) fails the job.
    """
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    running = ImportJob.Status.CHECKING if job.dry_run else ImportJob.Status.IMPORTING
    started = timezone.now()
    # Compare-and-set: each phase runs once, even if its task were enqueued twice.
    queued = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED)
    if not queued.update(status=running, started_at=started, rows_done=0):
        return job.status
    job.status, job.started_at = running, started
    language = job.options.get(LANGUAGE_OPTION) or job.user.language
    with _heartbeat(_heartbeat_key(job.pk)), translation.override(language):
        return _run(job)


def _run(job: ImportJob) -> str:
    try:
        with _local_file(job) as path:
            source = _open(job, path)
            job.record_progress(0, source.total)
            report = run_import(
                job.kind,
                source,
                user=job.user,
                options={
                    key: value
                    for key, value in job.options.items()
                    if key not in FILE_OPTIONS and key != LANGUAGE_OPTION
                },
                dry_run=job.dry_run,
                progress=job.record_progress,
            )
    except ImportRejected as rejected:
        _end(job, ImportJob.Status.REJECTED, errors=rejected.messages)
    except (KeyboardInterrupt, SystemExit):
        _end(job, ImportJob.Status.FAILED, errors=[_("The worker was stopped during the import.")])
        raise
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        _end(
            job,
            ImportJob.Status.FAILED,
            errors=[_("Unexpected error: %(error)s") % {"error": f"{error.__class__.__name__}: {error}"}],
        )
        raise  # also recorded, with its traceback, on the task result
    else:
        if not job.dry_run:
            done = ImportJob.Status.DONE
        elif report.new or report.changed:
            done = ImportJob.Status.CHECKED
        else:  # nothing to confirm: the job ends here, saying so, rather than wait for a button
            done = ImportJob.Status.UNCHANGED
        _end(job, done, report=report.as_dict())
    return job.status


@contextmanager
def _local_file(job: ImportJob) -> Iterator[Path]:
    """The uploaded file on this machine's disk: where the storage keeps it, or (an object store)
    a temporary copy, written in chunks and removed after the import, so that a 200 MB file is
    never held in memory whole and is read again from the start at each pass."""
    try:
        local = Path(job.file.path)
    except NotImplementedError:  # a storage without local files
        local = None
    if local is not None:
        yield local
        return
    with tempfile.NamedTemporaryFile(suffix=Path(job.file_name).suffix) as copy:
        with job.file.open("rb") as stream:
            shutil.copyfileobj(stream, copy, length=1024 * 1024)
        copy.flush()
        yield Path(copy.name)


def _open(job: ImportJob, path: Path) -> Source:
    options = {
        key: job.options[key] if job.options.get(key) not in (None, "", "auto") else None
        for key in FILE_OPTIONS
    }
    return open_source(path, job.file_name, **options)


def _end(job: ImportJob, status: str, *, report: dict | None = None, errors: list[str] = ()) -> None:
    # The task owns the job from its compare-and-set start until here: the outcome is written
    # even over a "failed" set meanwhile by a page that thought the worker gone.
    progress = job.progress()
    now = timezone.now()
    job.status = status
    job.rows_done, job.rows_total = progress["done"], progress["total"]
    job.errors = list(errors)
    fields = ["status", "rows_done", "rows_total", "errors"]
    if report is not None:
        job.report = report
        fields.append("report")
    if status == ImportJob.Status.CHECKED:
        job.checked_at = now
        fields.append("checked_at")
    else:
        job.finished_at = now
        fields.append("finished_at")
    with transaction.atomic():
        job.save(update_fields=fields)
        # Its author is told (the bell, an e-mail): a check or an import may take minutes.
        events.emit("import.finished", subject=job, occurrence=status, status=status)


@task()
def generate_document(document_id: int) -> str:
    """Prepare a document asked for in the background (`documents.document_generate`), saying the
    worker is alive meanwhile: a worker that dies leaves it to `documents.documents_fail_abandoned`."""
    with _heartbeat(document_heartbeat_key(document_id)):
        return documents.document_generate(document_id)


@task()
def send_notification_emails() -> str:
    """E-mail the notifications waiting to be sent (enqueued when they are made)."""
    return str(notifications.send_pending_emails())


@task()
def retry_notification_emails() -> str:
    """E-mail what failed before (the worker's schedule enqueues it every few minutes)."""
    return str(notifications.retry_failed_emails())


@task()
def run_scheduled_job(job: str, day: str) -> str:
    """Run a daily job for `day` (ISO date) unless someone ran it already (`schedule.run_job`)."""
    run = schedule.run_job(job, datetime.date.fromisoformat(day))
    return run.outcome if run else "already run"
