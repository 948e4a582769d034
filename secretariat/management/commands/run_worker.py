import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from secretariat import documents, import_jobs
from secretariat.schedule import Scheduler


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker, same options), after failing the "
        "imports and documents a stopped worker left running (with the reason; nothing of those imports "
        "was imported). "
        "Unless --batch, it also keeps the schedule: the daily jobs (settings.SCHEDULE) and the "
        "retry of failed e-mails are enqueued when due."
    )

    def handle(self, *args, **options) -> None:
        for job in import_jobs.import_jobs_fail_abandoned():
            self.stderr.write(f"Import job {job.pk} ({job}) failed: {job.errors[0]}")
        for document in documents.documents_fail_abandoned():
            self.stderr.write(f"Generated document {document.pk} ({document}) failed: {document.error}")
        scheduler = None
        # With --reload the parent process only restarts the child: the child keeps the schedule.
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options.get("batch") and not reloading_parent:
            scheduler = Scheduler()
            scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            if scheduler:
                scheduler.stop()
