"""Backups: what a backup holds (its manifest) and the check that a restore brought it all back.

A backup (deploy/backup.sh) is three files: the PostgreSQL dump (`pg_dump -Fc`), a tar of the
uploaded files (MEDIA_ROOT) and a manifest, JSON: the number of rows of every table and the
SHA-256 of every file. The dump and the row counts are taken in one snapshot of the database
(`pg_export_snapshot`), so they agree even while people work; the files' checksums are read from
the tar itself. After a restore (deploy/restore.sh), `check` counts and hashes again and lists
every table or file that did not come back as it was: the restore drill fails on any.
"""

import hashlib
import json
import os
import subprocess
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1
#: The files of a backup, in its folder.
DUMP, MEDIA_TAR, MANIFEST = "database.dump", "media.tar", "manifest.json"
CHUNK = 1024 * 1024


def table_counts() -> dict[str, int]:
    """The number of rows of every table of the database (Django's, the apps', the libraries')."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def file_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every regular file under `root`, by its path relative to `root` (POSIX)."""
    root = Path(root)
    if not root.exists():
        return {}
    checksums = {}
    for path in _walk(root):
        with path.open("rb") as stream:
            checksums[path.relative_to(root).as_posix()] = _sha256(stream)
    return dict(sorted(checksums.items()))


def tar_checksums(archive: Path) -> dict[str, str]:
    """SHA-256 of every regular file in a tar of MEDIA_ROOT (made with `tar -C MEDIA_ROOT .`)."""
    checksums = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and (stream := tar.extractfile(member)) is not None:
                name = member.name.removeprefix("./")
                checksums[name] = _sha256(stream)
    return dict(sorted(checksums.items()))


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the default database, as Django connects to it."""
    db = settings.DATABASES["default"]
    variables = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
    }
    return {**os.environ, **{key: value for key, value in variables.items() if value}}


def dump_with_counts(dump: Path) -> dict[str, int]:
    """`pg_dump -Fc` of the database into `dump`, and the row counts of the same snapshot."""
    if connection.vendor != "postgresql":
        raise RuntimeError("A dump needs PostgreSQL (DATABASE_URL=postgres://...).")
    with transaction.atomic(), connection.cursor() as cursor:
        # First statement of the transaction: every later read sees the database of this moment.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        subprocess.run(  # noqa: S603 (fixed program, no shell)
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],  # noqa: S607
            env=_pg_environment(),
            check=True,
        )
        return table_counts()


def tar_media(root: Path, archive: Path) -> None:
    """A tar of every regular file under `root` (MEDIA_ROOT), by their paths relative to it."""
    root = Path(root)
    with tarfile.open(archive, "w") as tar:
        if root.exists():
            for path in sorted(_walk(root)):
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)


def back_up(folder: Path) -> dict[str, Any]:
    """Write a backup into `folder`: DUMP, MEDIA_TAR and MANIFEST; returns the manifest.

    The database first: every file its rows name was stored before the row was committed, so it
    is in the tar made next (uploads after the dump are in the tar too, harmlessly)."""
    folder = Path(folder)
    counts = dump_with_counts(folder / DUMP)
    tar_media(Path(settings.MEDIA_ROOT), folder / MEDIA_TAR)
    data = manifest(counts=counts, files=tar_checksums(folder / MEDIA_TAR))
    write(folder / MANIFEST, data)
    return data


def manifest(*, counts: dict[str, int], files: dict[str, str]) -> dict[str, Any]:
    return {"format": FORMAT, "tables": counts, "files": files}


def compare(expected: dict[str, Any], *, counts: dict[str, int], files: dict[str, str]) -> list[str]:
    """What did not come back: a table missing or with another row count, a file missing or changed.
    Files added since (uploads after the backup) are no difference."""
    problems = []
    for table, rows in expected["tables"].items():
        if table not in counts:
            problems.append(f"table {table}: missing ({rows} rows expected)")
        elif counts[table] != rows:
            problems.append(f"table {table}: {counts[table]} rows, {rows} expected")
    for name, checksum in expected["files"].items():
        if name not in files:
            problems.append(f"file {name}: missing")
        elif files[name] != checksum:
            problems.append(f"file {name}: checksum {files[name]}, {checksum} expected")
    return problems


def write(path: Path, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a backup manifest of format {FORMAT}.")
    return data


def summary(data: dict[str, Any]) -> str:
    tables: Iterable[int] = data["tables"].values()
    return f"{len(data['tables'])} tables, {sum(tables)} rows, {len(data['files'])} files"
