"""Exports of the admin lists and of the whole dataset, in the layout the import reads."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat import documents, exports
from secretariat.imports import KINDS, open_source, run_import
from secretariat.models import GeneratedDocument
from secretariat.resources import DocumentResource
from tests.factories import DocumentFactory, PartyFactory
from tests.secretariat.dataset import build_dataset

pytestmark = pytest.mark.django_db

KIND_NAMES = [kind.name for kind in exports.kinds_in_order()]


def _export_url(kind) -> str:
    opts = kind.resource._meta.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_export")


def _all_fields(resource) -> dict[str, str]:
    """The admin export form's answers: every column of `resource`."""
    prefix = resource.__name__.lower()
    return {f"{prefix}_{name}": "on" for name in resource().get_export_order()}


def _list_export(client, kind, format: str = "csv", **filters):
    """The admin list export of a kind's model (format 0 is CSV, 1 XLSX)."""
    url = _export_url(kind)
    if filters:
        url += "?" + "&".join(f"{key}={value}" for key, value in filters.items())
    data = {"format": "0" if format == "csv" else "1", "resource": "0", **_all_fields(kind.resource)}
    return client.post(url, data)


def _rows(data: bytes, format: str = "csv") -> list[list[str]]:
    source = open_source(data, f"file.{format}")
    return [source.header, *(values for _line, values in source.rows())]


@pytest.fixture
def built(secretariat_admin) -> list:
    return build_dataset(size=2)


@pytest.fixture
def built_kind(secretariat_admin, name):
    """The kind `name` (the test's parameter), with records of it and of what it needs."""
    kind = KINDS[name]
    if kind.resource._meta.model not in build_dataset(size=2, only=kind.resource._meta.model):
        pytest.skip(f"no records of {name}: the kinds it depends on are not registered yet")
    return kind


# --- admin list exports ------------------------------------------------------------------------


@pytest.mark.parametrize("name", KIND_NAMES)
def test_admin_list_export_is_the_import_layout_and_imports_unchanged(client_for, officer, built_kind):
    kind = built_kind
    response = _list_export(client_for(officer), kind)
    assert response.status_code == 200
    rows = _rows(response.content)
    assert rows[0] == kind.resource.columns()
    assert len(rows) > 1

    report = run_import(kind, open_source(response.content, "list.csv"), user=officer, dry_run=True)

    assert (report.new, report.changed, report.unchanged) == (0, 0, len(rows) - 1)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_admin_list_export_holds_the_rows_of_the_whole_dataset_export(client_for, officer, built_kind):
    kind = built_kind
    listed = _rows(_list_export(client_for(officer), kind).content)
    dataset = _rows(exports.export_kind(kind, officer, "csv"))
    assert listed[0] == dataset[0]
    assert sorted(listed[1:]) == sorted(dataset[1:])


