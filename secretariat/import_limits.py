"""Bounds on what an import reads, so that no file can hold the worker for long or fill its memory.

A workbook (XLSX is a ZIP of XML parts) is checked before openpyxl opens it: the sizes its parts
declare (zipfile never inflates a part beyond its declared size) and how many times each inflates,
then one streaming pass over its XML that stops at the first row, column or cell over the limits,
never holding more than a block of the file. A CSV file is read one row at a time, and a row
longer than the limits allow is refused before the rest of it is read.

The limits are settings (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS,
IMPORT_MAX_UNCOMPRESSED_MB), read when a file is opened.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

MB = 1024 * 1024
#: A legitimate workbook part inflates 5 to 25 times (one value repeated in every cell: 23); a
#: compression bomb thousands of times. Parts smaller than RATIO_FLOOR_BYTES are left alone.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 10 * MB
#: A workbook has tens of parts; zipfile keeps an entry of each in memory (half a kilobyte).
MAX_PARTS = 10_000
#: Bytes of a workbook part parsed at a time.
BLOCK_BYTES = 64 * 1024


class LimitExceeded(Exception):
    """The file goes beyond a limit (or is no workbook); where, and why."""

    def __init__(self, reason: str, line: int | None = None, column: str = ""):
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cell_chars: int
    uncompressed_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_MB * MB,
        )

    @property
    def row_chars(self) -> int:
        """The longest row of a CSV file: every column at its longest."""
        return self.columns * self.cell_chars

    def too_many_rows(self, line: int, what: str = "file") -> LimitExceeded:
        text = (
            _(
                "the workbook has more than %(rows)s rows, the most one import reads; "
                "split it into several files"
            )
            if what == "workbook"
            else _(
                "the file has more than %(rows)s rows, the most one import reads; split it into several files"
            )
        )
        return LimitExceeded(text % {"rows": f"{self.rows:,}"}, line)

    def too_many_columns(self, line: int, column: str = "") -> LimitExceeded:
        return LimitExceeded(
            _("the row has more than %(count)s columns; the limit is %(count)s")
            % {"count": f"{self.columns:,}"},
            line,
            column,
        )

    def cell_too_long(self, line: int | None, column: str = "") -> LimitExceeded:
        text = (
            _("the cell holds more than %(count)s characters; the limit is %(count)s")
            if line
            else _("a text of the workbook holds more than %(count)s characters; the limit is %(count)s")
        )
        return LimitExceeded(text % {"count": f"{self.cell_chars:,}"}, line, column)


# --- XLSX --------------------------------------------------------------------------------------


def check_workbook(stream: IO[bytes], limits: Limits) -> None:
    """Refuse a workbook over the limits before anything inflates it whole; LimitExceeded says why."""
    try:
        _check_part_count(stream)
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
            _check_sizes(parts, limits)
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    with archive.open(part) as xml:
                        _PartScanner(part.filename, limits).scan(xml)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, expat.ExpatError) as error:
        raise LimitExceeded(
            f"the file is not a readable XLSX workbook ({error.__class__.__name__})"
        ) from None


def _check_part_count(stream: IO[bytes]) -> None:
    """Count the parts from the archive's end record, before zipfile reads the directory it ends
    (with the stdlib's own, private, reader of that record)."""
    end = zipfile._EndRecData(stream)
    if end is None:
        raise zipfile.BadZipFile("no end of central directory")
    parts = end[zipfile._ECD_ENTRIES_TOTAL]
    if parts > MAX_PARTS:
        raise LimitExceeded(f"the workbook has {parts:,} parts; a workbook has at most {MAX_PARTS:,}")


def _check_sizes(parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise LimitExceeded(
                f"the workbook's part {part.filename} inflates {ratio:,.0f} times "
                f"({part.compress_size / MB:,.1f} MB to {part.file_size / MB:,.0f} MB); more than "
                f"{MAX_COMPRESSION_RATIO} times is refused as a compression bomb"
            )
    total = sum(part.file_size for part in parts)
    if total > limits.uncompressed_bytes:
        limit = limits.uncompressed_bytes // MB
        raise LimitExceeded(f"the workbook inflates to {total / MB:,.0f} MB; the limit is {limit:,} MB")


class _PartScanner:
    """One streaming pass over a part's XML: rows and cells (of a sheet) and texts within the limits."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.row = self.column = self.chars = 0
        self.in_text = False  # inside a cell (<c>) or a shared string (<si>): its texts add up

    def scan(self, xml: IO[bytes]) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.doctype
        while block := xml.read(BLOCK_BYTES):
            parser.Parse(block, False)
        parser.Parse(b"", True)

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = tag.rpartition(" ")[2]
        if name == "row":
            self.row = _number(attributes.get("r")) or self.row + 1
            self.column = 0
            if self.row > self.limits.rows + 1:  # the header, then the rows
                raise self.limits.too_many_rows(self.row, "workbook")
        elif name == "c":
            reference = attributes.get("r", "").rstrip("0123456789")
            self.column = _column_index(reference) or self.column + 1
            if self.column > self.limits.columns:
                raise self.limits.too_many_columns(self.row, self._column_letter())
        if name in ("c", "si"):
            self.in_text, self.chars = True, 0
        elif not self.in_text:
            self.chars = 0

    def end(self, tag: str) -> None:
        if tag.rpartition(" ")[2] in ("c", "si"):
            self.in_text = False

    def text(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > self.limits.cell_chars:
            in_cell = self.in_text and self.row
            raise self.limits.cell_too_long(
                self.row if in_cell else None, self._column_letter() if in_cell else ""
            )

    def doctype(self, *args) -> None:
        # No workbook declares a DTD; one that does may be building entities to expand.
        raise LimitExceeded(f"the workbook's part {self.name} declares a DTD, which no workbook does")

    def _column_letter(self) -> str:
        return get_column_letter(min(self.column, 18278))  # ZZZ, the last letters openpyxl names


def _number(text: str | None) -> int:
    return int(text) if text and text.isdecimal() and len(text) < 10 else 0


def _column_index(letters: str) -> int:
    try:
        return column_index_from_string(letters) if letters else 0
    except ValueError:  # more than three letters: past any sheet, so past the limit too
        return 10**6


# --- CSV ---------------------------------------------------------------------------------------


class BoundedLines:
    """A text stream's lines for csv.reader, refusing a row (which may span lines) longer than
    `limit` characters before reading the rest of it. Call `next_row()` after each row."""

    def __init__(self, stream: IO[str], limit: int):
        self.stream, self.limit, self.chars = stream, limit, 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(self.limit - self.chars + 1)
        if not line:
            raise StopIteration
        self.chars += len(line)
        if self.chars > self.limit:
            raise LimitExceeded(
                _("the row is longer than %(count)s characters; the limit is %(count)s")
                % {"count": f"{self.limit:,}"}
            )
        return line

    def next_row(self) -> None:
        self.chars = 0
