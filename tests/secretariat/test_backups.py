"""A backup's manifest (row counts, files' checksums) and the check of a restore against it.
The whole cycle on PostgreSQL (dump, wipe, restore) is deploy/restore-drill.sh, run by .ci/run."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command

from secretariat import backups
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def _files(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)


def test_the_counts_cover_every_table_with_its_rows():
    PartyFactory.create_batch(2)

    counts = backups.table_counts()

    assert counts["secretariat_party"] == 2
    assert "django_migrations" in counts
    assert "secretariat_historicalparty" in counts  # history is backed up and checked too


def test_the_tar_of_the_files_has_the_checksums_of_the_files(tmp_path):
    storage = FileSystemStorage(tmp_path / "media")
    _files(tmp_path / "media", {"documents/2026/réponse.pdf": b"%PDF", "imports/2026/parties.csv": b"code\n"})

    backups.tar_files(tmp_path / "media.tar", storage)

    assert backups.tar_checksums(tmp_path / "media.tar") == backups.file_checksums(storage)
    assert set(backups.file_checksums(storage)) == {"documents/2026/réponse.pdf", "imports/2026/parties.csv"}


def test_the_files_of_a_tar_are_restored_under_their_names(tmp_path):
    _files(tmp_path / "media", {"documents/2026/réponse.pdf": b"%PDF", "a.csv": b"code\n"})
    backups.tar_files(tmp_path / "media.tar", FileSystemStorage(tmp_path / "media"))
    restored = FileSystemStorage(tmp_path / "restored")

    assert backups.restore_files(tmp_path / "media.tar", restored) == 2

    assert backups.file_checksums(restored) == backups.tar_checksums(tmp_path / "media.tar")


def test_files_are_never_restored_over_files(tmp_path):
    _files(tmp_path / "media", {"a.csv": b"code\n"})
    backups.tar_files(tmp_path / "media.tar", FileSystemStorage(tmp_path / "media"))

    with pytest.raises(backups.NotEmpty):
        backups.restore_files(tmp_path / "media.tar", FileSystemStorage(tmp_path / "media"))


def test_no_uploaded_file_yet_is_an_empty_list(tmp_path):
    assert backups.file_checksums(FileSystemStorage(tmp_path / "never-created")) == {}


def test_a_restore_identical_to_the_backup_has_no_difference():
    expected = backups.manifest(counts={"party": 2}, files={"a.pdf": "1"})

    assert backups.compare(expected, counts={"party": 2}, files={"a.pdf": "1"}) == []


def test_every_missing_or_different_table_and_file_is_listed():
    expected = backups.manifest(
        counts={"party": 2, "reply": 5, "user": 1}, files={"a.pdf": "1", "b.pdf": "2"}
    )

    problems = backups.compare(expected, counts={"party": 2, "reply": 4}, files={"a.pdf": "9"})

    assert problems == [
        "table reply: 4 rows, 5 expected",
        "table user: missing (1 rows expected)",
        "file a.pdf: checksum 9, 1 expected",
        "file b.pdf: missing",
    ]


def test_files_uploaded_after_the_backup_are_no_difference():
    expected = backups.manifest(counts={}, files={"a.pdf": "1"})

    assert backups.compare(expected, counts={}, files={"a.pdf": "1", "new.pdf": "2"}) == []


def test_the_check_passes_on_the_state_its_manifest_was_written_from(tmp_path, settings):
    _files(Path(settings.MEDIA_ROOT), {"documents/a.pdf": b"%PDF"})
    PartyFactory()
    out = io.StringIO()
    call_command("backup_manifest", stdout=out)
    (tmp_path / "manifest.json").write_text(out.getvalue())

    checked = io.StringIO()
    call_command("backup_manifest", check=tmp_path / "manifest.json", stdout=checked)

    assert "Every table and file came back" in checked.getvalue()


def test_the_check_fails_on_a_changed_file_and_says_which(tmp_path, settings):
    media = Path(settings.MEDIA_ROOT)
    _files(media, {"documents/a.pdf": b"%PDF"})
    backups.write(
        tmp_path / "manifest.json",
        backups.manifest(counts=backups.table_counts(), files=backups.file_checksums()),
    )
    (media / "documents/a.pdf").write_bytes(b"%PDF altered")
    errors = io.StringIO()

    with pytest.raises(CommandError, match="1 place"):
        call_command("backup_manifest", check=tmp_path / "manifest.json", stderr=errors)

    assert "file documents/a.pdf: checksum" in errors.getvalue()


def test_a_dump_needs_postgresql(tmp_path, settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("on PostgreSQL the dump works: deploy/restore-drill.sh runs it")
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        backups.dump_with_counts(tmp_path / "database.dump")


@pytest.mark.django_db(transaction=True)  # the dump's snapshot is a transaction of its own
def test_a_backup_holds_the_dump_the_files_and_the_counts_of_the_same_moment(tmp_path, settings):
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("pg_dump needs PostgreSQL")
    _files(Path(settings.MEDIA_ROOT), {"documents/a.pdf": b"%PDF"})
    PartyFactory()

    data = backups.back_up(tmp_path)

    assert (tmp_path / backups.DUMP).read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    assert data["tables"]["secretariat_party"] == 1
    assert data["files"] == backups.file_checksums()  # other tests' files too
    assert "documents/a.pdf" in data["files"]
    assert backups.read(tmp_path / backups.MANIFEST) == data
