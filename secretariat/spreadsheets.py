"""Spreadsheets the back office writes (CSV, XLSX), safe to open in Excel or LibreOffice.

A cell starting with =, +, -, @ (or a tab or carriage return) would run as a formula in a
spreadsheet: text from outside (replies, names) could smuggle one in. Such cells get a leading
quote, which spreadsheets show as text.
"""

import tablib
from import_export.formats import base_formats

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(value: str) -> bool:
    # A cell already quoted by us gets one more quote, so that unquote_cell gives back exactly
    # the original text: export, import and export again give identical files.
    return value.startswith(_FORMULA_STARTS) or (value.startswith("'") and _needs_quote(value[1:]))


def spreadsheet_safe(value):
    """`value`, with a leading quote when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unquote_cell(value: str) -> str:
    """The text of a cell spreadsheet_safe quoted; other cells as they are."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


def safe_dataset(headers: list, rows: list[list], title: str = "") -> tablib.Dataset:
    """A tablib dataset whose every header and cell is spreadsheet-safe."""
    dataset = tablib.Dataset(headers=[spreadsheet_safe(str(header)) for header in headers], title=title)
    for row in rows:
        dataset.append([spreadsheet_safe(value) for value in row])
    return dataset


def _neutralise(dataset: tablib.Dataset) -> tablib.Dataset:
    return safe_dataset(list(dataset.headers or []), [list(row) for row in dataset], dataset.title or "")


class SafeCSV(base_formats.CSV):
    """django-import-export's CSV export with formula cells neutralised."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_neutralise(dataset), **kwargs)


class SafeXLSX(base_formats.XLSX):
    """django-import-export's XLSX export with formula cells neutralised."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_neutralise(dataset), **kwargs)
