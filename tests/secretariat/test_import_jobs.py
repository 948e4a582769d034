"""Background imports: a job is checked, then imported, by the real worker; never left running."""

import datetime
import functools

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat import import_jobs, tasks
from secretariat.imports import KINDS, run_import
from secretariat.models import ImportJob, Party

from .import_helpers import BAD_PARTIES_CSV, PARTIES_CSV, import_files, run_worker  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_files")]


def _job(user, text: str = PARTIES_CSV, name: str = "parties.csv", **kwargs) -> ImportJob:
    upload = ContentFile(text.encode("cp1252"), name=name)
    return import_jobs.import_job_create(kind=KINDS["parties"], upload=upload, options={}, by=user, **kwargs)


def test_a_new_job_waits_for_the_worker_and_writes_nothing(officer):
    job = _job(officer)
    assert job.status == ImportJob.Status.QUEUED
    assert job.dry_run
    assert job.file.name.startswith(f"imports/{timezone.now():%Y}/")
    assert DBTaskResult.objects.get(id=job.task_id).task_path == "secretariat.tasks.run_import_job"
    assert not Party.objects.exists()


def test_the_check_records_a_preview_and_writes_nothing(officer):
    job = _job(officer)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("checked", 3, 3)
    assert (job.report["new"], job.report["dry_run"]) == (3, True)
    assert [row["action"] for row in job.report["preview"]] == ["new", "new", "new"]
    assert job.checked_at is not None
    assert not Party.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_confirming_a_checked_job_imports_it(officer):
    job = _job(officer)
    run_worker()
    import_jobs.import_job_confirm(job=job, by=officer)
    assert job.status == ImportJob.Status.QUEUED
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.report["new"], job.report["dry_run"]) == ("done", 3, False)
    assert Party.history.filter(history_user=officer).count() == 3


def test_a_job_is_confirmed_once(officer):
    job = _job(officer)
    run_worker()
    import_jobs.import_job_confirm(job=job, by=officer)
    with pytest.raises(import_jobs.InvalidTransition):
        import_jobs.import_job_confirm(job=job, by=officer)


def test_a_job_is_not_confirmed_before_its_check(officer):
    job = _job(officer)
    with pytest.raises(import_jobs.InvalidTransition):
        import_jobs.import_job_confirm(job=job, by=officer)


def test_only_its_author_confirms_a_job(officer, secretariat_admin):
    job = _job(officer)
    run_worker()
    with pytest.raises(import_jobs.InvalidTransition):
        import_jobs.import_job_confirm(job=job, by=secretariat_admin)


def test_a_job_with_errors_is_rejected_with_every_error(officer):
    job = _job(officer, BAD_PARTIES_CSV)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED
    assert [error.split(":")[0] for error in job.errors] == [
        "line 3, column code, value “XX1”",
        "line 4, column name_en",
    ]
    assert job.finished_at is not None


def test_a_job_reads_the_encoding_and_separator_it_was_given(officer):
    text = "code;name_en;name_fr\nARE;United Arab Emirates;Émirats arabes unis\n"
    upload = ContentFile(text.encode("cp1252"), name="parties.csv")
    options = {"encoding": "cp1252", "delimiter": ";"}
    import_jobs.import_job_create(
        kind=KINDS["parties"], upload=upload, options=options, by=officer, dry_run=False
    )
    run_worker()
    assert Party.objects.get(code="ARE").name_fr == "Émirats arabes unis"


def test_progress_goes_through_the_cache_while_the_job_runs(officer, monkeypatch):
    # What another process (the job page) would read after each chunk of two rows.
    seen = []

    def spy(self, done, total):
        record_progress(self, done, total)
        seen.append(ImportJob(pk=self.pk, status=self.status).progress())

    record_progress = ImportJob.record_progress
    monkeypatch.setattr(ImportJob, "record_progress", spy)
    monkeypatch.setattr(tasks, "run_import", functools.partial(run_import, chunk_rows=2))
    job = _job(officer)
    run_worker()
    assert [(found["done"], found["total"]) for found in seen] == [(0, 3), (2, 3), (3, 3)]
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total) == (3, 3)


