"""The admin's import page: upload, a background check with progress, preview, confirm, summary."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from secretariat import import_jobs
from secretariat.imports import KINDS, ImportKind
from secretariat.models import ImportJob, Notification, Party
from secretariat.resources import PartyResource
from tests.factories import RoundFactory

from .import_helpers import BAD_PARTIES_CSV, PARTIES_CSV, import_files, run_worker  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_files")]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in French leaves French active in the thread: the next tests expect English."""
    yield
    translation.deactivate()


def _upload(client, text: str = PARTIES_CSV, name: str = "parties.csv", kind: str = "parties", **data):
    upload = SimpleUploadedFile(name, text.encode())
    form = {"encoding": "auto", "delimiter": "auto", "file": upload, **data}
    return client.post(reverse("import_file", args=[kind]), form)


def _job(user, **fields) -> ImportJob:
    upload = ContentFile(PARTIES_CSV.encode(), name="parties.csv")
    job = import_jobs.import_job_create(kind=KINDS["parties"], upload=upload, options={}, by=user)
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def _urls(job) -> list[str]:
    return [
        reverse("import_start"),
        reverse("import_file", args=["parties"]),
        job.get_absolute_url(),
        reverse("import_job_status", args=[job.pk]),
    ]


# --- who may import --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, officer):
    for url in _urls(_job(officer)):
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("admin:login")), url


def test_only_the_secretariat_imports(client_for, officer, committee_member):
    client = client_for(committee_member)
    for url in _urls(_job(officer)):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", ["coordinator_a", "stakeholder_b"])
def test_state_users_and_stakeholders_are_sent_to_log_in_as_staff(request, client_for, officer, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in _urls(_job(officer)):
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("admin:login")), url


def test_another_users_job_is_not_found(client_for, officer, secretariat_admin):
    job = _job(officer, status=ImportJob.Status.CHECKED)
    client = client_for(secretariat_admin)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("import_job_status", args=[job.pk])).status_code == 404
    assert client.post(job.get_absolute_url(), {"confirm": "1"}).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_an_unknown_kind_is_not_found(client_for, officer):
    assert client_for(officer).get(reverse("import_file", args=["everything"])).status_code == 404


def test_the_start_page_lists_the_kinds_and_only_ones_own_jobs(client_for, officer, secretariat_admin):
    mine, theirs = _job(officer), _job(secretariat_admin)
    page = client_for(officer).get(reverse("import_start")).text
    for kind in ("parties", "articles", "organisations"):
        assert reverse("import_file", args=[kind]) in page
    assert mine.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page


def test_the_admin_index_links_to_the_import_page(client_for, officer):
    assert reverse("import_start") in client_for(officer).get(reverse("admin:index")).text


def test_the_admin_index_has_no_import_link_for_a_committee_member(client_for, committee_member):
    assert reverse("import_start") not in client_for(committee_member).get(reverse("admin:index")).text


# --- the changelists' Import buttons -----------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "kind"),
    [("party", "parties"), ("conventionarticle", "articles"), ("organisation", "organisations")],
)
def test_a_kinds_changelist_has_an_import_button(client_for, officer, model, kind):
    page = client_for(officer).get(reverse(f"admin:secretariat_{model}_changelist")).text
    assert f'href="{reverse("import_file", args=[kind])}" class="import_link"' in page


def test_the_kinds_of_one_changelist_are_those_listed_on_it_in_import_order(officer):
    changelist = "admin:monitoring_submission_changelist"
    kinds = import_jobs.importable_kinds(officer, changelist=changelist)
    assert kinds and all(kind.changelist == changelist for kind in kinds)
    assert kinds == [kind for kind in import_jobs.importable_kinds(officer) if kind.changelist == changelist]


def test_a_committee_member_sees_no_import_button(client_for, committee_member):
    page = client_for(committee_member).get(reverse("admin:secretariat_party_changelist")).text
    assert "import_link" not in page


def test_django_import_export_own_import_is_gone():
    with pytest.raises(NoReverseMatch):
        reverse("admin:secretariat_party_import")


# --- the upload form ---------------------------------------------------------------------------


def test_the_form_names_the_columns(client_for, officer):
    page = client_for(officer).get(reverse("import_file", args=["parties"])).text
    assert "Columns: code, name_en, name_fr" in page


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_registered_kind_has_an_import_page(client_for, secretariat_admin, kind):
    assert client_for(secretariat_admin).get(reverse("import_file", args=[kind])).status_code == 200


def test_uploading_queues_a_check_and_runs_no_import(client_for, officer):
    response = _upload(client_for(officer))
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.status, job.dry_run, job.file_name) == ("queued", True, "parties.csv")
    assert job.options == {"encoding": "auto", "delimiter": "auto", "language": "en"}
    assert not Party.objects.exists()


