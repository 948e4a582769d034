"""Background work, run by `manage.py db_worker` (Django's tasks framework, django-tasks-db)."""

import logging
from pathlib import Path

from django.tasks import task
from django.utils import timezone

from .imports import ImportRejected, Source, open_source, run_import
from .models import ImportJob

logger = logging.getLogger(__name__)

#: Job options that say how to read the file; the others are the kind's option columns.
FILE_OPTIONS = ("encoding", "delimiter")


@task()
def run_import_job(job_id: int) -> str:
    """Check (dry run) or import a job's file, by its phase, and record the outcome on the job.

    Whatever happens the job ends checked, done, rejected or failed, never left running: the
    import is one transaction, so a failure leaves the database as it was.
    """
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    running = ImportJob.Status.CHECKING if job.dry_run else ImportJob.Status.IMPORTING
    started = timezone.now()
    # Compare-and-set: each phase runs once, even if its task were enqueued twice.
    queued = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED)
    if not queued.update(status=running, started_at=started, rows_done=0):
        return job.status
    job.status, job.started_at = running, started
    try:
        source = _open(job)
        job.record_progress(0, source.total)
        report = run_import(
            job.kind,
            source,
            user=job.user,
            options={key: value for key, value in job.options.items() if key not in FILE_OPTIONS},
            dry_run=job.dry_run,
            progress=job.record_progress,
        )
    except ImportRejected as rejected:
        _end(job, ImportJob.Status.REJECTED, errors=rejected.messages)
    except (KeyboardInterrupt, SystemExit):
        _end(job, ImportJob.Status.FAILED, errors=["The worker was stopped during the import."])
        raise
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        _end(job, ImportJob.Status.FAILED, errors=[f"Unexpected error: {error.__class__.__name__}: {error}"])
        raise  # also recorded, with its traceback, on the task result
    else:
        done = ImportJob.Status.CHECKED if job.dry_run else ImportJob.Status.DONE
        _end(job, done, report=report.as_dict())
    return job.status


def _open(job: ImportJob) -> Source:
    options = {
        key: job.options[key] if job.options.get(key) not in (None, "", "auto") else None
        for key in FILE_OPTIONS
    }
    try:
        path = Path(job.file.path)
    except NotImplementedError:  # a storage without local files
        with job.file.open("rb") as stream:
            return open_source(stream.read(), job.file_name, **options)
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
    job.save(update_fields=fields)
