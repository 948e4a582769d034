from django.core.management.base import BaseCommand

from secretariat import notifications


class Command(BaseCommand):
    help = (
        "E-mail the daily digest: one e-mail per person who chose it, with their notifications "
        "since the last one. `run_scheduled` (or the worker) runs it once a day; this runs it now."
    )

    def handle(self, *args, **options):
        report = notifications.send_digests()
        for error in report.errors:
            self.stderr.write(f"Not sent: {error}")
        self.stdout.write(f"Digests: {report}.")
