"""Housekeeping: expired sessions, old task results, the files of finished imports and of old
generated documents go; what is still in use, and every import's and document's row, stay."""

import datetime
import io
import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat import housekeeping, schedule, tasks
from secretariat.models import GeneratedDocument, ImportJob

pytestmark = pytest.mark.django_db

DAYS_AGO_40 = timezone.now() - datetime.timedelta(days=40)
DAYS_AGO_10 = timezone.now() - datetime.timedelta(days=10)


def _session(expire_date: datetime.datetime) -> str:
    store = SessionStore()
    store["kept"] = True
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expire_date)
    return store.session_key


def _task_result(status: str, finished_at: datetime.datetime | None) -> str:
    result_id = str(tasks.run_scheduled_job.enqueue("digests", "2026-12-01").id)
    DBTaskResult.objects.filter(id=result_id).update(status=status, finished_at=finished_at)
    return result_id


def _import_job(user, status: str, finished_at: datetime.datetime | None) -> ImportJob:
    job = ImportJob(
        kind="parties", file_name="parties.csv", user=user, status=status, finished_at=finished_at
    )
    job.file.save("parties.csv", ContentFile(b"code,name\n"), save=False)
    job.save()
    return job


def _document(user, status: str, finished_at: datetime.datetime | None) -> GeneratedDocument:
    document = GeneratedDocument(kind="compilation", title="Round 2", requested_by=user, status=status)
    document.file.save("round-2.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.finished_at = finished_at
    document.save()
    return document


def test_expired_sessions_are_deleted_and_current_ones_kept():
    expired = _session(timezone.now() - datetime.timedelta(minutes=1))
    current = _session(timezone.now() + datetime.timedelta(hours=1))

    assert housekeeping.clear_expired_sessions() == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [current]
    assert expired != current


def test_task_results_finished_before_the_cut_off_are_deleted(settings):
    settings.HOUSEKEEPING_TASK_RESULTS_DAYS = 30
    old_success = _task_result(TaskResultStatus.SUCCESSFUL, DAYS_AGO_40)
    old_failure = _task_result(TaskResultStatus.FAILED, DAYS_AGO_40)
    recent = _task_result(TaskResultStatus.SUCCESSFUL, DAYS_AGO_10)
    waiting = _task_result(TaskResultStatus.READY, None)

    assert housekeeping.prune_task_results() == 2

    kept = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert kept == {recent, waiting}
    assert not kept & {old_success, old_failure}


def test_the_cut_off_for_task_results_is_a_setting(settings):
    _task_result(TaskResultStatus.SUCCESSFUL, DAYS_AGO_10)
    settings.HOUSEKEEPING_TASK_RESULTS_DAYS = 7

    assert housekeeping.prune_task_results() == 1


def test_the_file_of_an_import_finished_long_ago_is_removed_and_its_row_kept(officer):
    job = _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_40)
    name = job.file.name
    assert default_storage.exists(name)

    assert housekeeping.remove_import_files() == 1

    job.refresh_from_db()
    assert not default_storage.exists(name)
    assert (job.file.name, job.file_name, job.status) == ("", "parties.csv", ImportJob.Status.DONE)
    assert job.options[housekeeping.FILE_REMOVED_OPTION].startswith(f"{timezone.now():%Y-%m-%d}")


@pytest.mark.parametrize("status", [ImportJob.Status.REJECTED, ImportJob.Status.FAILED])
def test_the_file_of_an_import_that_failed_long_ago_is_removed(officer, status):
    job = _import_job(officer, status, DAYS_AGO_40)

    assert housekeeping.remove_import_files() == 1
    assert not default_storage.exists(job.file.name)


def test_the_file_of_a_recent_import_is_kept(officer):
    job = _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_10)

    assert housekeeping.remove_import_files() == 0
    assert default_storage.exists(job.file.name)


