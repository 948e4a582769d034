"""What the benchmarks share: Django set up on a database of their own, and one timer."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The production settings, as a server runs them (DEBUG off, manifest static files), with only what
# a benchmark on 127.0.0.1 needs changed: plain HTTP (no HTTPS redirect, no secure cookies), the
# API's per-user throttle raised (the run measures the endpoint, not the limiter) and the static files
# collected under var/bench-static (bench/load_settings.py).
PRODUCTION_ENVIRONMENT = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "API_THROTTLE_USER": "1000000/hour",
    "DJANGO_SETTINGS_MODULE": "load_settings",
}


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


def collect_static_once() -> None:
    """Collect the static files once: with DEBUG off, pages name them through the manifest."""
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DEBUG and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def prepared_report(build: Callable):
    """The bench database migrated, with the reference data, the bench officer and the report
    `build(officer)` makes (each bench builds its own once), its statistics fresh on PostgreSQL.

    Returns the officer and the report."""
    from django.core.management import call_command
    from django.db import connection

    from secretariat import services
    from secretariat.models import Role, User

    call_command("migrate", verbosity=0)
    services.load_reference_data()
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.SECRETARIAT_OFFICER}
    )
    report = build(officer)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return officer, report


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


def bench_round(number: int, title_en: str, title_fr: str, status: str):
    """A round of 48 Parties (Tunisia added to the 47 of the reference data) with a questionnaire
    of 120 nodes: 30 questions over 4 sections, each with items a, b and c.

    Returns the round, its Parties and its questions in questionnaire order.
    """
    from monitoring.models import MonitoringRound, Question, Section
    from secretariat.models import Party

    Party.objects.get_or_create(code="TUN", defaults={"name_en": "Tunisia", "name_fr": "Tunisie"})
    parties = list(Party.objects.order_by("code")[:48])
    round_ = MonitoringRound.objects.create(
        number=number, theme_en="Bench", theme_fr="Banc", title_en=title_en, title_fr=title_fr, status=status
    )
    round_.parties.set(parties)
    sections = [
        Section.objects.create(round=round_, order=i, title_en=f"Section {i}", title_fr=f"Partie {i}")
        for i in range(1, 5)
    ]
    questions: list = []
    for question_number in range(1, 31):
        section = sections[(question_number - 1) * 4 // 30]
        parent = Question.objects.create(
            round=round_,
            section=section,
            ref=str(question_number),
            kind="question",
            order=len(questions) + 1,
            text_en=f"Question {question_number} on co-operation",
            text_fr=f"Question {question_number} sur la coopération",
        )
        questions.append(parent)
        for letter in "abc":
            questions.append(
                Question.objects.create(
                    round=round_,
                    section=section,
                    parent=parent,
                    ref=f"{question_number}.{letter}",
                    kind="item",
                    order=len(questions) + 1,
                    text_en=f"Item {letter}",
                    text_fr=f"Point {letter}",
                )
            )
    return round_, parties, questions


# --- floors: the same SQL executed raw --------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One operation's times beside its floor: the raw SQL fetch of the rows it reads."""

    name: str
    median: float
    worst: float
    queries: int
    floor: float | None = None  # median ms of the raw fetch; None when not measured

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None

    def row(self, target_ms: float | None = None, max_ratio: float | None = None) -> str:
        """A Markdown table row; the last cell flags a miss of either target."""
        misses = []
        if target_ms is not None and self.median > target_ms:
            misses.append(f"> {target_ms:g} ms")
        if max_ratio is not None and self.ratio is not None and self.ratio > max_ratio:
            misses.append(f"> {max_ratio:g}× floor")
        floor = f"{self.floor:.1f}" if self.floor is not None else ""
        ratio = f"{self.ratio:.1f}×" if self.ratio is not None else ""
        return (
            f"| {self.name} | {self.median:.0f} | {self.worst:.0f} | {self.queries} | {floor} | {ratio} "
            f"| {'**' + ', '.join(misses) + '**' if misses else ''} |"
        )


TABLE_HEADER = (
    "| operation | median ms | worst ms | queries | floor ms | ratio | over target |\n"
    "|---|---|---|---|---|---|---|"
)


def select_statements(function: Callable[[], object]) -> list[str]:
    """The SQL of the SELECTs one call of `function` runs, with their parameters in place."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def raw_fetch(statements: list[str]) -> None:
    """Execute `statements` on the database driver's own cursor (no ORM, no Django wrapper)
    and fetch every row: the floor an operation reading the same rows cannot go below."""
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    finally:
        cursor.close()


def floor_ms(statements: list[str], repeat: int) -> float:
    """Median milliseconds of `repeat` raw fetches of `statements`, after a warm-up."""
    raw_fetch(statements)
    durations = []
    for _ in range(max(repeat, 3)):
        start = time.perf_counter()
        raw_fetch(statements)
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations)


def measure(name: str, function: Callable[[], object], repeat: int) -> Measure:
    """`function` timed as `timed` does, beside the floor of the SELECTs it runs."""
    median, worst, queries = timed(function, repeat)
    return Measure(name, median, worst, queries, floor_ms(select_statements(function), repeat))


def consume(result: object) -> object:
    """Read a document to its end, whether it was returned whole or as an iterator of chunks."""
    if isinstance(result, str | bytes | bytearray) or not hasattr(result, "__iter__"):
        return result
    return sum(len(chunk) for chunk in result)  # type: ignore[attr-defined]


def signed_in_client(user) -> object:
    """A test client signed in as `user`, its session marked as having given a second factor
    (as after a real sign-in), so that staff pages open without turning the rule off."""
    from django.test import Client

    from secretariat import signin

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    signin.remember_second_factor(_SessionRequest(session), user)
    session.save()
    return client


class _SessionRequest:
    """Just enough of a request for signin.remember_second_factor (it writes to request.session)."""

    def __init__(self, session) -> None:
        self.session = session