def test_a_queued_job_shows_a_progress_bar_that_also_works_without_javascript(client_for, officer):
    client = client_for(officer)
    _upload(client)
    page = client.get(ImportJob.objects.get().get_absolute_url()).text
    assert '<progress id="import-progress"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "secretariat/import_progress.js" in page


def test_the_encoding_and_separator_are_kept_on_the_job(client_for, officer):
    _upload(client_for(officer), encoding="cp1252", delimiter=";")
    assert ImportJob.objects.get().options == {"encoding": "cp1252", "delimiter": ";", "language": "en"}


def test_a_file_over_the_size_limit_is_refused(client_for, officer, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    response = _upload(client_for(officer))
    assert "The file is larger than 0 MB." in response.text
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused(client_for, officer):
    response = _upload(client_for(officer), name="parties.pdf")
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


class _ResourceWithRound(PartyResource):
    option_columns = ("round",)


def test_a_round_option_lists_the_rounds_and_is_kept_on_the_job(client_for, officer, monkeypatch):
    kind = ImportKind("rounded", "Rounded", _ResourceWithRound, "secretariat.change_party", "")
    monkeypatch.setitem(KINDS, "rounded", kind)
    RoundFactory(number=2)
    client = client_for(officer)
    assert '<option value="2">' in client.get(reverse("import_file", args=["rounded"])).text
    _upload(client, kind="rounded", round="2")
    assert ImportJob.objects.get().options["round"] == 2


# --- progress ------------------------------------------------------------------------------------


def test_the_status_says_how_far_a_running_job_is(client_for, officer):
    job = _job(officer, status=ImportJob.Status.IMPORTING, started_at=timezone.now())
    job.record_progress(12000, 20000)
    status = client_for(officer).get(reverse("import_job_status", args=[job.pk])).json()
    assert status == {
        "status": "importing",
        "status_label": "Importing",
        "active": True,
        "done": 12000,
        "total": 20000,
        "percent": 60,
        "label": "12,000 / 20,000 rows (60%)",
    }


def test_the_status_of_an_ended_job_is_read_from_its_row(client_for, officer):
    job = _job(officer, status=ImportJob.Status.DONE, rows_done=3, rows_total=3)
    status = client_for(officer).get(reverse("import_job_status", args=[job.pk])).json()
    assert (status["active"], status["percent"]) == (False, 100)


def _checked(user, rows: int) -> ImportJob:
    preview = [{"line": line, "action": "new", "label": f"P{line}"} for line in range(2, rows + 2)]
    report = {"kind": "parties", "new": rows, "changed": 0, "unchanged": 0, "summary": "Would create"}
    return _job(user, status=ImportJob.Status.CHECKED, report={**report, "preview": preview, "notes": []})


def test_a_preview_offers_to_confirm_only_what_would_change(client_for, officer):
    client = client_for(officer)
    assert "Confirm the import" in client.get(_checked(officer, 3).get_absolute_url()).text
    report = {"kind": "parties", "new": 0, "changed": 0, "unchanged": 3, "summary": "Nothing to change"}
    unchanged = _job(officer, status=ImportJob.Status.CHECKED, report={**report, "preview": [], "notes": []})
    assert "Confirm the import" not in client.get(unchanged.get_absolute_url()).text


@pytest.mark.parametrize("rows", [1, 200])
def test_the_job_page_runs_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries, rows
):
    client = client_for(officer)
    job = _checked(officer, rows)
    # session, user, the job, user permissions, group permissions
    with django_assert_max_num_queries(5):
        assert client.get(job.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("jobs", [1, 25])
def test_the_start_page_runs_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries, jobs
):
    client = client_for(officer)
    for _ in range(jobs):
        _job(officer)
    # session, user, user permissions, group permissions, the user's last 20 jobs
    with django_assert_max_num_queries(5):
        assert client.get(reverse("import_start")).status_code == 200


def test_the_upload_form_runs_a_fixed_number_of_queries(client_for, officer, django_assert_max_num_queries):
    client = client_for(officer)
    # session, user, user permissions, group permissions
    with django_assert_max_num_queries(4):
        assert client.get(reverse("import_file", args=["organisations"])).status_code == 200


def test_the_status_runs_a_fixed_number_of_queries(client_for, officer, django_assert_max_num_queries):
    client = client_for(officer)
    job = _job(officer, status=ImportJob.Status.CHECKING, started_at=timezone.now())
    # session, user, the job, user permissions, group permissions
    with django_assert_max_num_queries(5):
        assert client.get(reverse("import_job_status", args=[job.pk])).status_code == 200


