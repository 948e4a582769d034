"""The task queue on Redis (TASK_QUEUE=redis): the same tasks, handed over after the commit, run by
RQ's workers; and the settings that choose it."""

import pytest
from django.test import override_settings
from rq import SimpleWorker

from secretariat import documents, observability, task_queue
from secretariat.models import GeneratedDocument
from tests.secretariat.test_generated_documents import kinds, request_hello  # noqa: F401 (fixture)
from tests.secretariat.test_observability import REDIS_URL, _read_setting, needs_redis
from tests.secretariat.test_settings import PRODUCTION, _setting

RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL}}


@pytest.fixture
def redis_queue():
    """The queue on Redis, empty, for this test only."""
    import django_rq

    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=RQ_QUEUES):  # Django resets its backends
        queue = django_rq.get_queue("default")
        queue.empty()
        yield queue
        queue.empty()


def _run_worker(queue) -> None:
    """RQ's worker, in this process (no fork: it sees the test's transaction), until the queue is empty."""
    from django_tasks_rq.backend import Job

    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_the_database_queue_is_the_default():
    assert _read_setting("TASKS", **PRODUCTION)["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_task_queue_redis_puts_the_tasks_on_redis_through_rq():
    environment = {**PRODUCTION, "TASK_QUEUE": "redis", "REDIS_URL": REDIS_URL}

    assert _read_setting("TASKS", **environment)["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert _read_setting("RQ_QUEUES", **environment)["default"]["URL"] == REDIS_URL
    assert "django_rq" in _read_setting("INSTALLED_APPS", **environment)


def test_task_queue_redis_without_a_redis_url_stops_with_the_reason():
    error = _setting("TASK_QUEUE", **PRODUCTION, TASK_QUEUE="redis")

    assert "ImproperlyConfigured" in error and "REDIS_URL" in error


@needs_redis
@pytest.mark.django_db
@pytest.mark.usefixtures("kinds")
def test_a_task_reaches_redis_only_when_its_transaction_commits(
    redis_queue, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_hello(officer)
    assert redis_queue.count == 0

    for callback in callbacks:
        callback()

    assert redis_queue.count == 1


@needs_redis
@pytest.mark.django_db
@pytest.mark.usefixtures("kinds")
def test_an_rq_worker_generates_a_requested_document(
    redis_queue, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = request_hello(officer)

    _run_worker(redis_queue)

    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE
    assert document.task_id
    with document.file.open("rb") as file:
        assert file.read() == b"hello world"
    assert documents.KINDS["hello"].label == "Greeting"


@needs_redis
@pytest.mark.django_db
@pytest.mark.usefixtures("kinds")
def test_health_counts_the_tasks_waiting_on_redis(redis_queue, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_hello(officer)

    assert task_queue.queue_state() == "redis queue: 1 waiting"
    _, checks = observability.health_report()
    assert checks["task_queue"].ok and checks["task_queue"].detail == "redis queue: 1 waiting"