@pytest.mark.parametrize("status", housekeeping.IMPORT_STATUSES_NEEDING_THE_FILE)
def test_the_file_of_an_import_still_under_way_or_awaiting_confirmation_is_kept(officer, status):
    job = _import_job(officer, status, DAYS_AGO_40)  # e.g. a check that ended, never confirmed

    assert housekeeping.remove_import_files() == 0
    job.refresh_from_db()
    assert default_storage.exists(job.file.name)


def test_an_import_whose_file_is_already_missing_is_cleared_without_error(officer):
    job = _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_40)
    default_storage.delete(job.file.name)  # a run stopped between the file and the row

    assert housekeeping.remove_import_files() == 1
    job.refresh_from_db()
    assert job.file.name == ""


def test_the_file_of_an_old_generated_document_is_removed_and_the_history_says_why(officer):
    document = _document(officer, GeneratedDocument.Status.DONE, DAYS_AGO_40)
    name = document.file.name

    assert housekeeping.remove_document_files() == 1

    document.refresh_from_db()
    assert not default_storage.exists(name)
    assert (document.file.name, document.status) == ("", GeneratedDocument.Status.DONE)
    latest = document.history.latest()
    assert latest.file == ""
    assert "housekeeping" in latest.history_change_reason


def test_the_file_of_a_recent_generated_document_is_kept(officer):
    document = _document(officer, GeneratedDocument.Status.DONE, DAYS_AGO_10)

    assert housekeeping.remove_document_files() == 0
    assert default_storage.exists(document.file.name)


def test_the_cut_off_for_generated_documents_is_a_setting(settings, officer):
    settings.HOUSEKEEPING_DOCUMENT_FILES_DAYS = 5
    _document(officer, GeneratedDocument.Status.DONE, DAYS_AGO_10)

    assert housekeeping.remove_document_files() == 1


def test_each_removal_is_counted_and_logged(officer, caplog):
    _session(timezone.now() - datetime.timedelta(minutes=1))
    _task_result(TaskResultStatus.SUCCESSFUL, DAYS_AGO_40)
    _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_40)
    _document(officer, GeneratedDocument.Status.DONE, DAYS_AGO_40)

    with caplog.at_level(logging.INFO, logger="secretariat.housekeeping"):
        outcome = housekeeping.run()

    assert outcome == housekeeping.Outcome(sessions=1, task_results=1, import_files=1, document_files=1)
    assert "removed the file" in caplog.text
    assert "deleted 1 expired session(s)" in caplog.text


def test_the_command_runs_it_and_says_what_it_removed(officer):
    _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_40)
    out = io.StringIO()

    call_command("housekeeping", stdout=out)

    assert "1 import file(s)" in out.getvalue()


def test_housekeeping_is_a_daily_job_of_the_worker(officer, settings):
    settings.SCHEDULE = {"housekeeping": "03:00"}
    _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_40)
    day = timezone.localdate()

    run = schedule.run_job("housekeeping", day)

    assert run is not None
    assert "1 import file(s)" in run.outcome


def test_sessions_outside_the_database_are_not_counted(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

    assert housekeeping.clear_expired_sessions() is None
    assert "? expired session(s)" in str(housekeeping.run())


def test_the_admin_says_a_removed_file_may_be_asked_for_again(officer, client):
    document = _document(officer, GeneratedDocument.Status.DONE, DAYS_AGO_40)
    housekeeping.remove_document_files()
    client.force_login(officer)

    page = client.get("/admin/secretariat/generateddocument/").content.decode()

    assert "Removed: ask for it again" in page
    assert document.title in page


def test_the_page_of_an_import_whose_file_was_removed_still_opens(officer, client):
    job = _import_job(officer, ImportJob.Status.DONE, DAYS_AGO_40)
    housekeeping.remove_import_files()
    client.force_login(officer)

    response = client.get(job.get_absolute_url())

    assert response.status_code == 200
    assert "parties.csv" in response.content.decode()
