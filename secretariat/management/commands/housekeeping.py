from django.core.management.base import BaseCommand

from secretariat import housekeeping


class Command(BaseCommand):
    help = (
        "Remove now what the service keeps only for a while: expired sessions, the worker's task "
        "results, the uploaded files of finished imports and the files of old generated documents "
        "(HOUSEKEEPING_*_DAYS settings, 30 days by default). The worker runs it daily (job "
        '"housekeeping"); the rows of imports and documents stay.'
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(str(housekeeping.run()))
