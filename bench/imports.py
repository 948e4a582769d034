"""Time the project's imports at the Secretariat's real scale against plain django-import-export.

Usage (PostgreSQL, as in production):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench_imports
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_imports
    .venv/bin/python bench/imports.py

Builds (once) a round of 48 Parties with a questionnaire of 120 questions (30 questions of 3
items each) and an implementation report, then writes realistic files under var/bench_imports/
and imports each in a fresh process, as in production (DEBUG off), so that the peak memory
printed is that import's own:

- 20,000 replies (kind "replies"): 48 States and 68 stakeholders (half of them new to the
  database), blocks answering one to a few consecutive questions ('1;1.a'), texts taken from the
  Russian Federation's real replies (22 to ~5,000 characters), in English and French, with
  `run_import`. Then, into the submissions that import created, the same replies with a plain
  `ModelResource` of Reply reading its natural file (submission id, language, text, question ids)
  with its default options. Replies and their history are emptied between the two runs.
- 50,000 follow-up statuses (kind "follow-ups"): 1,042 recommendations addressed to ALL 48
  Parties imported as kind "recommendations" (which opens the 50,016 follow-ups), then one
  assessed status, deadline and reasoning per follow-up with `run_import`; the statuses are put
  back, then a plain `ModelResource` of FollowUp (recommendation and party ids as import id
  fields, deadline, assessed status) writes the same statuses.
- A ~100 MB replies file (20,000 replies of ~5,000 characters) with `run_import`, for its peak
  memory.

The plain imports write one row at a time (a dozen queries a row), so their rate does not depend
on the size of the file: by default they take the first --plain-replies and --plain-follow-ups
rows of the same data, which keeps the whole run at about 4 minutes; 0 makes them import
everything, as many rows as the project's import (12 minutes in all on a quiet machine).

Prints rows, seconds (wall and CPU of the importing process: the rest is PostgreSQL's work) and
rows per second of each import, the ratio of the project's rate to the plain one (target: at
least 10x), and the peak resident memory of each import process (target: under 500 MB for the
100 MB file). `--profile` writes a cProfile of each project import to var/bench_imports/ and
prints its top functions; `--only replies|follow-ups|large` runs a part.
"""

import argparse
import cProfile
import csv
import datetime
import io
import itertools
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, bench_round, start_django

start_django("bench_imports.sqlite3")

import tablib  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from import_export import resources  # noqa: E402

from monitoring.models import (  # noqa: E402
    MonitoringRound,
    Reply,
    Submission,
    Transition,
)
from recommendations.models import (  # noqa: E402
    AssessedStatus,
    Assessment,
    Chapter,
    Citation,
    FollowUp,
    ImplementationReport,
    Recommendation,
    Urgency,
)
from secretariat import services  # noqa: E402
from secretariat.imports import KINDS, open_source, run_import  # noqa: E402
from secretariat.models import Organisation, Party, Role, User  # noqa: E402

OUT = ROOT / "var" / "bench_imports"
ROUND_NUMBER = 92
REPORT = "BENCH-IMPORTS"
OFFICER = "bench-import-officer"
PARTIES = 48
STAKEHOLDERS = 68  # half known to the database, half created by the import
STAKEHOLDER_REPLIES = 40
REPLY_COLUMNS = ["round", "party", "respondent_kind", "respondent", "question_refs", "language", "text"]
FOLLOW_UP_COLUMNS = ["report", "recommendation", "party", "deadline", "assessed_status", "reasoning"]


class PlainReplyResource(resources.ModelResource):
    """What django-import-export does out of the box for the same records."""

    class Meta:
        model = Reply


class PlainFollowUpResource(resources.ModelResource):
    class Meta:
        model = FollowUp
        import_id_fields = ("recommendation", "party")
        fields = ("recommendation", "party", "deadline", "assessed_status")


# --- the data the files refer to ------------------------------------------------------------


