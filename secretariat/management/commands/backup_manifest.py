import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat import backups


class Command(BaseCommand):
    help = (
        "Backups (deploy/backup.sh, restore.sh, restore-drill.sh call it). Alone: prints the manifest "
        "of the database and the uploaded files as they are (JSON: the row count of every table, the "
        "SHA-256 of every file). --backup FOLDER: writes a backup there (database.dump: pg_dump -Fc "
        "in the same snapshot as the counts; media.tar: the uploaded files; manifest.json). "
        "--restore-files TAR: writes a backup's files into the file storage, which must be empty. "
        "--check MANIFEST: compares the database and the files with a backup's manifest, lists every "
        "difference and fails if there is one."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--backup", type=Path, metavar="FOLDER", help="write a backup into this folder")
        action.add_argument("--restore-files", type=Path, metavar="TAR", help="restore the files of a backup")
        action.add_argument("--check", type=Path, metavar="MANIFEST", help="check a restore against it")

    def handle(self, *args, backup, restore_files, check, **options) -> None:
        if backup:
            backup.mkdir(parents=True, exist_ok=True)
            data = backups.back_up(backup)
            self.stdout.write(f"Backup {backup}: {backups.summary(data)}")
        elif restore_files:
            try:
                restored = backups.restore_files(restore_files)
            except (backups.NotEmpty, ValueError, RuntimeError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{restored} files restored")
        elif check:
            self._check(check)
        else:
            data = backups.manifest(counts=backups.table_counts(), files=backups.file_checksums())
            self.stdout.write(json.dumps(data, indent=1, sort_keys=True))

    def _check(self, path: Path) -> None:
        try:
            expected = backups.read(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        problems = backups.compare(expected, counts=backups.table_counts(), files=backups.file_checksums())
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The restore differs from the backup in {len(problems)} place(s).")
        self.stdout.write(self.style.SUCCESS(f"Every table and file came back: {backups.summary(expected)}"))