# --- preview, confirm, summary (through the real worker) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_preview_then_the_confirmed_import(client_for, officer):
    client = client_for(officer)
    _upload(client)
    run_worker()
    job = ImportJob.objects.get()
    preview = client.get(job.get_absolute_url()).text
    assert "Would create 3, would change 0, left 0 unchanged (parties)" in preview
    assert 'id="import-preview"' in preview
    assert "<td>LUX</td>" in preview
    assert not Party.objects.exists()

    assert client.post(job.get_absolute_url(), {"confirm": "1"}).status_code == 302
    run_worker()
    summary = client.get(job.get_absolute_url()).text
    assert "Created 3, changed 0, left 0 unchanged (parties)" in summary
    assert f'href="{reverse("admin:secretariat_party_changelist")}" id="import-changelist"' in summary
    assert Party.objects.count() == 3


def test_every_error_is_listed_and_nothing_is_imported(client_for, officer):
    client = client_for(officer)
    _upload(client, BAD_PARTIES_CSV)
    run_worker()
    page = client.get(ImportJob.objects.get().get_absolute_url()).text
    assert "Nothing was imported" in page
    assert "line 3, column code, value “XX1”" in page
    assert "line 4, column name_en" in page
    assert "Confirm the import" not in page
    assert not Party.objects.exists()


def test_a_confirmation_sent_twice_imports_once(client_for, officer):
    client = client_for(officer)
    _upload(client)
    run_worker()
    job = ImportJob.objects.get()
    client.post(job.get_absolute_url(), {"confirm": "1"})
    response = client.post(job.get_absolute_url(), {"confirm": "1"}, follow=True)
    assert "not waiting for confirmation" in response.text
    run_worker()
    assert Party.history.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_file_already_imported_ends_as_nothing_to_change_without_waiting_for_a_button(client_for, officer):
    client = client_for(officer)
    for _ in range(2):
        _upload(client)
        run_worker()
        job = ImportJob.objects.first()
        if job.status == ImportJob.Status.CHECKED:
            client.post(job.get_absolute_url(), {"confirm": "1"})
            run_worker()
    job = ImportJob.objects.first()
    page = client.get(job.get_absolute_url()).text
    assert job.status == ImportJob.Status.UNCHANGED
    assert "Nothing to change: the 3 rows are already in the database." in page
    assert "Confirm the import" not in page
    assert "waiting for confirmation" not in page
    latest = Notification.objects.filter(recipient=officer).order_by("-pk").first()
    assert latest.subject == "Import: nothing to change: parties.csv"


def test_a_queued_job_shows_no_row_count_before_the_worker_counts_them(client_for, officer):
    client = client_for(officer)
    _upload(client)
    job = ImportJob.objects.get()
    assert client.get(reverse("import_job_status", args=[job.pk])).json()["label"] == ""
    assert "0 / 0 rows" not in client.get(job.get_absolute_url()).text


def test_a_running_job_without_a_row_count_says_it_reads_the_file(client_for, officer):
    job = _job(officer, status=ImportJob.Status.CHECKING, started_at=timezone.now())
    status = client_for(officer).get(reverse("import_job_status", args=[job.pk])).json()
    assert status["label"] == "Reading the file…"


def test_a_finished_import_says_imported_once(client_for, officer):
    report = {
        "kind": "parties",
        "dry_run": False,
        "new": 3,
        "changed": 0,
        "unchanged": 0,
        "preview": [],
        "notes": [],
    }
    job = _job(officer, status=ImportJob.Status.DONE, report=report, rows_done=3, rows_total=3)
    page = client_for(officer).get(job.get_absolute_url()).text
    assert page.count("Imported") == 1
    assert "Created 3, changed 0, left 0 unchanged (parties)" in page


def test_the_job_page_writes_the_summary_in_the_readers_language(client_for, officer):
    report = {
        "kind": "parties",
        "dry_run": True,
        "new": 3,
        "changed": 0,
        "unchanged": 0,
        "preview": [],
        "notes": [],
    }
    job = _job(officer, status=ImportJob.Status.CHECKED, report=report)
    page = client_for(officer).get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Créerait 3, modifierait 0, laisserait 0 inchangé(s) (parties)" in page


@pytest.mark.django_db(transaction=True)
def test_the_errors_are_written_in_the_language_of_the_page_the_file_was_sent_from(client_for, officer):
    client = client_for(officer)
    upload = SimpleUploadedFile("parties.csv", BAD_PARTIES_CSV.encode())
    form = {"encoding": "auto", "delimiter": "auto", "file": upload}
    client.post(reverse("import_file", args=["parties"]), form, HTTP_ACCEPT_LANGUAGE="fr")
    run_worker()
    job = ImportJob.objects.get()
    assert job.options["language"] == "fr"
    assert any(error.startswith("ligne 3, colonne code, valeur « XX1 »") for error in job.errors), job.errors
