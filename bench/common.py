"""What the benchmarks share: Django set up on a database of their own, and one timer."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(sqlite_name: str) -> None:
    """Set Django up on BENCH_DATABASE_URL, by default a SQLite file var/<sqlite_name>.

    Call it before importing any model: the benchmark never touches the development database.
    """
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / sqlite_name}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float, int]:
    """Median and worst milliseconds of `repeat` calls after a warm-up, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm caches
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    return statistics.median(durations), max(durations), len(queries)