def test_the_progress_of_a_running_job_is_read_from_the_cache(officer):
    job = _job(officer)
    job.status = ImportJob.Status.IMPORTING
    job.record_progress(1200, 20000)
    assert caches["progress"].get(job.progress_key)["done"] == 1200
    assert job.progress()["done"] == 1200
    job.status = ImportJob.Status.DONE
    assert job.progress()["done"] == 0  # once ended, the row says


def test_a_crash_ends_the_job_failed_with_the_reason(officer, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(tasks, "run_import", crash)
    job = _job(officer)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == ["Unexpected error: RuntimeError: the disk is full"]
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def test_a_missing_file_ends_the_job_failed(officer):
    job = _job(officer)
    job.file.storage.delete(job.file.name)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0].startswith("Unexpected error: FileNotFoundError")


def test_a_job_runs_once_even_if_queued_twice(officer):
    job = _job(officer, dry_run=False)
    tasks.run_import_job.enqueue(job.pk)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Party.history.count() == 3


def _left_running_by_a_killed_worker(job: ImportJob, status: str) -> ImportJob:
    """The job as a worker killed mid-way leaves it: running, its task claimed, no heartbeat."""
    DBTaskResult.objects.get(id=job.task_id).claim("the-killed-worker")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(status=status, started_at=long_ago)
    job.refresh_from_db()
    return job


def test_a_starting_worker_fails_the_import_a_killed_worker_left_running(officer):
    job = _job(officer)
    run_worker()
    import_jobs.import_job_confirm(job=job, by=officer)
    _left_running_by_a_killed_worker(job, ImportJob.Status.IMPORTING)
    run_worker("run_worker")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == ["The worker stopped while importing; nothing was imported. Start the import again."]
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    assert not Party.objects.exists()


def test_a_check_a_killed_worker_left_running_fails_with_its_reason(officer):
    job = _left_running_by_a_killed_worker(_job(officer), ImportJob.Status.CHECKING)
    job = import_jobs.import_job_fail_if_abandoned(job)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        "The worker stopped while checking the file; nothing was imported. Start the import again."
    ]


def test_a_starting_worker_leaves_a_job_another_live_worker_runs(officer, monkeypatch):
    seen = []

    def another_worker_starts(*args, **kwargs):
        # Long after this worker started the job, another starts and looks for abandoned jobs.
        ImportJob.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=5))
        import_jobs.import_jobs_fail_abandoned()
        seen.append(ImportJob.objects.get().status)
        return run_import(*args, **kwargs)

    monkeypatch.setattr(tasks, "run_import", another_worker_starts)
    job = _job(officer)
    run_worker()
    job.refresh_from_db()
    assert seen == [ImportJob.Status.CHECKING]
    assert job.status == ImportJob.Status.CHECKED


def test_a_job_whose_worker_just_started_it_is_left_running(officer):
    job = _job(officer)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, started_at=timezone.now())
    job.refresh_from_db()
    assert import_jobs.import_job_fail_if_abandoned(job).status == ImportJob.Status.CHECKING


def test_the_heartbeat_ends_with_the_job(officer):
    job = _job(officer)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert not tasks.worker_alive(job)


def _no_local_path(field_file):
    raise NotImplementedError("This backend doesn't support absolute paths.")  # as S3Storage says


@pytest.mark.django_db(transaction=True)
def test_a_file_in_an_object_store_is_imported_from_a_temporary_copy_removed_after(officer, monkeypatch):
    copies = []
    original = tasks._open
    monkeypatch.setattr(tasks, "_open", lambda job, path: copies.append(path) or original(job, path))
    monkeypatch.setattr(FieldFile, "path", property(_no_local_path))

    job = _job(officer)
    run_worker()
    import_jobs.import_job_confirm(job=job, by=officer)
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.report["new"]) == ("done", 3)
    assert Party.objects.count() == 3
    assert len(copies) == 2 and not any(copy.exists() for copy in copies)
