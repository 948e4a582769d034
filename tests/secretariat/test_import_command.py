"""`import_data KIND FILE`: files as people send them, all-or-nothing, errors on stderr."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from secretariat.models import ImportJob, Organisation, Party

from .import_helpers import BAD_PARTIES_CSV, PARTIES_CSV, import_files, run_worker  # noqa: F401

pytestmark = pytest.mark.django_db

HEADER = ["code", "name_en", "name_fr"]
ROWS = [["ARE", "United Arab Emirates", "Émirats arabes unis"], ["NLD", "Netherlands", "Pays-Bas « NL »"]]


def _import(path, *args, user="officer") -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_data", *args[:1], str(path), *args[1:], "--user", user, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def _semicolon_csv() -> str:
    # As French Excel saves it: semicolons, every cell quoted, CRLF line ends.
    lines = [";".join(HEADER)] + [";".join(f'"{cell}"' for cell in row) for row in ROWS]
    return "\r\n".join(lines) + "\r\n"


def _xlsx(rows=ROWS) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_the_command_imports_a_file_and_prints_the_summary(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    stdout, _stderr = _import(path, "parties")
    assert "Created 3, changed 0, left 0 unchanged (parties)" in stdout
    assert set(Party.objects.values_list("code", flat=True)) == {"BEL", "NLD", "LUX"}


def test_the_imported_records_name_their_author_in_history(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    _import(path, "parties")
    record = Party.history.get(code="BEL")
    assert (record.history_user, record.history_change_reason) == (officer, "imported from parties.csv")


def test_importing_the_same_file_again_changes_nothing(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    _import(path, "parties")
    stdout, _stderr = _import(path, "parties")
    assert "Nothing to change: the 3 rows are already in the database." in stdout
    assert Party.history.count() == 3


def test_a_dry_run_writes_nothing_and_says_so(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    stdout, _stderr = _import(path, "parties", "--dry-run")
    assert "Would create 3, would change 0, left 0 unchanged (parties) (dry run: nothing written)" in stdout
    assert not Party.objects.exists()


def test_a_bad_file_exits_non_zero_with_every_error_on_stderr(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(BAD_PARTIES_CSV)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_data", "parties", str(path), "--user", "officer", stderr=stderr)
    lines = stderr.getvalue().strip().splitlines()
    assert any(line.startswith("line 3, column code, value “XX1”") for line in lines)
    assert any(line.startswith("line 4, column name_en") for line in lines)
    assert not Party.objects.exists()


def test_the_progress_line_is_rewritten_on_stderr(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    _stdout, stderr = _import(path, "parties")
    assert stderr == "\rparties: 3 / 3 rows (100%)\n"


def test_no_progress_line_at_verbosity_0(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    _stdout, stderr = _import(path, "parties", "--verbosity", "0")
    assert stderr == ""


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("parties.csv", _semicolon_csv().encode("cp1252")),
        ("parties.csv", b"\xef\xbb\xbf" + _semicolon_csv().encode("utf-8")),
        ("parties.csv", "\n".join(",".join(row) for row in [HEADER, *ROWS]).encode()),
        ("parties.xlsx", _xlsx()),
    ],
    ids=["windows-1252 with semicolons", "utf-8 with a byte-order mark", "utf-8 with commas", "xlsx"],
)
def test_files_as_people_send_them_are_read_alike(officer, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    _import(path, "parties")
    assert Party.objects.get(code="ARE").name_fr == "Émirats arabes unis"
    assert Party.objects.get(code="NLD").name_fr == "Pays-Bas « NL »"


def test_encoding_and_separator_may_be_given(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_bytes(_semicolon_csv().encode("cp1252"))
    _import(path, "parties", "--encoding", "cp1252", "--delimiter", ";")
    assert Party.objects.get(code="ARE").name_fr == "Émirats arabes unis"


def test_a_wrong_encoding_is_an_error_not_a_crash(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_bytes(_semicolon_csv().encode("cp1252"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        _import(path, "parties", "--encoding", "utf-8")
    assert not Party.objects.exists()


def test_xlsx_errors_name_the_spreadsheet_row(officer, tmp_path):
    path = tmp_path / "parties.xlsx"
    path.write_bytes(_xlsx([ROWS[0], ["ZZZ", "Nowhere", "Nulle part"]]))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "parties", str(path), "--user", "officer", stderr=stderr)
    assert "line 3, column code, value “ZZZ”" in stderr.getvalue()


def test_a_damaged_workbook_is_refused_with_a_reason(officer, tmp_path):
    path = tmp_path / "parties.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "parties", str(path), "--user", "officer", stderr=stderr)
    assert "not a readable XLSX workbook" in stderr.getvalue()


def test_a_missing_file_is_named(officer, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.csv"):
        _import(tmp_path / "nowhere.csv", "parties")


def test_an_option_the_kind_does_not_take_is_refused(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    with pytest.raises(CommandError, match="parties files take no --round"):
        _import(path, "parties", "--round", "2")


def test_only_a_secretariat_user_may_import(committee_member, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    with pytest.raises(CommandError, match="not an active Secretariat user"):
        _import(path, "parties", user="committee")


def test_organisations_refer_to_parties_by_code(officer, party_a, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("name,kind,party\nLa Strada,ngo,FRA\n")
    _import(path, "organisations")
    assert Organisation.objects.get(name="La Strada").party == party_a


@pytest.mark.usefixtures("import_files")
def test_background_queues_a_job_and_says_how_to_follow_it(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    stdout, _stderr = _import(path, "parties", "--background")
    job = ImportJob.objects.get()
    assert (job.status, job.dry_run, job.user, job.kind) == ("queued", False, officer, "parties")
    assert f"Import job {job.pk} queued" in stdout
    assert f"/imports/jobs/{job.pk}/" in stdout
    assert not Party.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("import_files")
def test_a_background_import_is_done_by_the_worker(officer, tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text(PARTIES_CSV)
    _import(path, "parties", "--background")
    run_worker()
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 3, 3)
    assert Party.objects.count() == 3