@transaction.atomic
def build() -> tuple[MonitoringRound, User]:
    officer, _ = User.objects.get_or_create(username=OFFICER, defaults={"role": Role.SECRETARIAT_OFFICER})
    existing = MonitoringRound.objects.filter(number=ROUND_NUMBER).first()
    if existing:
        return existing, officer
    round_, parties, _questions = bench_round(
        ROUND_NUMBER,
        "Bench round for imports",
        "Cycle d'essai des imports",
        MonitoringRound.Status.COLLECTING,
    )
    Organisation.objects.bulk_create(
        Organisation(name=_stakeholder(i), kind="ngo", party=parties[i % PARTIES])
        for i in range(STAKEHOLDERS // 2)
    )
    ImplementationReport.objects.create(
        round=round_,
        reference=REPORT,
        title_en="Bench implementation report",
        title_fr="Rapport de mise en œuvre d'essai",
        adoption_date=datetime.date(2026, 1, 1),
        deadline_require_request=datetime.date(2027, 1, 1),
        deadline_invite=datetime.date(2028, 1, 1),
        status=ImplementationReport.Status.ADOPTED,
    )
    return round_, officer


def _stakeholder(index: int) -> str:
    return f"Bench NGO {index + 1}"


def _empty(*models) -> None:
    """Empty the tables of `models`, of their many-to-many relations and of their history (the
    bench database holds nothing else of these kinds); on PostgreSQL with TRUNCATE, which also
    empties the tables that refer to them."""
    tables = []
    for model in models:
        related = [model, *(field.remote_field.through for field in model._meta.local_many_to_many)]
        history = getattr(model, "history", None)
        if history is not None:
            related.append(history.model)
            related += [
                m
                for m in apps.get_models()
                if m._meta.db_table.startswith(history.model._meta.db_table + "_")
            ]
        tables += [m._meta.db_table for m in related if m._meta.db_table not in tables]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        return
    connection.disable_constraint_checking()
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # table names from the models
    finally:
        connection.enable_constraint_checking()


def reset_replies(round_: MonitoringRound, *, keep_submissions: bool) -> None:
    """Empty the replies and their history; without the submissions, the round is as new."""
    _empty(Reply)
    if keep_submissions:
        return
    with transaction.atomic():
        Transition.objects.filter(submission__round=round_).delete()
        Submission.history.filter(round_id=round_.pk).delete()
        Submission.objects.filter(round=round_).delete()
        created = [_stakeholder(i) for i in range(STAKEHOLDERS // 2, STAKEHOLDERS)]
        Organisation.history.filter(name__in=created).delete()
        Organisation.objects.filter(name__in=created).delete()


# --- the files --------------------------------------------------------------------------------


def _texts() -> list[str]:
    with (ROOT / "fixtures" / "replies_round2_RUS.csv").open(encoding="utf-8") as file:
        return [row["text"] for row in csv.DictReader(file)]


def _windows(refs: list[str], count: int):
    """`count` distinct blocks of consecutive refs: each ref alone, then pairs, then triples ..."""
    size = 1
    while count > 0:
        for start in range(0, len(refs) - size + 1):
            if count == 0:
                return
            yield refs[start : start + size]
            count -= 1
        size += 1


def reply_rows(round_: MonitoringRound, total: int, text_chars: int = 0):
    """Rows of the replies file: one block per State and set of refs, then the stakeholders'.

    Texts are real replies, one or two joined (22 to ~5,000 characters), or with `text_chars`
    joined and cut to about that length.
    """
    parties = list(round_.parties.order_by("code").values_list("code", "name_en"))
    refs = list(round_.questions.order_by("order").values_list("ref", flat=True))
    texts = _texts()
    per_state, extra = divmod(total - STAKEHOLDERS * STAKEHOLDER_REPLIES, len(parties))
    count = 0

    def text() -> str:
        nonlocal count
        count += 1
        parts = [texts[count % len(texts)]]
        if count % 4 == 0:
            parts.append(texts[(count * 7 + 3) % len(texts)])
        while sum(len(part) for part in parts) < text_chars:
            parts.append(texts[(count + len(parts) * 5) % len(texts)])
        text = "\n\n".join(parts)
        return text[: text.rfind(" ", 0, text_chars)] if text_chars else text

    for index, (code, name) in enumerate(parties):
        language = "fr" if index % 5 == 0 else "en"
        for block in _windows(refs, per_state + (1 if index < extra else 0)):
            yield [str(round_.number), code, "state", name, ";".join(block), language, text()]
    for index in range(STAKEHOLDERS):
        code = parties[index % len(parties)][0]
        for block in _windows(refs[index % 3 :: 3], STAKEHOLDER_REPLIES):
            yield [
                str(round_.number),
                code,
                "stakeholder",
                _stakeholder(index),
                ";".join(block),
                "en",
                text(),
            ]


def write_csv(path: Path, header: list[str], rows) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def plain_reply_rows(round_: MonitoringRound, project_file: Path):
    """The same replies as a plain ModelResource reads them: submission id, question ids."""
    submissions = {
        (s.party.code, s.organisation.name if s.organisation_id else ""): s.pk
        for s in Submission.objects.filter(round=round_).select_related("party", "organisation")
    }
    questions = dict(round_.questions.values_list("ref", "pk"))
    with project_file.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            respondent = row["respondent"] if row["respondent_kind"] == "stakeholder" else ""
            yield [
                submissions[row["party"], respondent],
                row["language"],
                row["text"],
                ",".join(str(questions[ref]) for ref in row["question_refs"].split(";")),
            ]


def follow_up_rows(report: ImplementationReport):
    """One assessed status per follow-up, with a deadline and a line of reasoning."""
    statuses = [status for status in AssessedStatus.values if status != AssessedStatus.NOT_ASSESSED]
    follow_ups = FollowUp.objects.filter(recommendation__report=report).order_by(
        "recommendation__order", "party__code"
    )
    for index, (number, code) in enumerate(follow_ups.values_list("recommendation__number", "party__code")):
        yield [
            report.reference,
            number,
            code,
            f"2027-{1 + index % 12:02d}-{1 + index % 28:02d}",
            statuses[index % len(statuses)],
            f"Assessed on the State's reply of {2026 - index % 3}: measures reported under {number}.",
        ]


def plain_follow_up_rows(report: ImplementationReport, project_file: Path):
    recommendations = dict(report.recommendations.values_list("number", "pk"))
    parties = dict(Party.objects.values_list("code", "pk"))
    with project_file.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            yield [
                recommendations[row["recommendation"]],
                parties[row["party"]],
                row["deadline"],
                row["assessed_status"],
            ]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def recommendation_rows(report: ImplementationReport, total: int):
    """Recommendations addressed to ALL the round's Parties, in ten chapters, in the layout the
    recommendations kind exports (its columns are read from its resource)."""
    strengths = ["requires", "requests", "invites"]
    values = {
        "report": lambda i: report.reference,
        "number": lambda i: f"{ROMAN[i * 10 // total]}-{i + 1}",
        "strength": lambda i: strengths[i % 3],
        "addressees": lambda i: "ALL",
        "articles": lambda i: ["38(1)", "20(1)(a);21", "26"][i % 3],
        "chapter": lambda i: f"Chapter {ROMAN[i * 10 // total]} on co-operation",
        "chapter_fr": lambda i: f"Chapitre {ROMAN[i * 10 // total]} sur la coopération",
        "text": lambda i: f"The Committee {strengths[i % 3]} the Parties to take measure {i + 1}.",
        "text_fr": lambda i: f"Le Comité invite les Parties à prendre la mesure {i + 1}.",
    }
    columns = [column for column in KINDS["recommendations"].resource.columns() if column in values]
    yield columns
    for index in range(total):
        yield [values[column](index) for column in columns]


# --- one import, in a process of its own ------------------------------------------------------


def _memory_mb(key: str) -> float:
    """VmRSS (resident now) or VmHWM (peak) of this process. Not ru_maxrss: after fork and exec it
    starts from the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(name: str, path: Path, profile: bool) -> None:
    # As in production (DEBUG=0): with DEBUG on, Django also logs the SQL of every query, which
    # costs the plain imports time and memory (run_import empties that log after each chunk).
    settings.DEBUG = False
    officer = User.objects.get(username=OFFICER)
    idle = _memory_mb("VmRSS")

    def project(kind: str) -> int:
        report = run_import(kind, open_source(path), user=officer)
        return report.total

    def plain(resource: resources.ModelResource) -> int:
        with path.open(encoding="utf-8", newline="") as file:
            dataset = tablib.Dataset().load(file.read(), format="csv")
        result = resource.import_data(dataset, dry_run=False)
        if result.has_errors() or result.has_validation_errors():
            errors = [e.error for _n, errs in result.row_errors() for e in errs][:3]
            raise SystemExit(f"plain import failed: {errors or result.invalid_rows[:3]}")
        return sum(result.totals.values())

    work = {
        "replies": lambda: project("replies"),
        "recommendations": lambda: project("recommendations"),
        "follow-ups": lambda: project("follow-ups"),
        "replies-plain": lambda: plain(PlainReplyResource()),
        "follow-ups-plain": lambda: plain(PlainFollowUpResource()),
    }[name]
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    rows = work()
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _memory_mb("VmHWM")
    if profiler:
        stats_file = OUT / f"{name}.prof"
        profiler.dump_stats(stats_file)
        output = io.StringIO()
        pstats.Stats(str(stats_file), stream=output).sort_stats("tottime").print_stats(25)
        print(output.getvalue(), file=sys.stderr)
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "idle_mb": idle, "peak_mb": peak}))


STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def measure(name: str, path: Path, profile: bool = False) -> dict:
    log(f"importing {path.name} ({name})")
    connection.close()  # the child writes; the parent holds no transaction
    command = [sys.executable, __file__, "--child", name, str(path)] + (["--profile"] if profile else [])
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=os.environ, check=False)
    if completed.returncode:
        raise SystemExit(f"{name} failed (exit {completed.returncode})")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["mb"] = path.stat().st_size / 1e6
    log(f"imported {result['rows']:,} rows in {result['seconds']:.1f} s")
    return result


def line(label: str, result: dict) -> str:
    rate = result["rows"] / result["seconds"]
    return (
        f"| {label} | {result['rows']:,} | {result['mb']:.1f} | {result['seconds']:.1f} "
        f"| {result['cpu']:.1f} | {rate:,.0f} | {result['peak_mb']:.0f} |"
    )


def written() -> str:
    history_questions = apps.get_model("monitoring", "HistoricalReply_questions")
    return (
        f"{Reply.objects.count():,} replies, "
        f"{Reply.questions.through.objects.count():,} reply-question links, "
        f"{Reply.history.count():,} + {history_questions.objects.count():,} history rows"
    )


# --- the benchmark ---------------------------------------------------------------------------------


def bench_replies(round_: MonitoringRound, args) -> list[str]:
    reset_replies(round_, keep_submissions=False)
    project_file = OUT / "replies.csv"
    rows = write_csv(project_file, REPLY_COLUMNS, reply_rows(round_, args.replies))
    ours = measure("replies", project_file, args.profile)
    assert ours["rows"] == rows, (ours, rows)
    log(f"project import wrote {written()}")
    reset_replies(round_, keep_submissions=True)
    plain_file = OUT / "replies_plain.csv"
    plain_rows = itertools.islice(plain_reply_rows(round_, project_file), args.plain_replies or None)
    write_csv(plain_file, ["submission", "language", "text", "questions"], plain_rows)
    theirs = measure("replies-plain", plain_file)
    log(f"plain import wrote {written()}")
    ratio = (ours["rows"] / ours["seconds"]) / (theirs["rows"] / theirs["seconds"])
    return [
        line("replies, project import (`run_import`)", ours),
        line("replies, plain `ModelResource`", theirs),
        f"| **replies: ratio of the rates** | | | | | **{ratio:.1f}x** | |",
    ]


def bench_large_file(round_: MonitoringRound, args) -> list[str]:
    reset_replies(round_, keep_submissions=False)
    big_file = OUT / "replies_large.csv"
    text_chars = int(args.large_mb * 1_000_000 / args.replies)
    rows = write_csv(big_file, REPLY_COLUMNS, reply_rows(round_, args.replies, text_chars=text_chars))
    ours = measure("replies", big_file, args.profile)
    assert ours["rows"] == rows, (ours, rows)
    reset_replies(round_, keep_submissions=False)
    return [line(f"replies, {ours['mb']:.0f} MB file, project import", ours)]


def bench_follow_ups(round_: MonitoringRound, args) -> list[str]:
    if "follow-ups" not in KINDS or "recommendations" not in KINDS:
        return ["| follow-ups | not measured: the kind follow-ups or recommendations is missing | | | | | |"]
    report = ImplementationReport.objects.get(reference=REPORT)
    _empty(Assessment, FollowUp, Citation, Recommendation, Chapter)  # the report as new
    recommendations_file = OUT / "recommendations.csv"
    rows = recommendation_rows(report, args.recommendations)
    write_csv(recommendations_file, next(rows), rows)
    created = measure("recommendations", recommendations_file)
    follow_ups_file = OUT / "follow_ups.csv"
    total = write_csv(follow_ups_file, FOLLOW_UP_COLUMNS, follow_up_rows(report))
    log(f"{created['rows']:,} recommendations opened {total:,} follow-ups")
    last_history = FollowUp.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    ours = measure("follow-ups", follow_ups_file, args.profile)
    # The statuses and deadlines as before, so that the plain import writes the same rows.
    _empty(Assessment)
    history = FollowUp.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {history} WHERE history_id > %s", [last_history])
    FollowUp.objects.update(assessed_status=AssessedStatus.NOT_ASSESSED, assessed_at=None)
    for urgency in Urgency.values:  # the report's deadlines (no history: the rows are as before)
        follow_ups = FollowUp.objects.filter(recommendation__urgency=urgency)
        follow_ups.update(deadline=report.deadline_for(urgency))
    log("statuses put back")
    plain_file = OUT / "follow_ups_plain.csv"
    plain_rows = itertools.islice(
        plain_follow_up_rows(report, follow_ups_file), args.plain_follow_ups or None
    )
    write_csv(plain_file, ["recommendation", "party", "deadline", "assessed_status"], plain_rows)
    theirs = measure("follow-ups-plain", plain_file)
    ratio = (ours["rows"] / ours["seconds"]) / (theirs["rows"] / theirs["seconds"])
    return [
        line(f"recommendations addressed to all ({total:,} follow-ups created), project import", created),
        line("follow-up statuses, project import (`run_import`)", ours),
        line("follow-up statuses, plain `ModelResource`", theirs),
        f"| **follow-ups: ratio of the rates** | | | | | **{ratio:.1f}x** | |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=20_000)
    parser.add_argument("--recommendations", type=int, default=1_042, help="x 48 Parties = follow-ups")
    parser.add_argument(
        "--plain-replies", type=int, default=5_000, help="replies the plain import takes (0: all)"
    )
    parser.add_argument(
        "--plain-follow-ups", type=int, default=10_000, help="statuses the plain import takes (0: all)"
    )
    parser.add_argument("--large-mb", type=float, default=100, help="size of the file measured for memory")
    parser.add_argument("--only", choices=["replies", "large", "follow-ups"], action="append")
    parser.add_argument("--profile", action="store_true", help="cProfile each project import")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.profile)
        return
    call_command("migrate", verbosity=0)
    services.load_reference_data()
    round_, _officer = build()
    parts = args.only or ["replies", "follow-ups", "large"]
    print(
        f"{connection.vendor}: round {round_.number}, {round_.parties.count()} Parties, "
        f"{round_.questions.count()} questions"
    )
    print("| import | rows | file MB | seconds | CPU s | rows/s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for part, function in (
        ("replies", bench_replies),
        ("follow-ups", bench_follow_ups),
        ("large", bench_large_file),
    ):
        if part in parts:
            for row in function(round_, args):
                print(row, flush=True)
    print(f"({time.perf_counter() - STARTED:.0f} s in all)")


if __name__ == "__main__":
    main()
