from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from secretariat import notifications, schedule


class Command(BaseCommand):
    help = (
        "Run today's scheduled jobs that are due and nobody has run today (all, or those named), "
        "then retry the notification e-mails that failed. For cron, e.g. every 15 minutes; the "
        "worker keeps the same schedule, and a job never runs twice on one day."
    )

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", metavar="job", help="only these jobs (default: every job)")

    def handle(self, *args, jobs, **options):
        known = schedule.jobs()
        unknown = [name for name in jobs if name not in known]
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}. Jobs: {', '.join(sorted(known))}.")
        day = timezone.localdate()
        for name in schedule.due_jobs():
            if jobs and name not in jobs:
                continue
            run = schedule.run_job(name, day)
            if run is None:
                self.stdout.write(f"{name}: already run today")
            else:
                self.stdout.write(self.style.SUCCESS(f"{name}: {run.outcome}"))
        self.stdout.write(f"e-mail retry: {notifications.retry_failed_emails()}")
