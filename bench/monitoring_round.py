"""Time the compilations of a whole monitoring round and a search at the Secretariat's real scale.

Usage (PostgreSQL, as in production):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench_heavy
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_heavy
    .venv/bin/python bench/monitoring_round.py [--size heavy|light] [--repeat N] [--formats html,pdf]

Builds (once) a round of 48 Parties x 120 questions: one registered reply block per Party and
question, plus 12 stakeholders' comments (every sixth question): 6,000 replies. Texts come from
the Russian Federation's real replies (fixtures/):

- heavy (round 95, the default): their paragraphs concatenated to about 300 words a reply,
  about 11.6 MB of text, the volume of a real round;
- light (round 90): the replies in turn (about 560 characters on average), 3 MB.

Then times the whole-round compilation (built, HTML, DOCX, PDF), each in a child process of its
own so that its peak memory (RSS) is its own, and one question's compilation (48 Parties) in each
format over --repeat runs, and two full-text searches. Beside each figure, its floor measured in
the same run: the SELECTs the operation runs, captured and executed raw through the driver's
cursor with every row fetched. Prints a Markdown table for docs/performance.md.
"""

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time

from common import ROOT, Measure, bench_round, consume, floor_ms, measure, select_statements, start_django

start_django("bench.sqlite3")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.db.models.functions import Length  # noqa: E402

from monitoring import compilation, search  # noqa: E402
from monitoring.compilation import render as compilation_render  # noqa: E402
from monitoring.models import MonitoringRound, Reply, Submission  # noqa: E402
from secretariat import services  # noqa: E402
from secretariat.models import Organisation, Role, User  # noqa: E402

ROUNDS = {"heavy": 95, "light": 90}
WORDS = 300  # a heavy reply's length
STAKEHOLDERS = 12
FORMATS = {
    "built": lambda c: c,
    "HTML": compilation.render_html,
    "DOCX": compilation.render_docx,
    "PDF": compilation.render_pdf,
}
# How the command and the worker write a whole round (to a file, as they go), where the project has it.
WRITE_COMPILATION = getattr(compilation_render, "write_compilation", None)
# Targets of issue 12 (milliseconds, ratio to the floor)
WHOLE_TARGETS = {"built": None, "HTML": 1500, "DOCX": 5000, "PDF": 10000}
QUESTION_TARGET = 200
MAX_RATIO = 15
PEAK_TARGET_MB = 300


def _real_replies() -> list[str]:
    with (ROOT / "fixtures" / "replies_round2_RUS.csv").open(encoding="utf-8") as file:
        return [row["text"] for row in csv.DictReader(file)]


def heavy_texts(count: int, words: int = WORDS) -> list[str]:
    """`count` texts of about `words` words: the real replies' paragraphs in turn, each text
    starting one paragraph further, so that neighbouring replies differ."""
    paragraphs = [p.strip() for text in _real_replies() for p in text.split("\n\n") if p.strip()]
    texts = []
    for index in range(count):
        chosen: list[str] = []
        total = 0
        position = index
        while total < words:
            paragraph = paragraphs[position % len(paragraphs)]
            length = len(paragraph.split())
            if total + length > words:  # the last paragraph is cut at the word count
                paragraph = " ".join(paragraph.split()[: words - total])
                length = words - total
            chosen.append(paragraph)
            total += length
            position += 1
        texts.append("\n\n".join(chosen))
    return texts


@transaction.atomic
def build(officer: User, size: str = "heavy") -> MonitoringRound:
    """The bench round of `size`, made once (bulk_create, as an import writes it)."""
    number = ROUNDS[size]
    existing = MonitoringRound.objects.filter(number=number).first()
    if existing:
        return existing
    round_, parties, questions = bench_round(
        number, f"Bench round ({size})", f"Cycle d'essai ({size})", MonitoringRound.Status.ANALYSIS
    )
    submissions = Submission.objects.bulk_create(
        Submission(round=round_, party=party, status=Submission.Status.REGISTERED, registered_by=officer)
        for party in parties
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench NGO {number}-{i}", kind="ngo", party=parties[i])
        for i in range(STAKEHOLDERS)
    )
    submissions += Submission.objects.bulk_create(
        Submission(
            round=round_,
            party=org.party,
            organisation=org,
            status=Submission.Status.REGISTERED,
            consent_to_publication=True,
            registered_by=officer,
        )
        for org in organisations
    )
    pairs = [
        (submission, q_index, question)
        for submission in submissions
        for q_index, question in enumerate(
            questions if submission.organisation_id is None else questions[::6]
        )
    ]
    texts = heavy_texts(len(pairs)) if size == "heavy" else _real_replies()
    replies = Reply.objects.bulk_create(
        (
            Reply(
                submission=submission,
                order=q_index,
                language="fr" if index % 5 == 0 else "en",
                text=texts[index % len(texts)],
            )
            for index, (submission, q_index, _) in enumerate(pairs)
        ),
        batch_size=1000,
    )
    Reply.questions.through.objects.bulk_create(
        (
            Reply.questions.through(reply=reply, question=question)
            for reply, (_, _, question) in zip(replies, pairs, strict=True)
        ),
        batch_size=5000,
    )
    return round_


def prepare(size: str) -> tuple[MonitoringRound, User]:
    """Migrate, load the reference data and build the round (each once); fresh statistics."""
    call_command("migrate", verbosity=0)
    services.load_reference_data()
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.SECRETARIAT_OFFICER}
    )
    round_ = build(officer, size)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production; without them the planner
        # ignores the full-text indexes after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return round_, officer


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would count the parent's from before exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB, outside Linux


