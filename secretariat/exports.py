"""Exports in exactly the layout the import reads: admin lists and the whole dataset.

Every record type the import path reads (a registered `ImportKind`) is exported by its own
resource, so a file exported here is a file `import_data KIND FILE` (or the admin's import page)
reads back unchanged: export, import into an empty database, export again gives identical files.

- CSV: UTF-8 without a byte-order mark, comma-separated, one header row, then one row per record.
- XLSX: one sheet, the same header and cells, every cell as text (as the CSV has it).
- Cells a spreadsheet would run as formulas (=, +, -, @ ...) get a leading quote
  (`spreadsheets.spreadsheet_safe`); the import takes it off again (`unquote_cell`).

The whole dataset is one file per kind, in the order the files must be imported
(`010-parties.csv`, `020-articles.csv` ...), for the Secretariat only: a ZIP the worker writes in
the background (a generated document of the kind "dataset", with its progress in the admin), or
`manage.py export_data` in the foreground.
"""

import io
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

import tablib
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, documents
from .documents import Progress
from .imports import KINDS, ImportKind
from .models import GeneratedDocument
from .spreadsheets import SafeCSV, SafeXLSX

FORMATS = {"csv": SafeCSV, "xlsx": SafeXLSX}


def kinds_in_order() -> list[ImportKind]:
    """The registered kinds in the order their files are exported and imported."""
    return sorted(KINDS.values(), key=lambda kind: (kind.order, kind.name))


def kinds_for_model(model: type[Model]) -> list[ImportKind]:
    """The kinds whose resource reads and writes `model` (usually one, or none)."""
    return [kind for kind in kinds_in_order() if kind.resource._meta.model is model]


def file_name(kind: ImportKind, format: str) -> str:
    """`010-parties.csv`: sorting the names gives the import order."""
    return f"{kind.order:03d}-{kind.name}.{format}"


def with_loading(resource, queryset: QuerySet) -> QuerySet:
    """`queryset` (filtered, ordered) also loading what the resource renders, so that an export
    runs a fixed number of queries whatever its length: the foreign keys its columns follow
    (`party`, `submission__round__number`) and what its `get_queryset()` loads. Resources load
    the rest (many-to-many lists ...) in `get_queryset()` or `filter_export()`."""
    own = resource.get_queryset()
    # Prefetches already there (an admin's, for its columns) would clash with the resource's own.
    queryset = queryset.prefetch_related(None)
    if own.query.select_related is True:
        queryset = queryset.select_related()
    select = _followed_foreign_keys(resource)
    if isinstance(own.query.select_related, dict):
        select += _paths(own.query.select_related)
    if select:
        queryset = queryset.select_related(*dict.fromkeys(select))
    if own._prefetch_related_lookups:
        queryset = queryset.prefetch_related(*own._prefetch_related_lookups)
    return queryset


def _followed_foreign_keys(resource) -> list[str]:
    """The chains of foreign keys the resource's columns read (`submission__round`)."""
    select = []
    for field in resource.get_export_fields():
        model, walked = resource._meta.model, []
        for name in (field.attribute or "").split("__"):
            try:
                relation = model._meta.get_field(name)
            except FieldDoesNotExist:
                break
            if not (relation.many_to_one or relation.one_to_one):
                break
            walked.append(name)
            model = relation.related_model
        if walked:
            select.append("__".join(walked))
    return select


def _paths(tree: dict, prefix: str = "") -> list[str]:
    paths = []
    for name, below in tree.items():
        paths += _paths(below, f"{prefix}{name}__") if below else [f"{prefix}{name}"]
    return paths


def export_rows(resource, queryset: QuerySet, fields: Iterable[str] | None = None) -> tablib.Dataset:
    """The dataset of `queryset` in the resource's layout (all its columns unless `fields`).

    Cells are what the resource's widgets render as text (no `force_native_type`, which would
    give XLSX native numbers and dates), so the CSV and the XLSX of a kind hold the same values.
    """
    # django-import-export reads IMPORT_EXPORT_CHUNK_SIZE records per query (settings.py).
    return resource.export(queryset, export_fields=list(fields) if fields else None)


def render(dataset: tablib.Dataset, format: str) -> bytes:
    """A dataset as file contents, formula cells neutralised."""
    data = FORMATS[format]().export_data(dataset)
    return data.encode("utf-8") if isinstance(data, str) else data


def kind_queryset(kind: ImportKind, user) -> QuerySet:
    """What `user` may see of a kind's records, loaded for its export, in a stable order.

    The order is the primary key: an import creates records in file order, so exporting again
    after importing gives the rows in the same order.
    """
    resource = kind.resource(user=user)
    queryset = access.scoped(resource._meta.model, user, resource.get_queryset())
    return with_loading(resource, queryset).order_by("pk")


def export_kind(kind: ImportKind, user, format: str = "csv") -> bytes:
    """One kind's file, as `user` may see it."""
    return render(export_rows(kind.resource(user=user), kind_queryset(kind, user)), format)


def _check_dataset_export(user, format: str) -> None:
    """The whole dataset is the Secretariat's to export, in one of FORMATS."""
    if not access.may_export_dataset(user):
        raise PermissionDenied("Only the Secretariat exports the whole dataset.")
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")


def export_dataset(user, format: str = "csv") -> dict[str, bytes]:
    """Every kind's file ({"010-parties.csv": contents, ...}, in import order); Secretariat only."""
    _check_dataset_export(user, format)
    return {file_name(kind, format): export_kind(kind, user, format) for kind in kinds_in_order()}


def write_dataset_zip(user, format: str, output: BinaryIO, progress: Progress | None = None) -> None:
    """The whole dataset as one ZIP of `export_dataset`'s files, written to `output` a kind at a
    time (each kind's file is built, written and let go), `progress(done, total)` after each."""
    _check_dataset_export(user, format)
    kinds = kinds_in_order()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, kind in enumerate(kinds, start=1):
            archive.writestr(file_name(kind, format), export_kind(kind, user, format))
            if progress is not None:
                progress(done, len(kinds))


def dataset_zip(user, format: str = "csv") -> bytes:
    """The whole dataset as one ZIP, in memory (the command's and the tests' size)."""
    buffer = io.BytesIO()
    write_dataset_zip(user, format, buffer)
    return buffer.getvalue()


def dataset_file_name(format: str) -> str:
    return f"lanzarote-data-{timezone.localdate().isoformat()}-{format}.zip"


DATASET_KIND = "dataset"


def dataset_request(*, format: str, by) -> GeneratedDocument:
    """Queue the whole dataset's export for `by` (the Secretariat): the worker writes the ZIP."""
    _check_dataset_export(by, format)
    title = _("The whole dataset (%(format)s files, ZIP)") % {"format": format.upper()}
    return documents.document_request(kind=DATASET_KIND, title=title, parameters={"format": format}, by=by)


def _write_dataset(document: GeneratedDocument, output: BinaryIO, progress: Progress) -> str:
    """The worker's part: as the requester, whose rights are read again now."""
    format = document.parameters["format"]
    write_dataset_zip(document.requested_by, format, output, progress)
    return dataset_file_name(format)


DATASET = documents.DocumentKind(DATASET_KIND, _write_dataset, label=gettext_lazy("Whole dataset"))
