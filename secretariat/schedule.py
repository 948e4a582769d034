"""Daily jobs (reminders, digests, housekeeping): run once a day, by the worker's schedule or by cron.

A job is a function of the day it runs for, registered by name (`register_job`, from an
AppConfig.ready()); `settings.SCHEDULE` says at what local time each runs. Whoever starts a job
first for a day records it (`ScheduledRun`, unique per job and day) and runs it; anyone later
(another worker, a cron run) finds the record and does nothing. The worker (`run_worker`) checks
the schedule every minute in a thread (`Scheduler`) and enqueues what is due; `run_scheduled`
runs it from cron.
"""

import datetime
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from .models import Notification, ScheduledRun

logger = logging.getLogger(__name__)

#: a job: what it did, in a line, for the day it runs for
Job = Callable[[datetime.date], str]

_JOBS: dict[str, Job] = {}


def register_job(name: str, job: Job) -> None:
    if _JOBS.get(name, job) is not job:
        raise ValueError(f"The scheduled job {name} is already registered.")
    _JOBS[name] = job


def jobs() -> dict[str, Job]:
    return dict(_JOBS)


def _digests(day: datetime.date) -> str:
    from .notifications import send_digests

    return f"digests: {send_digests()}"


register_job("digests", _digests)


def _housekeeping(day: datetime.date) -> str:
    from .housekeeping import scheduled_job

    return scheduled_job(day)


register_job("housekeeping", _housekeeping)


def time_of(job: str) -> datetime.time | None:
    """When `job` runs each day (settings.SCHEDULE, "HH:MM" local time); None: not on the schedule."""
    value = settings.SCHEDULE.get(job)
    return datetime.time.fromisoformat(value) if value else None


def due_jobs(now: datetime.datetime | None = None) -> list[str]:
    """The jobs whose time has come today and that nobody has run today."""
    now = timezone.localtime(now)
    due = [name for name in _JOBS if (at := time_of(name)) is not None and now.time() >= at]
    done = set(ScheduledRun.objects.filter(day=now.date(), job__in=due).values_list("job", flat=True))
    return [name for name in due if name not in done]


def run_job(name: str, day: datetime.date) -> ScheduledRun | None:
    """Run job `name` for `day` unless it ran already: returns its run, None if someone else had it."""
    job = _JOBS[name]
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=name, day=day)
    except IntegrityError:
        return None
    try:
        run.outcome = job(day)
    except Exception as error:
        logger.exception("Scheduled job %s for %s failed", name, day)
        run.outcome = f"failed: {error.__class__.__name__}: {error}"
        raise
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "finished_at"])
    return run


def run_due(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Run now, in this process, the jobs due today (what cron calls)."""
    day = timezone.localdate(now)
    return [run for name in due_jobs(now) if (run := run_job(name, day))]


class Scheduler:
    """The worker's clock: enqueues each due job once a day, and the e-mail retry every few minutes."""

    def __init__(self, *, check_seconds: float = 60) -> None:
        self.check_seconds = check_seconds
        self.enqueued: set[tuple[str, datetime.date]] = set()
        self.last_retry: datetime.datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self, now: datetime.datetime | None = None) -> list[str]:
        """Enqueue what is due at `now`; returns what it enqueued."""
        from .tasks import retry_notification_emails, run_scheduled_job

        now = timezone.localtime(now)
        enqueued = []
        for name in due_jobs(now):
            if (name, now.date()) not in self.enqueued:
                run_scheduled_job.enqueue(name, now.date().isoformat())
                self.enqueued.add((name, now.date()))
                enqueued.append(name)
        every = datetime.timedelta(minutes=settings.NOTIFICATION_EMAIL_RETRY_MINUTES)
        if self.last_retry is None or now - self.last_retry >= every:
            self.last_retry = now
            waiting = Notification.objects.filter(email=Notification.Email.RETRYING).exists() or (
                Notification.objects.filter(email=Notification.Email.DIGEST, email_attempts__gt=0).exists()
            )
            if waiting:
                retry_notification_emails.enqueue()
                enqueued.append("email-retry")
        return enqueued

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the clock keeps going; the next minute tries again
                logger.exception("The worker's schedule failed to enqueue its jobs")
            finally:
                connections.close_all()  # this thread's own connections
            self._stop.wait(self.check_seconds)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
