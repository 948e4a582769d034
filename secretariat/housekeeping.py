"""Housekeeping: what the service keeps only for a while, removed once a day.

- expired sessions (what `clearsessions` does);
- the worker's task results (django-tasks-db) finished more than HOUSEKEEPING_TASK_RESULTS_DAYS ago;
- the uploaded file of an import that ended (imported, unchanged, rejected, failed) more than
  HOUSEKEEPING_IMPORT_FILES_DAYS ago: up to 200 MB each, and the import is in the database by
  then. The job's row stays (who imported what, when, and its summary), marked as having lost its file;
- the file of a generated document finished more than HOUSEKEEPING_DOCUMENT_FILES_DAYS ago: the
  requester can ask for it again. The row stays, and its history says why the file went.

The worker runs it every day (the job "housekeeping" of secretariat/schedule.py, at the time
settings.SCHEDULE gives it); `manage.py housekeeping` runs it at once. Each removal is logged.
"""

import datetime
import logging
from dataclasses import asdict, dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from .history import set_author
from .models import GeneratedDocument, ImportJob

logger = logging.getLogger(__name__)

#: How long each thing is kept, in days, unless the settings say otherwise.
DEFAULT_DAYS = 30

#: The option an import job keeps once its file is removed: when it was (ISO 8601).
FILE_REMOVED_OPTION = "file_removed_at"

#: An import job in these statuses still needs its file (the check, the confirmation, the import).
IMPORT_STATUSES_NEEDING_THE_FILE = (
    ImportJob.Status.QUEUED,
    ImportJob.Status.CHECKING,
    ImportJob.Status.CHECKED,
    ImportJob.Status.IMPORTING,
)


@dataclass(frozen=True)
class Outcome:
    """What one run removed; `sessions` is None when the session engine cannot count them."""

    sessions: int | None
    task_results: int
    import_files: int
    document_files: int

    def __str__(self) -> str:
        sessions = "?" if self.sessions is None else self.sessions
        return (
            f"housekeeping: {sessions} expired session(s), {self.task_results} task result(s), "
            f"{self.import_files} import file(s), {self.document_files} generated document file(s) removed"
        )


def _days(name: str) -> int:
    return int(getattr(settings, name, DEFAULT_DAYS))


def _cutoff(setting: str, now: datetime.datetime | None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=_days(setting))


def clear_expired_sessions() -> int | None:
    """Delete the sessions past their expiry date; how many, when the engine stores them in a table."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore
    if hasattr(store, "get_model_class"):  # the database engines (db, cached_db)
        deleted, _by_model = store.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()
        logger.info("Housekeeping: deleted %d expired session(s)", deleted)
        return deleted
    store.clear_expired()  # cache and signed-cookie sessions expire by themselves
    return None


def prune_task_results(*, now: datetime.datetime | None = None) -> int:
    """Delete the worker's task results finished (successful or failed) before the cut-off."""
    if not apps.is_installed("django_tasks_db"):  # another task backend keeps its own results
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = _cutoff("HOUSEKEEPING_TASK_RESULTS_DAYS", now)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    logger.info("Housekeeping: deleted %d task result(s) finished before %s", deleted, cutoff)
    return deleted


def remove_import_files(*, now: datetime.datetime | None = None) -> int:
    """Remove the uploaded file of each import that ended before the cut-off; the job row stays,
    with the date its file was removed (option FILE_REMOVED_OPTION)."""
    cutoff = _cutoff("HOUSEKEEPING_IMPORT_FILES_DAYS", now)
    jobs = (
        ImportJob.objects.exclude(status__in=IMPORT_STATUSES_NEEDING_THE_FILE)
        .exclude(file="")
        .filter(finished_at__lt=cutoff)
        .only("pk", "file", "options")
    )
    removed = 0
    for job in jobs.iterator():
        name = job.file.name or ""  # never empty: rows without a file are excluded
        # The file first: a run stopped in between leaves a row naming a missing file, which the
        # next run clears (deleting a missing file is no error), never a file no row names.
        job.file.storage.delete(name)
        options = {**job.options, FILE_REMOVED_OPTION: timezone.now().isoformat()}
        # Compare-and-set on the file's name: a job changed meanwhile is left to the next run.
        if ImportJob.objects.filter(pk=job.pk, file=name).update(file="", options=options):
            removed += 1
            logger.info("Housekeeping: removed the file %s of import job %s", name, job.pk)
    return removed


def remove_document_files(*, now: datetime.datetime | None = None) -> int:
    """Remove the file of each generated document finished before the cut-off; the row stays,
    and its history records the removal and why."""
    cutoff = _cutoff("HOUSEKEEPING_DOCUMENT_FILES_DAYS", now)
    days = _days("HOUSEKEEPING_DOCUMENT_FILES_DAYS")
    documents = GeneratedDocument.objects.exclude(file="").filter(
        status__in=(GeneratedDocument.Status.DONE, GeneratedDocument.Status.FAILED), finished_at__lt=cutoff
    )
    removed = 0
    for document in documents.iterator():
        name = document.file.name or ""
        document.file.storage.delete(name)
        document.file = ""
        # In English, as the history's other reasons ("imported from …"): a record, not a message.
        reason = f"file removed by the housekeeping, {days} days after it was prepared"
        set_author(document, None, reason).save(update_fields=["file"])
        removed += 1
        logger.info("Housekeeping: removed the file %s of generated document %s", name, document.pk)
    return removed


def run(now: datetime.datetime | None = None) -> Outcome:
    """Everything above, in turn; `now` is for tests (sessions always expire against the clock)."""
    outcome = Outcome(
        sessions=clear_expired_sessions(),
        task_results=prune_task_results(now=now),
        import_files=remove_import_files(now=now),
        document_files=remove_document_files(now=now),
    )
    logger.info("Housekeeping done: %s", asdict(outcome))
    return outcome


def scheduled_job(day: datetime.date) -> str:
    """The daily job "housekeeping" (secretariat/schedule.py)."""
    return str(run())
