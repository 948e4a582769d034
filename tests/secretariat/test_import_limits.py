"""Files built to hold the worker (zip bombs, millions of rows, giant cells) are refused early, by name.

Each malicious file is built here. Reading stops at the first row, column or cell beyond the
limits: the tests count what was read (bytes inflated, rows parsed), never time.
"""

import csv
import io
import os
import zipfile

import openpyxl
import pytest

from secretariat import imports
from secretariat.imports import ImportRejected, open_source

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_with_sheet(*rows: bytes, prolog: bytes = b"", parts: dict[str, bytes] | None = None) -> bytes:
    """A real workbook (written by openpyxl) whose first sheet holds `rows`, streamed in, and `parts`."""
    stream = io.BytesIO()
    openpyxl.Workbook().save(stream)
    built = io.BytesIO()
    with zipfile.ZipFile(stream) as base, zipfile.ZipFile(built, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in base.infolist():
            if part.filename != SHEET:
                archive.writestr(part, base.read(part))
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(prolog + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return built.getvalue()


def _row(number: int, *texts: str) -> bytes:
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(index)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for index, text in enumerate(texts, start=1)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


@pytest.fixture
def inflated(monkeypatch) -> dict[str, int]:
    """Bytes read out of each part of a workbook, and whether openpyxl opened it."""
    counts = {"openpyxl": 0}
    read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = read(self, n)
        counts[self.name] = counts.get(self.name, 0) + len(data)
        return data

    def refuse_to_open(*args, **kwargs):
        counts["openpyxl"] += 1
        raise AssertionError("openpyxl opened a workbook beyond the limits")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    monkeypatch.setattr(imports.openpyxl, "load_workbook", refuse_to_open)
    return counts


def _refusal(data: bytes, name: str = "file.xlsx") -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        open_source(data, name)
    return rejected.value.messages


# --- workbooks ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_any_of_it_is_inflated(inflated):
    # Like the probe's: 5 million rows, 245 MB of XML in a 0.7 MB file.
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
    bomb = _workbook_with_sheet(*[rows] * 500)
    assert len(bomb) < 1024 * 1024
    [message] = _refusal(bomb)
    assert message.startswith(f"file: the workbook's part {SHEET} inflates ")
    assert message.endswith("times is refused as a compression bomb")
    assert inflated.get(SHEET, 0) == 0
    assert inflated["openpyxl"] == 0


def test_a_workbook_inflating_past_the_limit_is_refused(settings, inflated):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    # Random texts: 2 MB that hardly compress, so only the total is beyond a limit.
    rows = [_row(number, os.urandom(30).hex()) for number in range(1, 20_000)]
    [message] = _refusal(_workbook_with_sheet(*rows))
    assert message.startswith("file: the workbook inflates to 2 MB; the limit is 1 MB")
    assert inflated.get(SHEET, 0) == 0


def test_a_workbook_of_more_parts_than_any_is_refused_before_its_directory_is_read(monkeypatch):
    # zipfile would hold an entry per part in memory: half a gigabyte for a million empty parts.
    monkeypatch.setattr(zipfile, "ZipFile", _refuse_to_read_a_directory(zipfile.ZipFile))
    built = io.BytesIO()
    with zipfile.ZipFile(built, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"{number}.xml", b"")
    assert _refusal(built.getvalue()) == [
        "file: the workbook has 10,001 parts; a workbook has at most 10,000"
    ]


def _refuse_to_read_a_directory(zip_file: type) -> type:
    class WriteOnlyZipFile(zip_file):
        def __init__(self, file, mode="r", *args, **kwargs):
            assert mode != "r", "the archive's directory was read"
            super().__init__(file, mode, *args, **kwargs)

    return WriteOnlyZipFile


def test_reading_stops_at_the_first_row_beyond_the_limit(settings, inflated):
    settings.IMPORT_MAX_ROWS = 1_000
    rows = [_row(number, f"value {number}") for number in range(1, 100_001)]
    workbook = _workbook_with_sheet(*rows)
    assert _refusal(workbook) == [
        "line 1002: the workbook has more than 1,000 rows, the most one import reads; "
        "split it into several files"
    ]
    # 1,001 rows of 100,000 (one block of 64 KB more at most), and openpyxl never opened the file.
    sheet_size = zipfile.ZipFile(io.BytesIO(workbook)).getinfo(SHEET).file_size
    assert inflated[SHEET] <= sum(len(row) for row in rows[:1_002]) + 64 * 1024 < sheet_size // 20
    assert inflated["openpyxl"] == 0


def test_a_row_numbered_past_the_limit_is_refused_without_reading_the_rows_before_it(inflated):
    # openpyxl would yield a million empty rows before this one.
    assert _refusal(_workbook_with_sheet(_row(1, "code"), _row(1_048_576, "FRA")))[0].startswith(
        "line 1048576: the workbook has more than 200,000 rows"
    )


def test_a_row_beyond_the_column_limit_is_refused_with_its_column(inflated):
    row = b'<row r="3"><c r="A3" t="inlineStr"><is><t>FRA</t></is></c><c r="XFD3"><v>1</v></c></row>'
    assert _refusal(_workbook_with_sheet(_row(1, "code"), _row(2, "BEL"), row)) == [
        "line 3, column XFD: the row has more than 100 columns; the limit is 100"
    ]


def test_a_giant_cell_is_refused_with_its_row_and_column_before_it_is_read_whole(inflated):
    cell = os.urandom(500_000).hex()  # a million characters that do not compress
    [message] = _refusal(_workbook_with_sheet(_row(1, "code", "name_en"), _row(2, "FRA", cell)))
    assert message == "line 2, column B: the cell holds more than 100,000 characters; the limit is 100,000"
    assert inflated[SHEET] < 300_000


def test_a_giant_shared_string_is_refused(inflated):
    # Excel keeps the workbook's texts in one part, which openpyxl reads whole as it opens the file.
    strings = f'<sst xmlns="{MAIN}"><si><t>FRA</t></si><si><t>{"x" * 100_001}</t></si></sst>'
    workbook = _workbook_with_sheet(_row(1, "code"), parts={"xl/sharedStrings.xml": strings.encode()})
    assert _refusal(workbook) == [
        "file: a text of the workbook holds more than 100,000 characters; the limit is 100,000"
    ]


def test_a_workbook_declaring_a_dtd_is_refused(inflated):
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert _refusal(_workbook_with_sheet(_row(1, "code"), prolog=laughs)) == [
        f"file: the workbook's part {SHEET} declares a DTD, which no workbook does"
    ]


def test_a_sheet_declaring_a_huge_size_is_read_by_its_rows():
    # openpyxl pads every row to the declared size (16,384 columns, a million rows) unless told not to.
    stream = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name_en", "name_fr"])
    workbook.active.append(["FRA", "France", "France"])
    workbook.save(stream)
    data = io.BytesIO()
    with zipfile.ZipFile(stream) as base, zipfile.ZipFile(data, "w") as archive:
        for part in base.infolist():
            content = base.read(part)
            if part.filename == SHEET:
                content = content.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in content
            archive.writestr(part, content)
    source = open_source(data.getvalue(), "parties.xlsx")
    assert (source.header, source.total, list(source.rows())) == (
        ["code", "name_en", "name_fr"],
        1,
        [(2, ["FRA", "France", "France"])],
    )


# --- CSV ------------------------------------------------------------------------------------------


def test_a_csv_file_with_more_rows_than_the_limit_is_refused_as_soon_as_it_has(settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 1_000
    read = []
    reader = csv.reader

    class CountingReader:
        def __init__(self, *args, **kwargs):
            self.reader = reader(*args, **kwargs)

        def __iter__(self):
            return self

        def __next__(self):
            read.append(next(self.reader))
            return read[-1]

        @property
        def line_num(self):
            return self.reader.line_num

    monkeypatch.setattr(imports.csv, "reader", CountingReader)
    text = "code,name_en,name_fr\n" + "FRA,France,France\n" * 100_000
    assert _refusal(text.encode(), "parties.csv") == [
        "line 1002: the file has more than 1,000 rows, the most one import reads; split it into several files"
    ]
    assert len(read) == 1 + 1_001 + 1  # the header line read for detection, the header, 1,001 rows


def test_a_csv_row_beyond_the_column_limit_is_refused():
    text = "code,name_en,name_fr\n" + "FRA" + "," * 100 + "\n"
    assert _refusal(text.encode(), "parties.csv") == [
        "line 2: the row has more than 100 columns; the limit is 100"
    ]


def test_a_csv_file_of_one_endless_line_is_refused_before_it_is_read_whole(settings):
    settings.IMPORT_MAX_CELL_CHARS = 1_000  # rows of at most 100,000 characters
    assert _refusal(b"code" + b"x" * 5_000_000, "parties.csv") == [
        "line 1: the row is longer than 100,000 characters; the limit is 100,000"
    ]


def test_a_quoted_cell_spanning_many_lines_counts_as_one_row(settings):
    settings.IMPORT_MAX_CELL_CHARS = 1_000
    text = 'code,name_en,name_fr\nFRA,"' + "line\n" * 30_000 + '",France\n'
    assert _refusal(text.encode(), "parties.csv") == [
        "line 2: the row is longer than 100,000 characters; the limit is 100,000"
    ]
