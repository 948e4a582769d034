from django.core.management.base import BaseCommand, CommandError

from secretariat import correspondence, services
from secretariat.imports import ImportRejected


class Command(BaseCommand):
    help = "Load or refresh the reference data (Parties, Convention articles, letter templates)."

    def handle(self, *args, **options) -> None:
        try:
            reports = services.load_reference_data()
        except ImportRejected as rejected:
            raise CommandError("Reference data not loaded:\n" + "\n".join(rejected.messages)) from None
        for name, report in reports.items():
            self.stdout.write(f"{name}: {report.summary()}")
        # Only the missing letter templates: those the Secretariat edited are kept.
        self.stdout.write(f"letter templates: {correspondence.load_default_templates()} created")
