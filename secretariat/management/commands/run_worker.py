import os

from django.core.management import call_command
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from secretariat import documents, import_jobs, task_queue
from secretariat.schedule import Scheduler


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker, same options), after failing the "
        "imports and documents a stopped worker left running (with the reason; nothing of those imports "
        "was imported). "
        "Unless --batch, it also keeps the schedule: the daily jobs (settings.SCHEDULE) and the "
        "retry of failed e-mails are enqueued when due. "
        "With TASK_QUEUE=redis it runs RQ's worker instead of db_worker (--batch: until the queue is "
        "empty), with the same schedule."
    )

    def add_arguments(self, parser) -> None:
        if task_queue.in_database():
            super().add_arguments(parser)
        else:  # db_worker's options name the database queue; RQ's worker takes only these
            parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")

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
            if task_queue.in_database():
                super().handle(*args, **options)
            else:
                call_command("rqworker", "default", job_class=task_queue.RQ_JOB_CLASS, burst=options["batch"])
        finally:
            if scheduler:
                scheduler.stop()
