import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from secretariat import backups


class Command(BaseCommand):
    help = (
        "A backup's manifest: the row count of every table and the SHA-256 of every uploaded file. "
        "Alone: prints the manifest of the database and MEDIA_ROOT as they are (JSON). "
        "--backup FOLDER: writes a backup there (database.dump: pg_dump -Fc, taken in the same "
        "snapshot as the counts; media.tar: MEDIA_ROOT; manifest.json). --check MANIFEST: compares "
        "the database and MEDIA_ROOT with a manifest after a restore, lists every difference and "
        "fails if there is one. deploy/backup.sh, restore.sh and restore-drill.sh call it."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--backup", type=Path, metavar="FOLDER", help="write a backup into this folder")
        action.add_argument("--check", type=Path, metavar="MANIFEST", help="check a restore against it")

    def handle(self, *args, backup, check, **options) -> None:
        if backup:
            backup.mkdir(parents=True, exist_ok=True)
            data = backups.back_up(backup)
            self.stdout.write(f"Backup {backup}: {backups.summary(data)}")
        elif check:
            self._check(check)
        else:
            data = backups.manifest(
                counts=backups.table_counts(), files=backups.file_checksums(settings.MEDIA_ROOT)
            )
            self.stdout.write(json.dumps(data, indent=1, sort_keys=True))

    def _check(self, path: Path) -> None:
        try:
            expected = backups.read(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        problems = backups.compare(
            expected, counts=backups.table_counts(), files=backups.file_checksums(settings.MEDIA_ROOT)
        )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The restore differs from the backup in {len(problems)} place(s).")
        self.stdout.write(self.style.SUCCESS(f"Every table and file came back: {backups.summary(expected)}"))
