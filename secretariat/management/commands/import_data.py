"""`import_data KIND FILE`: the command line's door to the one import path (secretariat.imports)."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from secretariat import access, import_jobs
from secretariat.commands import acting_user
from secretariat.imports import KINDS, OPTIONS, ImportKind, ImportRejected, open_source, run_import


def _option_columns() -> list[str]:
    """Every column an option may supply, over the registered kinds and options (registered in ready())."""
    columns = (column for kind in KINDS.values() for column in kind.resource.option_columns)
    return list(dict.fromkeys([*OPTIONS, *columns]))


class Command(BaseCommand):
    help = (
        "Import a CSV (comma or semicolon; UTF-8 with or without a byte-order mark, or Windows-1252) "
        "or XLSX file all-or-nothing: any bad row and nothing is written, every error is listed."
    )

    def add_arguments(self, parser):
        kinds = sorted(KINDS.values(), key=lambda kind: (kind.order, kind.name))
        parser.add_argument("kind", choices=[kind.name for kind in kinds], help="the kind of records")
        parser.add_argument("file", type=Path, help="the CSV or XLSX file")
        for column in _option_columns():
            option = OPTIONS.get(column)
            parser.add_argument(
                f"--{column}",
                type=option.type if option else str,
                help=option.help if option else f"value of the {column} column for every row",
            )
        parser.add_argument("--encoding", choices=["auto", "utf-8", "cp1252"], default="auto")
        parser.add_argument("--delimiter", choices=["auto", ",", ";"], default="auto")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--user", default=None, help="username recorded as the author (default: first administrator)"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import for the worker (manage.py run_worker) and return at once",
        )

    def handle(self, *args, kind, file, encoding, delimiter, dry_run, user, background, **options):
        spec = KINDS[kind]
        author = acting_user(user)
        if not access.may_import(author, spec.permission):
            raise CommandError(f"{author.username} may not import {kind} (needs {spec.permission}).")
        values = self._options(spec, options)
        if not file.is_file():
            raise CommandError(f"Cannot read {file}: no such file.")
        if background:
            self._queue(spec, file, {**values, "encoding": encoding, "delimiter": delimiter}, author, dry_run)
            return
        self.verbosity = options["verbosity"]
        try:
            source = open_source(
                file,
                file.name,
                encoding=None if encoding == "auto" else encoding,
                delimiter=None if delimiter == "auto" else delimiter,
            )
            report = run_import(
                spec, source, user=author, options=values, dry_run=dry_run, progress=self._progress(kind)
            )
        except ImportRejected as rejected:
            self._end_progress()
            for message in rejected.messages:
                self.stderr.write(message)
            raise CommandError(f"Nothing was imported: {file.name} has errors (listed above).") from None
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        self._end_progress()
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(report.summary() + (" (dry run: nothing written)" if dry_run else ""))

    def _options(self, spec: ImportKind, options: dict) -> dict:
        """The option columns given on the command line, refused when the kind takes none of them."""
        given = {column: options[column] for column in _option_columns() if options.get(column) is not None}
        extra = [column for column in given if column not in spec.resource.option_columns]
        if extra:
            raise CommandError(f"{spec.name} files take no {', '.join('--' + column for column in extra)}.")
        return given

    def _queue(self, spec: ImportKind, file: Path, options: dict, author, dry_run: bool) -> None:
        with file.open("rb") as stream:
            job = import_jobs.import_job_create(
                kind=spec, upload=File(stream, name=file.name), options=options, by=author, dry_run=dry_run
            )
        what = "check (dry run)" if dry_run else "import"
        self.stdout.write(
            f"Import job {job.pk} queued: the worker (manage.py run_worker; make run starts one) will "
            f"{what} {file.name} as {spec.name}.\n"
            f"Follow it at {reverse('import_job', args=[job.pk])} signed in as {author.username}."
        )

    # --- the progress line: "replies: 12,000 / 20,000 rows (60%)", rewritten in place ------------

    def _progress(self, kind: str):
        self._progress_shown = False

        def show(done: int, total: int) -> None:
            if self.verbosity < 1:
                return
            percent = done * 100 // total if total else 100
            self.stderr.write(f"\r{kind}: {done:,} / {total:,} rows ({percent}%)", ending="")
            self.stderr.flush()
            self._progress_shown = True

        return show

    def _end_progress(self) -> None:
        if getattr(self, "_progress_shown", False):
            self.stderr.write("")
            self._progress_shown = False