def _whole_round_document(round_: MonitoringRound, officer: User, fmt: str, in_memory: bool) -> int:
    """Compile the whole round in `fmt` and return the document's size in bytes: written to a
    file as the command and the worker do (`write_compilation`, when the project has it), or
    returned whole by `render_…` with `in_memory`."""
    built = compilation.compile_replies(round=round_, user=officer)
    if fmt == "built":
        return 0
    if in_memory or not WRITE_COMPILATION:
        document = consume(FORMATS[fmt](built))
        return document if isinstance(document, int) else len(document)
    with tempfile.TemporaryFile() as output:
        WRITE_COMPILATION(built, fmt.lower(), output)
        return output.tell()


def child(size: str, fmt: str, repeat: int, budget_s: float, in_memory: bool) -> None:
    """In a process of its own: the whole-round compilation in `fmt`, timed, and its floor.

    Prints one JSON line: the times (runs stop early once `budget_s` is spent), the floor, the
    peak RSS before the first run (Django and the modules loaded) and at the end.
    """
    round_ = MonitoringRound.objects.get(number=ROUNDS[size])
    officer = User.objects.get(username="bench-officer")
    base = _peak_rss_mb()
    durations: list[float] = []
    size_bytes = 0
    while len(durations) < repeat and sum(durations) < budget_s * 1000:
        start = time.perf_counter()
        size_bytes = _whole_round_document(round_, officer, fmt, in_memory)
        durations.append((time.perf_counter() - start) * 1000)
    peak = _peak_rss_mb()
    statements = select_statements(lambda: compilation.compile_replies(round=round_, user=officer))
    print(
        json.dumps(
            {
                "durations": durations,
                "queries": len(statements),
                "floor": floor_ms(statements, 5),
                "base_mb": base,
                "peak_mb": peak,
                "bytes": size_bytes,
            }
        )
    )


def whole_round(size: str, fmt: str, repeat: int, budget_s: float, in_memory: bool) -> tuple[Measure, dict]:
    command = [sys.executable, __file__, "--size", size, "--child", fmt, "--repeat", str(repeat)]
    command += ["--budget", str(budget_s)] + ["--in-memory"] * in_memory
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"{fmt} child failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    durations = sorted(figures["durations"])
    median = durations[len(durations) // 2]
    name = f"whole-round compilation, {fmt} ({len(durations)} run{'s' if len(durations) > 1 else ''})"
    return Measure(name, median, durations[-1], figures["queries"], figures["floor"]), figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=ROUNDS, default="heavy")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--whole-repeat", type=int, default=3, help="runs of each whole-round format (fewer past --budget)"
    )
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds after which a format stops repeating"
    )
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="comma-separated, among " + ", ".join(FORMATS)
    )
    parser.add_argument(
        "--in-memory", action="store_true", help="whole-round documents returned whole, not written to a file"
    )
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.size, args.child, args.repeat, args.budget, args.in_memory)
        return
    formats = [fmt for fmt in FORMATS if fmt in args.formats.split(",")]
    round_, officer = prepare(args.size)
    replies = Reply.objects.filter(submission__round=round_)
    characters = replies.aggregate(total=Sum(Length("text")))["total"]
    print(
        f"{connection.vendor}, {time.strftime('%Y-%m-%d')}: round {round_.number} ({args.size}), "
        f"{round_.parties.count()} Parties, {round_.questions.count()} questions, {replies.count()} replies, "
        f"{characters / 2**20:.1f} MB of text ({characters / replies.count():.0f} characters a reply); "
        f"{args.repeat} runs each, whole round up to {args.whole_repeat} in a child process, "
        f"{'in memory' if args.in_memory or not WRITE_COMPILATION else 'written to a file'}"
    )
    print(
        "| operation | median ms | worst ms | queries | floor ms | ratio | over target | peak RSS MB "
        "| document MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for fmt in formats:
        result, figures = whole_round(args.size, fmt, args.whole_repeat, args.budget, args.in_memory)
        over_memory = figures["peak_mb"] > PEAK_TARGET_MB
        memory = f"{figures['peak_mb']:.0f} (base {figures['base_mb']:.0f})"
        print(
            result.row(WHOLE_TARGETS[fmt], MAX_RATIO if WHOLE_TARGETS[fmt] else None)
            + (f" **{memory}** |" if over_memory else f" {memory} |")
            + f" {figures['bytes'] / 2**20:.1f} |",
            flush=True,
        )
    question = "16"
    for fmt in formats:
        render = FORMATS[fmt]
        result = measure(
            f"one question (Q{question}, 48 Parties), {fmt}",
            lambda render=render: consume(
                render(compilation.compile_replies(round=round_, question_ref=question, user=officer))
            ),
            args.repeat,
        )
        print(result.row(QUESTION_TARGET if fmt != "built" else None) + " | |", flush=True)
    searches = {
        "search “coopération” (French stemming on PostgreSQL)": lambda: list(
            search.search_replies(user=officer, query="coopération", round=round_)[:50]
        ),
        "search “cooperation” in one Party": lambda: list(
            search.search_replies(
                user=officer, query="cooperation", round=round_, party=round_.parties.first()
            )[:50]
        ),
    }
    for name, function in searches.items():
        print(measure(name, function, args.repeat).row() + " | |", flush=True)


if __name__ == "__main__":
    main()
