"""The shared core of all-or-nothing CSV imports: reading rows with their line numbers,
reporting, and running the writes in one transaction (rolled back on a dry run).
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

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


def read_rows(text: str, required: set[str]) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise ImportRejected([f"line 1: missing column(s): {', '.join(sorted(missing))}"])
    # DictReader's line_num is the line where a row ends; rows may span lines, so count rows.
    rows, line = [], 1
    for row in reader:
        line += 1
        rows.append((line, {k: (v or "").strip() for k, v in row.items() if k}))
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
