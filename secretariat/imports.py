"""The one import path for every record type: files as people send them, read in streaming
chunks, imported all-or-nothing through the django-import-export resource of their kind.

A file is CSV (`,` or `;`; UTF-8 with or without a byte-order mark, or Windows-1252 as French
Excel saves it) or XLSX (first sheet). Every row is checked; one bad row means nothing is
written, and each error names its line, column, value and reason. Rows whose natural key is
already in the database are updated, or reported unchanged when the file says what the
database already says, so importing the same file twice changes nothing.

The admin's import page, its background worker and the `import_data` command call `run_import`.
"""

import codecs
import csv
import datetime
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .import_limits import BoundedLines, LimitExceeded, Limits, check_workbook
from .spreadsheets import unquote_cell

#: Errors kept and shown; the count of the others is still reported.
MAX_ERRORS = 200
#: Rows imported per django-import-export call; keeps memory flat whatever the file size.
CHUNK_ROWS = 2_000
#: Rows shown in a preview.
PREVIEW_ROWS = 200


@dataclass(frozen=True)
class RowError:
    """One problem in a file: where (line, column), what (value) and why (reason)."""

    line: int | None
    column: str = ""
    value: str = ""
    reason: str = ""

    def __str__(self) -> str:
        # Written in the active language: the worker runs a job in the language of its author's page.
        where = [_("line %(line)s") % {"line": self.line} if self.line else _("file")]
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        if self.value:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            where.append(_("value “%(value)s”") % {"value": shown})
        return _("%(where)s: %(reason)s") % {"where": ", ".join(where), "reason": self.reason}


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: "list[RowError | str]", more: int = 0):
        self.errors = [
            error if isinstance(error, RowError) else RowError(None, reason=error) for error in errors
        ]
        self.more = more
        super().__init__("\n".join(self.messages))

    @classmethod
    def beyond(cls, limit: LimitExceeded, line: int | None = None) -> "ImportRejected":
        """The file goes beyond an import limit (at `line` unless the limit says where)."""
        return cls([RowError(limit.line or line, limit.column, reason=limit.reason)])

    @property
    def messages(self) -> list[str]:
        lines = [str(error) for error in self.errors]
        if self.more:
            lines.append(
                ngettext("... and %(count)s more error", "... and %(count)s more errors", self.more)
                % {"count": self.more}
            )
        return lines


# --- reading -------------------------------------------------------------------------------


@dataclass
class Source:
    """A file's header and rows, read again from the start each time `rows()` is called."""

    header: list[str]
    total: int
    rows: Callable[[], Iterator[tuple[int, list[str]]]]
    name: str = ""

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[list[tuple[int, list[str]]]]:
        rows = self.rows()
        while chunk := list(itertools.islice(rows, size)):
            yield chunk


def open_source(
    data: "bytes | Path", name: str = "", *, encoding: str | None = None, delimiter: str | None = None
) -> Source:
    """Open a CSV or XLSX file (bytes or a path) for streaming; `encoding` and `delimiter`
    override detection ("utf-8", "cp1252"; "," or ";")."""
    if isinstance(data, Path):
        name = name or data.name

        def opener():
            return data.open("rb")
    else:

        def opener():
            return io.BytesIO(data)

    with opener() as stream:
        magic = stream.read(4)
    limits = Limits.from_settings()
    if magic == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return _xlsx_source(opener, name, limits)
    if not magic:
        raise ImportRejected([RowError(None, reason=_("the file is empty"))])
    return _csv_source(opener, name, encoding or _detect_encoding(opener), delimiter, limits)


