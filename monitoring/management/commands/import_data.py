from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring import imports
from monitoring.models import MonitoringRound
from recommendations import imports as recommendation_imports
from recommendations.models import ImplementationReport
from secretariat.commands import acting_user
from secretariat.imports import read_file


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8 or Windows-1252, comma or semicolon) or XLSX file all-or-nothing: "
        "a questionnaire or replies into round N, "
        "recommendations into round N's implementation report, or promising practices."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["replies", "questionnaire", "recommendations", "practices"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--round", type=int, help="number of the monitoring round (all but practices)")
        parser.add_argument(
            "--report", help="reference of the implementation report, if the round has several"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--user", default=None, help="username recorded as the author (default: first administrator)"
        )

    def handle(self, *args, kind, file, round, report, dry_run, user, **options):
        monitoring_round = None if kind == "practices" else self._round(round)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            text = read_file(data, file.name)
            if kind == "practices":
                result = recommendation_imports.import_practices(text=text, dry_run=dry_run)
            elif kind == "recommendations":
                implementation_report = self._report(monitoring_round, report)
                result = recommendation_imports.import_recommendations(
                    report=implementation_report, text=text, dry_run=dry_run
                )
            elif kind == "questionnaire":
                result = imports.import_questionnaire(round=monitoring_round, text=text, dry_run=dry_run)
            else:
                result = imports.import_replies(
                    round=monitoring_round, text=text, by=acting_user(user), dry_run=dry_run
                )
        except imports.ImportRejected as rejected:
            raise CommandError("Nothing was imported:\n" + "\n".join(rejected.errors)) from None
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(result.summary() + (" (dry run: nothing written)" if dry_run else ""))

    def _round(self, number: int | None) -> MonitoringRound:
        if number is None:
            raise CommandError("--round is required for this kind of file.")
        try:
            return MonitoringRound.objects.get(number=number)
        except MonitoringRound.DoesNotExist:
            raise CommandError(f"There is no monitoring round {number}.") from None

    def _report(self, round: MonitoringRound, reference: str | None) -> ImplementationReport:
        reports = round.reports.all()
        if reference:
            reports = reports.filter(reference=reference)
        if len(reports) != 1:
            raise CommandError(
                f"Round {round.number} needs exactly one implementation report"
                + (f" with reference {reference}" if reference else " (or pass --report)")
                + f"; found {len(reports)}. Create it in the admin first."
            )
        return reports[0]
