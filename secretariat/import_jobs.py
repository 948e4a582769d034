"""Imports in the background: what the admin's import page and `import_data --background` call.

A job is created from a stored copy of the uploaded file and queued for a check (a dry run
that writes nothing); the worker (`tasks.run_import_job`) records the preview or the errors;
its author confirms, which queues the same file for the real import. No request ever runs an
import itself.
"""

import datetime
from pathlib import Path

from django.core.cache import caches
from django.core.files import File
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import access, task_queue
from .imports import KINDS, ImportKind
from .models import ImportJob, User
from .tasks import HEARTBEAT_TIMEOUT, LANGUAGE_OPTION, fail_task_left_running, run_import_job, worker_alive

#: Why a job whose worker died (killed, out of memory, machine restarted) ended failed. Its
#: import ran in one transaction, which the database rolled back when the connection dropped.
ABANDONED = {
    ImportJob.Status.CHECKING: gettext_lazy(
        "The worker stopped while checking the file; nothing was imported. Start the import again."
    ),
    ImportJob.Status.IMPORTING: gettext_lazy(
        "The worker stopped while importing; nothing was imported. Start the import again."
    ),
}


def importable_kinds(user: User, *, changelist: str | None = None) -> list[ImportKind]:
    """The kinds `user` may import (Secretariat users with the kind's permission), in import order;
    only those listed on the admin's `changelist` (its URL name) if given."""
    kinds = [
        kind
        for kind in KINDS.values()
        if (changelist is None or kind.changelist == changelist) and access.may_import(user, kind.permission)
    ]
    return sorted(kinds, key=lambda kind: (kind.order, kind.name))


class InvalidTransition(Exception):
    """The job is not in a state that allows this step (confirmed twice, still running ...)."""


def import_job_create(
    *, kind: ImportKind, upload: File, options: dict, by: User, dry_run: bool = True
) -> ImportJob:
    """Store the file and queue its check (or, with dry_run=False, its import straight away).

    The active language is kept on the job: the worker writes its errors and summary in it."""
    options = {key: value for key, value in options.items() if value not in (None, "")}
    if language := get_language():
        options.setdefault(LANGUAGE_OPTION, language)
    job = ImportJob(
        kind=kind.name,
        file_name=Path(upload.name).name[:255],
        options=options,
        user=by,
        dry_run=dry_run,
    )
    job.file.save(job.file_name, upload, save=False)
    job.save()
    _enqueue(job)
    return job


def import_job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """Queue the import of a checked file; only its author may, and only once."""
    if job.user_id != by.pk:
        raise InvalidTransition(_("Only the person who uploaded the file may confirm its import."))
    confirmable = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED, dry_run=True)
    if not confirmable.update(
        status=ImportJob.Status.QUEUED, dry_run=False, rows_done=0, confirmed_at=timezone.now()
    ):
        raise InvalidTransition(_("This file is not waiting for confirmation (already confirmed?)."))
    job.refresh_from_db()
    _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    caches["progress"].delete(job.progress_key)  # a key left by an earlier database

    def remember(result) -> None:
        job.task_id = str(result.id)
        ImportJob.objects.filter(pk=job.pk).update(task_id=job.task_id)

    task_queue.enqueue(run_import_job, job.pk, then=remember)


def import_job_fail_if_abandoned(job: ImportJob) -> ImportJob:
    """End as failed a running job whose worker no longer says it is alive.

    Failing is safe: the worker's transaction was rolled back. Running it again is not done for
    the user, since the file that stopped the worker (out of memory ...) would stop the next one.
    """
    just_started = job.started_at and timezone.now() - job.started_at < datetime.timedelta(
        seconds=HEARTBEAT_TIMEOUT
    )
    if not job.is_running or just_started or worker_alive(job):
        return job
    reason = str(ABANDONED[job.status])
    if ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=ImportJob.Status.FAILED, errors=[reason], finished_at=timezone.now()
    ):
        fail_task_left_running(job.task_id, reason)
    job.refresh_from_db()
    return job


def import_jobs_fail_abandoned() -> list[ImportJob]:
    """What a worker does as it starts: fail the running jobs whose worker is gone."""
    running = ImportJob.objects.filter(status__in=ImportJob.RUNNING)
    ended = [import_job_fail_if_abandoned(job) for job in running]
    return [job for job in ended if job.status == ImportJob.Status.FAILED]
