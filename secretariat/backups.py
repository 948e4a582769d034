"""Backups: what a backup holds (its manifest) and the check that a restore brought it all back.

A backup (deploy/backup.sh) is three files: the PostgreSQL dump (`pg_dump -Fc`), a tar of the
uploaded files and a manifest, JSON: the number of rows of every table and the SHA-256 of every
file. The dump and the row counts are taken in one snapshot of the database (`pg_export_snapshot`),
so they agree even while people work; the files' checksums are those of the tar's members.

The files are read and written through Django's default storage, so a backup and a restore work
the same on the local file system (MEDIA_ROOT) and in an S3-compatible store (S3_BUCKET).
After a restore (deploy/restore.sh), `compare` counts and hashes again and lists every table or
file that did not come back as it was: the restore drill fails on any.
"""

import hashlib
import json
import os
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction

FORMAT = 1
#: The files of a backup, in its folder.
DUMP, MEDIA_TAR, MANIFEST = "database.dump", "media.tar", "manifest.json"
CHUNK = 1024 * 1024


class NotEmpty(Exception):
    """A restore refuses to write files where some already are."""


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


def stored_files(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    """The name of every file in `storage` (uploads, imports, generated documents), folder by folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing uploaded
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from stored_files(storage, f"{folder}/{name}" if folder else name)


def file_checksums(storage: Storage = default_storage) -> dict[str, str]:
    """SHA-256 of every file in `storage`, by its name."""
    checksums = {}
    for name in stored_files(storage):
        with storage.open(name, "rb") as stream:
            checksums[name] = _sha256(stream)
    return dict(sorted(checksums.items()))


def tar_checksums(archive: Path) -> dict[str, str]:
    """SHA-256 of every regular file in a tar of the files (`tar_files`)."""
    checksums = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and (stream := tar.extractfile(member)) is not None:
                checksums[member.name] = _sha256(stream)
    return dict(sorted(checksums.items()))


def tar_files(archive: Path, storage: Storage = default_storage) -> None:
    """A tar of every file in `storage`, by their names (read from the store, written as they come)."""
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in stored_files(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            try:
                info.mtime = storage.get_modified_time(name).timestamp()
            except NotImplementedError:
                info.mtime = time.time()
            info.mode = 0o640
            with storage.open(name, "rb") as stream:
                tar.addfile(info, stream)


def restore_files(archive: Path, storage: Storage = default_storage) -> int:
    """Write every file of a tar of `tar_files` into `storage`, which must hold none; how many."""
    if next(stored_files(storage), None) is not None:
        raise NotEmpty("The file storage already holds files: restore into a new, empty one.")
    restored = 0
    with tarfile.open(archive) as tar:
        for member in tar:
            if not member.isfile() or (stream := tar.extractfile(member)) is None:
                continue
            if member.name.startswith("/") or ".." in Path(member.name).parts:
                raise ValueError(f"{member.name}: not a name of the backup's files.")
            saved = storage.save(member.name, File(stream, name=member.name))
            if saved != member.name:  # the storage renamed it: the rows would name a missing file
                raise RuntimeError(f"{member.name} was stored as {saved}.")
            restored += 1
    return restored


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


def back_up(folder: Path) -> dict[str, Any]:
    """Write a backup into `folder`: DUMP, MEDIA_TAR and MANIFEST; returns the manifest.

    The database first: every file its rows name was stored before the row was committed, so it
    is in the tar made next (files uploaded meanwhile are in the tar too, harmlessly)."""
    folder = Path(folder)
    counts = dump_with_counts(folder / DUMP)
    tar_files(folder / MEDIA_TAR)
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
    rows = sum(data["tables"].values())
    return f"{len(data['tables'])} tables, {rows} rows, {len(data['files'])} files"