def _detect_encoding(opener) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as French Excel saves CSV."""
    with opener() as stream:
        if stream.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with opener() as stream:
                while block := stream.read(1 << 20):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [RowError(None, reason=_("the file is neither UTF-8 nor Windows-1252 text, nor XLSX"))]
    )


def _csv_source(opener, name: str, encoding: str, delimiter: str | None, limits: Limits) -> Source:
    def text():
        return io.TextIOWrapper(opener(), encoding=encoding, newline="")

    try:
        with text() as stream:
            first_line = next(BoundedLines(stream, limits.row_chars), "")
    except (UnicodeDecodeError, LookupError) as error:
        raise ImportRejected(
            [
                RowError(
                    None,
                    reason=_("the file cannot be read as %(encoding)s: %(error)s")
                    % {"encoding": encoding, "error": error},
                )
            ]
        ) from None
    except LimitExceeded as refusal:
        raise ImportRejected.beyond(refusal, line=1) from None
    if delimiter is None:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line.lstrip("\ufeff")], delimiter=delimiter), [])

    def rows() -> Iterator[tuple[int, list[str]]]:
        csv.field_size_limit(limits.row_chars)  # a cell is never longer than its row
        with text() as stream:
            lines = BoundedLines(stream, limits.row_chars)
            reader = csv.reader(lines, delimiter=delimiter)
            line = 1
            try:
                next(reader, None)
                lines.next_row()
                line = reader.line_num + 1
                for count, values in enumerate(reader, start=1):
                    lines.next_row()
                    _check_row(values, count, line, limits)
                    if any(value.strip() for value in values):
                        yield line, values
                    line = reader.line_num + 1
            except LimitExceeded as refusal:
                raise ImportRejected.beyond(refusal, line) from None
            except (csv.Error, UnicodeDecodeError) as error:
                raise ImportRejected(
                    [RowError(line, reason=_("the CSV cannot be read: %(error)s") % {"error": error})]
                ) from None

    total = sum(1 for _ in rows())
    return Source(header=header, total=total, rows=rows, name=name)


def _check_row(values: list[str], count: int, line: int, limits: Limits) -> None:
    if count > limits.rows:
        raise limits.too_many_rows(line)
    if len(values) > limits.columns:
        raise limits.too_many_columns(line)


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


def _xlsx_source(opener, name: str, limits: Limits) -> Source:
    try:
        with opener() as stream:
            check_workbook(stream, limits)
    except LimitExceeded as refusal:
        raise ImportRejected.beyond(refusal) from None

    def sheet_rows():
        try:
            workbook = openpyxl.load_workbook(opener(), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportRejected(
                [
                    RowError(
                        None,
                        reason=_("the file is not a readable XLSX workbook (%(error)s)")
                        % {"error": error.__class__.__name__},
                    )
                ]
            ) from None
        try:
            sheet = workbook.worksheets[0]
            # Rows as the sheet holds them, not padded to the size it declares (which may be any).
            sheet.reset_dimensions()
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()

    header = [_cell(value) for value in next(sheet_rows(), ())]
    while header and not header[-1].strip():
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        lines = sheet_rows()
        next(lines, None)
        for number, values in enumerate(lines, start=2):
            cells = [_cell(value) for value in values]
            if any(cell.strip() for cell in cells):
                yield number, cells

    total = sum(1 for _ in rows())
    return Source(header=header, total=total, rows=rows, name=name)


# --- kinds and reports --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """A record type the import path reads: its resource, who may import it, the options it takes."""

    name: str
    title: Promise
    resource: type
    permission: str
    changelist: str
    #: Columns a command-line option or the admin form may supply for the whole file.
    options: tuple[str, ...] = ()
    #: Position in a whole-dataset export (and so in the order files must be imported).
    order: int = 0


KINDS: dict[str, ImportKind] = {}


@dataclass(frozen=True)
class ImportOption:
    """A column an option may supply for a whole file ("round", "report" ...), declared by its app.

    `field(user)` makes the admin form's field for the user who imports; `type` and `help` make the
    `import_data` command's option. Option columns nobody declares are plain text.
    """

    column: str
    field: Callable[[Any], Any]
    type: Callable[[str], Any] = str
    help: str = ""


OPTIONS: dict[str, ImportOption] = {}


def register(kind: ImportKind) -> None:
    """Register a kind; its `order` numbers its file in a dataset export, so no two kinds share one."""
    clash = next(
        (other for other in KINDS.values() if other.order == kind.order and other.name != kind.name), None
    )
    if clash is not None:
        raise ImproperlyConfigured(
            f"import kinds {clash.name!r} and {kind.name!r} have the same order {kind.order}"
        )
    KINDS[kind.name] = kind


def register_option(option: ImportOption) -> None:
    OPTIONS[option.column] = option


@dataclass
class PreviewRow:
    line: int
    action: str  # new, changed, unchanged
    label: str


@dataclass
class ImportReport:
    """What an import wrote, or would write on a dry run."""

    kind: str
    dry_run: bool = False
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    preview: list[PreviewRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged

    def summary(self) -> str:
        """One sentence in the active language (the job page writes it again in the reader's)."""
        return summary_text(self.kind, self.new, self.changed, self.unchanged, dry_run=self.dry_run)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "summary": self.summary(),
            "notes": self.notes,
            "preview": [vars(row) for row in self.preview],
        }


