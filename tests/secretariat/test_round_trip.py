"""Export, import into an empty database, export again: identical files, for every registered kind.

The kinds come from the registry (`secretariat.imports.KINDS`), so a kind registered by an app
is covered as soon as `tests/secretariat/dataset.py` knows how to build its records.
"""

import io

import openpyxl
import pytest
from django.db.models import CharField, TextField

from secretariat.exports import export_dataset, file_name, kinds_in_order
from secretariat.imports import open_source, run_import
from secretariat.models import Organisation, Party
from tests.conftest import shared_records
from tests.secretariat.dataset import BUILDERS, TRICKY_TEXTS, build_dataset, empty_database

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


@shared_records
def dataset_of_size_4():
    """Every tricky text at least once; built once for the tests in a row (tests/conftest.py)."""
    build_dataset(size=4)


@pytest.fixture
def admin_with_dataset(dataset_of_size_4, secretariat_admin):
    return secretariat_admin


def _cells(data: bytes, format: str) -> list[list[str]]:
    """A file's rows as the import reads them (header first)."""
    source = open_source(data, f"file.{format}")
    return [source.header, *(values for _line, values in source.rows())]


def _sheet(data: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _import_all(files: dict[str, bytes], format: str, user, tmp_path) -> dict:
    """Import every file in order, as `import_data KIND FILE` would; header-only files are skipped."""
    reports = {}
    for kind in kinds_in_order():
        path = tmp_path / file_name(kind, format)
        path.write_bytes(files[path.name])
        source = open_source(path)
        if source.total:
            reports[kind.name] = run_import(kind, source, user=user)
    return reports


def test_every_registered_kind_has_a_dataset_builder():
    missing = [kind.name for kind in kinds_in_order() if kind.resource._meta.model not in BUILDERS]
    assert missing == []


@pytest.mark.parametrize("format", FORMATS)
def test_the_dataset_export_has_rows_of_every_kind(admin_with_dataset, format):
    files = export_dataset(admin_with_dataset, format)
    assert list(files) == [file_name(kind, format) for kind in kinds_in_order()]
    empty = [name for name, data in files.items() if len(_cells(data, format)) < 2]
    assert empty == []


@pytest.mark.parametrize("format", FORMATS)
def test_export_import_into_an_empty_database_and_export_again_gives_identical_files(
    admin_with_dataset, format, tmp_path
):
    user = admin_with_dataset
    before = export_dataset(user, format)
    empty_database(keep=user)
    assert not Party.objects.exists() and not Organisation.objects.exists()

    _import_all(before, format, user, tmp_path)
    after = export_dataset(user, format)

    assert list(after) == list(before)
    for name in before:
        if format == "csv":
            assert after[name] == before[name], name
        else:
            assert _sheet(after[name]) == _sheet(before[name]), name


def _stored_texts() -> set[str]:
    """Every text the registered kinds' records hold."""
    texts = set()
    for kind in kinds_in_order():
        model = kind.resource._meta.model
        columns = [f.name for f in model._meta.concrete_fields if isinstance(f, (CharField, TextField))]
        for values in model._default_manager.values_list(*columns):
            texts.update(values)
    return texts


@pytest.mark.parametrize("format", FORMATS)
def test_the_import_stores_the_texts_as_they_were_before_their_quoting(admin_with_dataset, format, tmp_path):
    user = admin_with_dataset
    texts = _stored_texts()
    # = + - @ starts, a text starting with a quote of its own, double quotes, semicolons, line
    # breaks and non-ASCII letters.
    assert set(TRICKY_TEXTS) <= texts
    files = export_dataset(user, format)
    empty_database(keep=user)

    _import_all(files, format, user, tmp_path)

    assert _stored_texts() == texts


@pytest.mark.parametrize("format", FORMATS)
def test_importing_the_export_again_leaves_every_row_unchanged(admin_with_dataset, format, tmp_path):
    user = admin_with_dataset
    files = export_dataset(user, format)

    reports = _import_all(files, format, user, tmp_path)

    assert reports
    for name, report in reports.items():
        assert (report.new, report.changed) == (0, 0), f"{name}: {report.summary()}"
        assert report.unchanged == report.total > 0
    assert export_dataset(user, format).keys() == files.keys()


def test_importing_the_round_tripped_export_again_leaves_every_row_unchanged(admin_with_dataset, tmp_path):
    user = admin_with_dataset
    files = export_dataset(user, "csv")
    empty_database(keep=user)
    _import_all(files, "csv", user, tmp_path)

    reports = _import_all(export_dataset(user, "csv"), "csv", user, tmp_path)

    assert all(report.unchanged == report.total for report in reports.values())


@pytest.fixture
def admin_with_demo_data(secretariat_admin):
    """The demo's records: the fixtures' round 2 questionnaire and replies, report, practices."""
    from monitoring import demo as monitoring_demo
    from recommendations import demo as recommendations_demo
    from secretariat import demo, services

    services.load_reference_data()
    demo.load_demo_records()
    monitoring_demo.load_round_2(by=secretariat_admin)
    recommendations_demo.load_report_2()
    return secretariat_admin


def test_the_demo_data_round_trips_to_identical_files(admin_with_demo_data, tmp_path):
    # The XLSX layer is the same for every kind and proven on the built dataset above.
    user = admin_with_demo_data
    before = export_dataset(user, "csv")
    empty_database(keep=user)

    _import_all(before, "csv", user, tmp_path)

    assert export_dataset(user, "csv") == before
