from django.core.management.base import BaseCommand, CommandError

from secretariat import services


class Command(BaseCommand):
    help = "Load or refresh the reference data (Parties, Convention articles) from fixtures/."

    def handle(self, *args, **options) -> None:
        try:
            results = services.load_reference_data()
        except services.ImportFailed as failure:
            raise CommandError("Reference data not loaded:\n" + "\n".join(failure.errors)) from None
        for name, result in results.items():
            totals = ", ".join(f"{count} {kind}" for kind, count in result.totals.items() if count)
            self.stdout.write(f"{name}: {totals or 'unchanged'}")
