from django.core.management.base import BaseCommand, CommandError

from secretariat import audit, exports
from secretariat.commands import acting_user, output_path


class Command(BaseCommand):
    help = (
        "Export every record type the import reads, one file per kind in import order "
        "(010-parties.csv ...), in exactly the layout `import_data KIND FILE` reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder to write the files into (created if missing)")
        parser.add_argument("--format", choices=sorted(exports.FORMATS), default="csv")
        parser.add_argument(
            "--user",
            default=None,
            help="Secretariat user whose access applies (default: first administrator)",
        )

    def handle(self, *args, directory, format, user, **options):
        folder = output_path(directory)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        folder.mkdir(exist_ok=True)
        author = acting_user(user)
        files = exports.export_dataset(author, format)
        audit.record(
            audit.Kind.EXPORT,
            user=author,
            target="whole dataset",
            details={"format": format, "command": "export_data", "directory": str(folder)},
        )
        for name, data in files.items():
            (folder / name).write_bytes(data)
            self.stdout.write(f"{folder / name}")
        self.stdout.write(f"{len(files)} file(s) written to {folder}.")
