"""Bad input to the import path: every problem is a clear error and nothing is written."""

import csv
import io

import openpyxl
import pytest

from secretariat.imports import ImportRejected, open_source, run_import
from secretariat.models import Organisation, Party
from secretariat.text import render_markdown

pytestmark = pytest.mark.django_db

PARTIES = "code,name_en,name_fr\n"


def _reject(kind: str, data: bytes, name: str = "file.csv", **kwargs) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        run_import(kind, open_source(data, name), **kwargs)
    return rejected.value.messages


def test_an_empty_file_is_refused():
    assert _reject("parties", b"") == ["file: the file is empty"]


def test_a_header_without_rows_is_refused():
    assert _reject("parties", PARTIES.encode()) == ["file: the file has a header but no rows"]


def test_an_empty_xlsx_sheet_is_refused():
    workbook = openpyxl.Workbook()
    stream = io.BytesIO()
    workbook.save(stream)
    assert "line 1: the header row is empty" in _reject("parties", stream.getvalue(), "empty.xlsx")


def test_missing_columns_are_named():
    assert _reject("parties", b"code\nFRA\n") == [
        "line 1, column name_en: missing column",
        "line 1, column name_fr: missing column",
    ]


def test_unknown_columns_are_named_with_the_expected_ones():
    messages = _reject("parties", b"code,name_en,name_fr,capital\nFRA,France,France,Paris\n")
    assert messages[0].startswith("line 1, column capital: unknown column; the columns are code, name_en")


def test_a_column_given_twice_is_refused():
    assert "line 1, column code: this column appears twice" in _reject(
        "parties", b"code,code,name_en,name_fr\n"
    )


def test_a_key_twice_in_one_file_names_both_lines():
    messages = _reject("parties", (PARTIES + "FRA,France,France\nFRA,France bis,France\n").encode())
    assert messages == ["line 3, column code, value “FRA”: the same code as line 2"]
    assert not Party.objects.exists()


def test_an_overlong_field_names_its_column_and_limit():
    messages = _reject("parties", (PARTIES + f"FRA,{'x' * 101},France\n").encode())
    assert len(messages) == 1
    assert messages[0].startswith("line 2, column name_en, value “xxx")
    assert messages[0].endswith("Ensure this value has at most 100 characters (it has 101).")


def test_a_cell_over_the_limit_is_refused_by_name(settings):
    cell = "a" * (settings.IMPORT_MAX_CELL_CHARS + 1)
    messages = _reject("parties", (PARTIES + f"FRA,{cell},France\n").encode())
    assert messages[0].startswith("line 2, column name_en")
    assert messages[0].endswith("the cell holds 100,001 characters; the limit is 100,000")
    assert not Party.objects.exists()


def test_a_twenty_megabyte_row_is_refused_before_it_is_read_whole():
    cell = "a" * (20 * 1024 * 1024)
    with pytest.raises(ImportRejected) as rejected:
        open_source((PARTIES + f"FRA,{cell},France\n").encode(), "p.csv")
    assert rejected.value.messages == [
        "line 2: the row is longer than 10,000,000 characters; the limit is 10,000,000"
    ]


def test_bytes_neither_utf8_nor_windows_1252_are_refused():
    assert _reject("parties", PARTIES.encode() + b"FRA,Fran\x81ce,France\n") == [
        "file: the file is neither UTF-8 nor Windows-1252 text, nor XLSX"
    ]


def test_a_damaged_xlsx_is_refused():
    assert _reject("parties", b"PK\x03\x04 not really a workbook", "parties.xlsx")[0].startswith(
        "file: the file is not a readable XLSX workbook"
    )


def test_one_bad_row_among_good_ones_writes_nothing():
    rows = "".join(f"{code},Name {code},Nom\n" for code in ("AUT", "BEL", "CHE"))
    _reject("parties", (PARTIES + rows + "DEU,,Allemagne\n").encode())
    assert not Party.objects.exists()


def test_errors_from_every_chunk_are_reported(monkeypatch):
    rows = "".join(f"{code},,Nom\n" for code in ("AUT", "BEL", "CHE", "DEU", "ESP"))
    with pytest.raises(ImportRejected) as rejected:
        run_import("parties", open_source((PARTIES + rows).encode(), "p.csv"), chunk_rows=2)
    assert [str(error.line) for error in rejected.value.errors] == ["2", "3", "4", "5", "6"]


def test_html_and_script_are_stored_as_sent_and_sanitised_when_shown():
    text = '<script>alert("x")</script><b onclick="steal()">NGO</b>'
    stream = io.StringIO()
    csv.writer(stream).writerows([["name", "kind"], [text, "ngo"]])
    run_import("organisations", open_source(stream.getvalue().encode(), "o.csv"))
    stored = Organisation.objects.get().name
    assert stored == text
    shown = render_markdown(stored)
    assert "<script" not in shown and "onclick" not in shown and "<b>NGO</b>" in shown


def test_a_formula_cell_quoted_by_our_export_reads_back_as_its_text():
    run_import("parties", open_source((PARTIES + "FRA,'=France,France\n").encode(), "p.csv"))
    assert Party.objects.get().name_en == "=France"
