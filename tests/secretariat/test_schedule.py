"""Scheduled jobs: each runs once a day, whether the worker's schedule or cron starts it first."""

import datetime
import io
import time
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from secretariat import schedule
from secretariat.models import Notification, ScheduledRun
from tests.secretariat.import_helpers import run_worker

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = datetime.date(2026, 12, 1)


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def counted_job(monkeypatch, settings):
    """A job "counted" at 07:00 that counts its runs."""
    runs = []

    def job(day):
        runs.append(day)
        return "counted"

    monkeypatch.setitem(schedule._JOBS, "counted", job)
    settings.SCHEDULE = {"counted": "07:00"}
    return runs


def _enqueued(job: str) -> int:
    return sum(
        1
        for result in DBTaskResult.objects.filter(task_path="secretariat.tasks.run_scheduled_job")
        if result.args_kwargs["args"][0] == job
    )


def test_a_job_is_not_due_before_its_time(counted_job):
    assert schedule.due_jobs(at(6, 59)) == []
    assert schedule.due_jobs(at(7, 0)) == ["counted"]


def test_the_workers_schedule_enqueues_a_due_job_once(counted_job):
    scheduler = schedule.Scheduler()
    assert "counted" not in scheduler.tick(at(6, 30))
    assert "counted" in scheduler.tick(at(7, 1))
    assert "counted" not in scheduler.tick(at(7, 2))
    assert _enqueued("counted") == 1


def test_the_worker_runs_the_enqueued_job_once_for_the_day(counted_job):
    schedule.Scheduler().tick(at(7, 1))
    schedule.Scheduler().tick(at(7, 2))  # a second worker process, or a restarted one
    run_worker()
    assert counted_job == [DAY]
    run = ScheduledRun.objects.get()
    assert (run.job, run.day, run.outcome) == ("counted", DAY, "counted")
    assert run.finished_at is not None


def test_cron_and_the_worker_never_both_run_a_job_on_one_day(counted_job):
    assert schedule.run_job("counted", DAY) is not None  # cron first
    schedule.Scheduler().tick(at(9))  # the worker: already run today, nothing to enqueue
    assert _enqueued("counted") == 0
    assert schedule.run_job("counted", DAY) is None
    assert counted_job == [DAY]


def test_the_next_day_runs_again(counted_job):
    schedule.run_job("counted", DAY)
    schedule.run_job("counted", DAY + datetime.timedelta(days=1))
    assert len(counted_job) == 2


def test_a_failing_job_is_recorded_and_not_run_again_that_day(monkeypatch, settings):
    def broken(day):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(schedule._JOBS, "broken", broken)
    with pytest.raises(RuntimeError):
        schedule.run_job("broken", DAY)
    assert ScheduledRun.objects.get().outcome == "failed: RuntimeError: the disk is full"
    assert schedule.run_job("broken", DAY) is None


def test_the_schedule_enqueues_the_e_mail_retry_only_when_something_failed(settings, officer):
    settings.SCHEDULE = {}
    scheduler = schedule.Scheduler()
    assert scheduler.tick(at(7)) == []
    Notification.objects.create(
        recipient=officer, event="x", key="x", subject="s", body="b", email="retrying"
    )
    assert scheduler.tick(at(7, 1)) == []  # tried a minute ago: waits for the interval
    assert scheduler.tick(at(7, settings.NOTIFICATION_EMAIL_RETRY_MINUTES)) == ["email-retry"]


def test_run_scheduled_runs_the_due_jobs_once_a_day(counted_job, settings):
    settings.SCHEDULE = {"counted": "00:00"}  # due whenever the test runs
    out = io.StringIO()
    call_command("run_scheduled", stdout=out)
    call_command("run_scheduled", "counted", stdout=out)
    assert len(counted_job) == 1
    assert "counted: counted" in out.getvalue()
    assert "e-mail retry" in out.getvalue()


def test_run_scheduled_names_its_jobs(counted_job):
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_scheduled", "nonsense")


def test_the_daily_jobs_are_registered():
    assert {"reminders", "digests"} <= set(schedule.jobs())


@pytest.mark.django_db(transaction=True)
def test_the_workers_clock_runs_in_a_thread_until_stopped(counted_job, settings):
    settings.SCHEDULE = {"counted": "00:00"}
    scheduler = schedule.Scheduler(check_seconds=0.01)
    scheduler.start()
    try:
        for _ in range(500):
            if scheduler.enqueued:
                break
            time.sleep(0.01)
    finally:
        scheduler.stop()
    assert _enqueued("counted") == 1
