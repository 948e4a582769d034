"""Time a whole-round compilation and a search at the Secretariat's real scale.

Usage (PostgreSQL, as in production):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench
    .venv/bin/python bench/monitoring_round.py

Builds (once) round 90 with 48 Parties x 120 questions: one registered reply block per Party
and question, texts taken in turn from the Russian Federation's real replies (fixtures/), so
lengths are realistic (median ~400 characters, up to 2,450), plus 12 stakeholders' comments.
Then times, over --repeat runs: the whole-round compilation built and rendered to HTML and to
DOCX, one question's compilation, and a full-text search. Prints a Markdown table for
docs/performance.md.
"""

import argparse
import csv

from common import ROOT, bench_round, start_django, timed

start_django("bench.sqlite3")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from monitoring import compilation, search  # noqa: E402
from monitoring.models import MonitoringRound, Reply, Submission  # noqa: E402
from secretariat import services  # noqa: E402
from secretariat.models import Organisation, Role, User  # noqa: E402

ROUND_NUMBER = 90
QUESTIONS = 120


def _texts() -> list[str]:
    with (ROOT / "fixtures" / "replies_round2_RUS.csv").open(encoding="utf-8") as file:
        return [row["text"] for row in csv.DictReader(file)]


@transaction.atomic
def build(officer: User) -> MonitoringRound:
    existing = MonitoringRound.objects.filter(number=ROUND_NUMBER).first()
    if existing:
        return existing
    round_, parties, questions = bench_round(
        ROUND_NUMBER, "Bench round", "Cycle d'essai", MonitoringRound.Status.ANALYSIS
    )
    texts = _texts()
    submissions = Submission.objects.bulk_create(
        Submission(round=round_, party=party, status=Submission.Status.REGISTERED, registered_by=officer)
        for party in parties
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench NGO {i}", kind="ngo", party=parties[i]) for i in range(12)
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
    replies, links = [], []
    for s_index, submission in enumerate(submissions):
        answered = questions if submission.organisation_id is None else questions[::6]
        for q_index, question in enumerate(answered):
            replies.append(
                Reply(
                    submission=submission,
                    order=q_index,
                    language="fr" if s_index % 5 == 0 else "en",
                    text=texts[(s_index + q_index) % len(texts)],
                )
            )
            links.append(question)
    replies = Reply.objects.bulk_create(replies, batch_size=2000)
    Reply.questions.through.objects.bulk_create(
        (
            Reply.questions.through(reply=reply, question=question)
            for reply, question in zip(replies, links, strict=True)
        ),
        batch_size=5000,
    )
    return round_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    services.load_reference_data()
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.SECRETARIAT_OFFICER}
    )
    round_ = build(officer)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production; without them the planner
        # ignores the full-text indexes after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    replies = Reply.objects.filter(submission__round=round_)
    print(
        f"{connection.vendor}: round {round_.number}, {round_.parties.count()} Parties, "
        f"{round_.questions.count()} questions, {replies.count()} replies "
        f"({sum(len(t) for t in replies.values_list('text', flat=True)) // 1_000_000} MB of text); "
        f"{args.repeat} runs each"
    )

    def whole_round():
        return compilation.compile_replies(round=round_, user=officer)

    cases = {
        "whole-round compilation, built": whole_round,
        "whole-round compilation, HTML": lambda: compilation.render_html(whole_round()),
        "whole-round compilation, DOCX": lambda: compilation.render_docx(whole_round()),
        "one-question compilation (Q16), HTML": lambda: compilation.render_html(
            compilation.compile_replies(round=round_, question_ref="16", user=officer)
        ),
        "search “coopération” (French stemming on PostgreSQL)": lambda: list(
            search.search_replies(user=officer, query="coopération", round=round_)[:50]
        ),
        "search “cooperation” in one Party": lambda: list(
            search.search_replies(
                user=officer, query="cooperation", round=round_, party=round_.parties.first()
            )[:50]
        ),
    }
    print("| operation | median ms | worst ms | queries |")
    print("|---|---|---|---|")
    for name, function in cases.items():
        median, worst, queries = timed(function, args.repeat)
        print(f"| {name} | {median:.0f} | {worst:.0f} | {queries} |")


if __name__ == "__main__":
    main()
