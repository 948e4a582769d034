from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from secretariat import import_jobs


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker, same options), after failing the "
        "imports a stopped worker left running (with the reason; nothing of them was imported)."
    )

    def handle(self, *args, **options) -> None:
        for job in import_jobs.import_jobs_fail_abandoned():
            self.stderr.write(f"Import job {job.pk} ({job}) failed: {job.errors[0]}")
        super().handle(*args, **options)
