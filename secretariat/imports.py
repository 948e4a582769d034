"""The shared core of all-or-nothing imports: reading files as people send them (CSV with
commas or semicolons, UTF-8 with or without BOM, Windows-1252 from French Excel, or XLSX) into
rows with their line numbers, reporting, and running the writes in one transaction (rolled
back on a dry run).
"""

import codecs
import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    """What an import wrote, or would write on a dry run."""

    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f"{count} {name}" for name, count in self.created.items()) or "nothing"
        return ("Would create " if self.dry_run else "Created ") + counts


class _DryRun(Exception):
    pass


@dataclass
class Table:
    """Rows read from a spreadsheet, each with its row number (the header is row 1)."""

    fieldnames: list[str]
    rows: list[tuple[int, dict]]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as French Excel saves CSV."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected(
            ["the file is neither UTF-8 nor Windows-1252 text, nor an XLSX workbook"]
        ) from None


def read_file(data: bytes, name: str = "") -> "str | Table":
    """The content of an uploaded or given file, ready for read_rows."""
    if data.startswith(b"PK\x03\x04") or name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return decode(data)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(
            [f"the file is not a readable XLSX workbook ({error.__class__.__name__})"]
        ) from None
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_cell(value).strip() for value in next(lines, ())]
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = [_cell(value) for value in values]
        if any(cell.strip() for cell in cells):
            rows.append((number, dict(zip(header, cells, strict=False))))
    workbook.close()
    return Table(fieldnames=header, rows=rows)


def _delimiter(text: str) -> str:
    """Commas, or semicolons as spreadsheets in French locales write them: the header decides."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_rows(source: "str | Table", required: set[str]) -> list[tuple[int, dict]]:
    """Rows as (line number, {column: stripped value}); refuses a file missing required columns."""
    if isinstance(source, Table):
        fieldnames, raw_rows = source.fieldnames, source.rows
    else:
        text = source.lstrip("\ufeff")
        reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
        fieldnames, raw_rows = reader.fieldnames or [], _numbered(reader)
    missing = required - set(fieldnames)
    if missing:
        raise ImportRejected([f"line 1: missing column(s): {', '.join(sorted(missing))}"])
    return [(line, {k: (v or "").strip() for k, v in row.items() if k}) for line, row in raw_rows]


def _numbered(reader: csv.DictReader) -> list[tuple[int, dict]]:
    # DictReader's line_num is the line where a row ends; a row may span lines (quoted newlines).
    rows, line = [], 1
    for row in reader:
        rows.append((line + 1, row))
        line = reader.line_num
    return rows


def run_all_or_nothing(write, dry_run: bool, report: ImportReport) -> ImportReport:
    report.dry_run = dry_run
    try:
        with transaction.atomic():
            write()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