def test_admin_list_xlsx_export_holds_the_same_text_cells_as_the_csv(client_for, officer, built):
    client = client_for(officer)
    kind = KINDS["parties"]
    csv_rows = _rows(_list_export(client, kind, "csv").content)
    response = _list_export(client, kind, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == csv_rows


def test_admin_list_export_follows_the_changelist_filters(client_for, officer, built):
    kind = KINDS["parties"]
    rows = _rows(_list_export(client_for(officer), kind, q="FRA").content)
    assert [row[0] for row in rows[1:]] == ["FRA"]


def test_admin_list_export_neutralises_formula_cells(client_for, officer):
    PartyFactory(code="FRA", name_en="=1+1", name_fr="@SUM(A1)")
    content = _list_export(client_for(officer), KINDS["parties"], q="FRA").content.decode()
    assert "'=1+1" in content and "'@SUM(A1)" in content


def test_admin_of_a_model_without_an_import_kind_keeps_its_own_export(client_for, officer, party_a):
    DocumentFactory(party=party_a)
    response = client_for(officer).post(
        reverse("admin:secretariat_document_export"),
        {"format": "0", "resource": "0", **_all_fields(DocumentResource)},
    )
    assert _rows(response.content)[0] == DocumentResource().get_export_headers()


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_state_users_and_stakeholders_get_no_list_export(request, client_for, persona, party_a, party_b):
    # The admin is for staff: its exports too (State users read their records in the portal and the API).
    response = _list_export(client_for(request.getfixturevalue(persona)), KINDS["parties"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", KIND_NAMES)
def test_committee_list_export_holds_only_what_it_may_see(client_for, committee_member, built_kind):
    kind = built_kind
    response = _list_export(client_for(committee_member), kind)
    assert response.status_code == 200
    visible = _rows(exports.export_kind(kind, committee_member, "csv"))
    assert sorted(_rows(response.content)[1:]) == sorted(visible[1:])


def test_the_committee_does_not_download_the_whole_dataset(client_for, committee_member):
    response = client_for(committee_member).get(reverse("export_dataset", args=["csv"]))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_state_users_and_stakeholders_are_sent_to_the_login_page_for_the_whole_dataset(
    request, client_for, persona
):
    response = client_for(request.getfixturevalue(persona)).get(reverse("export_dataset", args=["csv"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_signed_out_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("export_dataset", args=["csv"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_state_user_cannot_export_the_whole_dataset_through_the_service(coordinator_a):
    with pytest.raises(PermissionDenied):
        exports.export_dataset(coordinator_a, "csv")


def test_export_command_refuses_a_state_user(coordinator_a, tmp_path):
    with pytest.raises(CommandError, match="not an active Secretariat user"):
        call_command("export_data", str(tmp_path / "out"), "--user", coordinator_a.username)


# --- the whole dataset -----------------------------------------------------------------------------


def _zip(client, format: str) -> zipfile.ZipFile:
    """Ask for the export, let the worker prepare it, download it from its page's link."""
    response = client.post(reverse("export_dataset", args=[format]))
    document = GeneratedDocument.objects.latest("pk")
    assert response["Location"] == reverse("admin:secretariat_generateddocument_change", args=[document.pk])
    assert documents.document_generate(document.pk) == GeneratedDocument.Status.DONE
    document.refresh_from_db()
    assert re.fullmatch(rf"generated/\d{{4}}/lanzarote-data-[\d-]+-{format}(_\w+)?\.zip", document.file.name)
    download = client.get(reverse("protected_file", args=[document.file.name]))
    assert download.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


def test_the_export_page_says_what_the_zip_holds_and_asks_before_preparing_it(client_for, officer):
    response = client_for(officer).get(reverse("export_dataset", args=["xlsx"]))

    assert response.status_code == 200
    assert "010-parties.xlsx" in response.text
    assert 'method="post"' in response.text
    assert not GeneratedDocument.objects.exists()


def test_the_dataset_is_prepared_in_the_background_with_a_step_per_kind(client_for, officer):
    client_for(officer).post(reverse("export_dataset", args=["csv"]))
    document = GeneratedDocument.objects.get()
    assert (document.kind, document.status, document.requested_by) == ("dataset", "queued", officer)

    documents.document_generate(document.pk)

    document.refresh_from_db()
    assert document.progress_done == document.progress_total == len(exports.kinds_in_order())


def test_nobody_but_the_secretariat_asks_for_the_dataset_through_the_service(coordinator_a, committee_member):
    for user in (coordinator_a, committee_member):
        with pytest.raises(PermissionDenied):
            exports.dataset_request(format="csv", by=user)
    assert not GeneratedDocument.objects.exists()


def test_secretariat_downloads_one_file_per_kind_in_import_order(client_for, officer, built):
    archive = _zip(client_for(officer), "csv")
    assert archive.namelist() == [exports.file_name(kind, "csv") for kind in exports.kinds_in_order()]
    assert archive.namelist()[0] == "010-parties.csv"
    files = exports.export_dataset(officer, "csv")
    assert {name: archive.read(name) for name in archive.namelist()} == files


def test_dataset_csv_in_the_zip_has_formula_cells_neutralised(client_for, officer):
    PartyFactory(code="FRA", name_en='=HYPERLINK("http://evil.example")', name_fr="+1", coe_member=False)
    parties = _zip(client_for(officer), "csv").read("010-parties.csv").decode("utf-8")
    assert parties.splitlines()[0] == ",".join(KINDS["parties"].resource.columns())
    assert 'FRA,"\'=HYPERLINK(""http://evil.example"")",\'+1,' in parties


def test_dataset_xlsx_in_the_zip_has_formula_cells_neutralised(client_for, officer):
    PartyFactory(code="FRA", name_en="=1+1", name_fr="-2")
    data = _zip(client_for(officer), "xlsx").read("010-parties.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["B2"].value == "'=1+1" and sheet["B2"].data_type == "s"
    assert sheet["C2"].value == "'-2"


def test_unknown_format_is_not_found(client_for, officer):
    assert client_for(officer).get(reverse("export_dataset", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "linked"), [("officer", True), ("committee_member", False), ("coordinator_a", False)]
)
def test_admin_index_links_the_dataset_export_for_the_secretariat_only(request, client_for, persona, linked):
    page = client_for(request.getfixturevalue(persona)).get(reverse("admin:index")).text
    assert (reverse("export_dataset", args=["xlsx"]) in page) is linked


def test_export_command_writes_the_files_import_data_reads(secretariat_admin, built, tmp_path):
    folder = tmp_path / "export"
    call_command("export_data", str(folder), "--format", "xlsx", stdout=io.StringIO())
    names = sorted(path.name for path in folder.iterdir())
    assert names == [exports.file_name(kind, "xlsx") for kind in exports.kinds_in_order()]
    source = open_source(folder / "010-parties.xlsx")
    assert source.header == KINDS["parties"].resource.columns()
    assert source.total >= 48  # the reference Parties and the dataset's


# --- query budgets -----------------------------------------------------------------------------------


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_exporting_a_kind_runs_as_many_queries_for_many_records_as_for_few(
    secretariat_admin, name, django_assert_max_num_queries
):
    kind = KINDS[name]
    with transaction.atomic():
        build_dataset(size=3, only=kind.resource._meta.model)  # each variant of record
        few = _queries(lambda: exports.export_kind(kind, secretariat_admin, "csv"))
        transaction.set_rollback(True)
    build_dataset(size=10, only=kind.resource._meta.model)
    # One query for the records (per 2,000) and one per relation prefetched, as for one record.
    with django_assert_max_num_queries(few):
        exports.export_kind(kind, secretariat_admin, "csv")


def test_the_whole_dataset_export_runs_as_many_queries_for_many_records_as_for_few(
    secretariat_admin, django_assert_max_num_queries
):
    with transaction.atomic():
        build_dataset(size=3)  # each variant of record
        few = _queries(lambda: exports.export_dataset(secretariat_admin, "xlsx"))
        transaction.set_rollback(True)
    build_dataset(size=10)
    # Per kind: one query for the records and one per relation prefetched.
    with django_assert_max_num_queries(few):
        exports.export_dataset(secretariat_admin, "xlsx")


@pytest.mark.parametrize("name", KIND_NAMES)
def test_admin_list_export_runs_as_many_queries_for_many_records_as_for_few(
    client_for, officer, name, django_assert_max_num_queries
):
    kind = KINDS[name]
    client = client_for(officer)
    with transaction.atomic():
        build_dataset(size=3, only=kind.resource._meta.model)  # each variant of record
        few = _queries(lambda: _list_export(client, kind))
        transaction.set_rollback(True)
    build_dataset(size=10, only=kind.resource._meta.model)
    # The session and user, the permission checks, then the records and their prefetches.
    with django_assert_max_num_queries(few):
        _list_export(client, kind)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_admin_export_page_offers_the_kind_columns(client_for, officer, name):
    kind = KINDS[name]
    response = client_for(officer).get(_export_url(kind))
    assert response.status_code == 200
    offered = [
        field for field in response.context["form"].fields if field.startswith(kind.resource.__name__.lower())
    ]
    assert len(offered) == len(kind.resource.columns())


def test_every_file_of_the_dataset_has_a_number_of_its_own_in_import_order():
    numbers = [exports.file_name(kind, "csv").split("-")[0] for kind in exports.kinds_in_order()]
    assert len(set(numbers)) == len(numbers)
    assert numbers == sorted(numbers)


def test_a_kind_with_the_order_of_another_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from secretariat import imports

    monkeypatch.setattr(imports, "KINDS", dict(KINDS))
    replies = KINDS["replies"]
    clash = imports.ImportKind(
        "clash", "Clash", replies.resource, replies.permission, "", order=replies.order
    )
    with pytest.raises(ImproperlyConfigured, match="same order"):
        imports.register(clash)
