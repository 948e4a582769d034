"""What the tests of background imports share: the real worker, and files kept out of var/."""

import signal
from contextlib import nullcontext
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

PARTIES_CSV = (
    "code,name_en,name_fr\nBEL,Belgium,Belgique\nNLD,Netherlands,Pays-Bas\nLUX,Luxembourg,Luxembourg\n"
)
BAD_PARTIES_CSV = "code,name_en,name_fr\nBEL,Belgium,Belgique\nXX1,Nowhere,Nulle part\nLUX,,Luxembourg\n"


@pytest.fixture
def import_files(settings, tmp_path):
    """Uploaded files and the progress cache in a temporary folder (the worker runs in-process)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "progress"),
        },
    }
    return tmp_path


def run_worker(command: str = "db_worker") -> None:
    """Run the real worker, `db_worker --batch` (or `run_worker`): every queued task, then return.

    Between tasks the worker recycles its database connection, as it should in production; a
    test that runs in a transaction keeps it (the transaction would be lost), while tests marked
    `django_db(transaction=True)` run the worker exactly as deployed.
    """
    handlers = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    recycle = "django_tasks_db.management.commands.db_worker.close_old_connections"
    try:
        with mock.patch(recycle) if connection.in_atomic_block else nullcontext():
            call_command(command, batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in handlers.items():  # the worker installs its own
            signal.signal(number, handler)
