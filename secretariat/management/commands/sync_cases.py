from django.core.management.base import BaseCommand

from secretariat import cases


class Command(BaseCommand):
    help = "Create or bring up to date the case of every subject of every kind (existing data, a restore)."

    def handle(self, *args, **options) -> None:
        count = cases.sync_all()
        self.stdout.write(f"{count} cases in step with their subjects.")
