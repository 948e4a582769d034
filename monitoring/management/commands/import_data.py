from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring import imports
from monitoring.models import MonitoringRound
from secretariat.models import User


class Command(BaseCommand):
    help = "Import a CSV file (UTF-8) all-or-nothing: 'replies' or 'questionnaire' into round N."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["replies", "questionnaire"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--round", type=int, required=True, help="number of the monitoring round")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--user", default=None, help="username recorded as the author (default: first administrator)"
        )

    def handle(self, *args, kind, file, round, dry_run, user, **options):
        try:
            monitoring_round = MonitoringRound.objects.get(number=round)
        except MonitoringRound.DoesNotExist:
            raise CommandError(f"There is no monitoring round {round}.") from None
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            if kind == "questionnaire":
                report = imports.import_questionnaire(round=monitoring_round, text=text, dry_run=dry_run)
            else:
                report = imports.import_replies(
                    round=monitoring_round, text=text, by=self._author(user), dry_run=dry_run
                )
        except imports.ImportRejected as rejected:
            raise CommandError("Nothing was imported:\n" + "\n".join(rejected.errors)) from None
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(report.summary() + (" (dry run: nothing written)" if dry_run else ""))

    def _author(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        author = (
            users.filter(username=username).first()
            if username
            else (users.filter(role="secretariat_admin").first() or users.filter(is_superuser=True).first())
        )
        if author is None:
            raise CommandError("No author: pass --user with the username of a Secretariat member.")
        return author