def summary_text(kind: str, new: int, changed: int, unchanged: int, *, dry_run: bool) -> str:
    """What an import wrote (or would write), as `ImportReport.summary` says it."""
    total = new + changed + unchanged
    if total and unchanged == total:
        return ngettext(
            "Nothing to change: the %(count)s row is already in the database.",
            "Nothing to change: the %(count)s rows are already in the database.",
            total,
        ) % {"count": total}
    values = {"new": new, "changed": changed, "unchanged": unchanged, "kind": kind}
    if dry_run:
        return (
            _("Would create %(new)s, would change %(changed)s, left %(unchanged)s unchanged (%(kind)s)")
            % values
        )
    return _("Created %(new)s, changed %(changed)s, left %(unchanged)s unchanged (%(kind)s)") % values


# --- running ---------------------------------------------------------------------------------

_ACTIONS = {"new": "new", "update": "changed", "skip": "unchanged"}


def run_import(
    kind: "str | ImportKind",
    source: Source,
    *,
    user=None,
    options: dict | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Import `source` as `kind` all-or-nothing; raises ImportRejected listing every bad row."""
    spec = KINDS[kind] if isinstance(kind, str) else kind
    options = {key: value for key, value in (options or {}).items() if value not in (None, "")}
    resource = spec.resource(user=user, options=options, source_name=source.name)
    header, constants = resource.check_header(source.header, options)
    report = ImportReport(kind=spec.name, dry_run=dry_run)
    errors: list[RowError] = []
    error_count = done = 0
    with transaction.atomic():
        resource.prepare()
        for chunk in source.chunks(chunk_rows):
            rows = [_fit(values, len(source.header)) + constants for _line, values in chunk]
            lines = [line for line, _values in chunk]
            found = resource.oversized(header, rows, lines)
            dataset = tablib.Dataset(*rows, headers=header)
            resource.lines = lines
            result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
            found += resource.describe_errors(result, header, rows, lines)
            error_count += len(found)
            errors.extend(found[: max(0, MAX_ERRORS - len(errors))])
            if not found:
                _count(report, result, lines)
            done += len(chunk)
            if progress:
                progress(done, source.total)
            if settings.DEBUG and not connection.force_debug_cursor:
                # DEBUG keeps the SQL of the last 9,000 queries: for a 100 MB file, every bulk
                # insert with its texts (600 MB peak instead of 160). Tests that count queries
                # force the debug cursor and keep theirs.
                connection.queries_log.clear()
        if not error_count:
            report.notes.extend(resource.finish())
        if error_count:
            raise ImportRejected(errors, more=error_count - len(errors))
        if source.total == 0:
            raise ImportRejected([RowError(None, reason=_("the file has a header but no rows"))])
        if dry_run:
            transaction.set_rollback(True)
        elif report.new or report.changed:  # a file that changes nothing writes nothing, audit included
            _record_import(spec, source, user, report)
    return report


def _record_import(spec: "ImportKind", source: "Source", user, report: "ImportReport") -> None:
    # Inside the import's transaction: recorded exactly when the rows are written. Imported here
    # as this module loads no model (the app registry imports it while starting).
    from . import audit

    counts = {"created": report.new, "changed": report.changed, "unchanged": report.unchanged}
    audit.record(audit.Kind.IMPORT, user=user, target=source.name, details={"kind": spec.name, **counts})


def _fit(values: list[str], width: int) -> list[str]:
    values = [unquote_cell(value.strip()) for value in values[:width]]
    return values + [""] * (width - len(values))


def _count(report: ImportReport, result, lines: list[int]) -> None:
    for line, row in zip(lines, result.rows, strict=False):
        action = _ACTIONS.get(row.import_type, row.import_type)
        setattr(report, action, getattr(report, action) + 1)
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(PreviewRow(line=line, action=action, label=row.object_repr or ""))


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field or NON_FIELD_ERRORS: [messages]}."""
    if hasattr(error, "error_dict"):
        return {
            key: [message for item in value for message in item.messages]
            for key, value in error.error_dict.items()
        }
    return {NON_FIELD_ERRORS: error.messages}
