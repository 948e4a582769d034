"""Time My work (the admin's home page) at the scale of a full implementation report.

Usage (PostgreSQL, as in production; SQLite in var/bench_dashboard.sqlite3 without the variable):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench_dashboard
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_dashboard
    .venv/bin/python bench/my_work.py

Reuses the compliance dashboard's data (bench/compliance_dashboard.py: 48 Parties x 600
recommendations, 28,800 follow-ups) and adds, once: every Party's submission in the report's
round (a third sent, a third returned, a third still drafts past the deadline), an update sent
by a third of the Parties and a request for information left unanswered by another third; then
brings every case in step (`cases.sync_all`) and gives a third of them to the officer. Times, over
--repeat runs after a warm-up, the admin's home page for each scope and the selector behind it.
"""

import argparse
import datetime

import compliance_dashboard
from common import timed
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from monitoring.models import Submission
from recommendations.models import FollowUp, FollowUpUpdate
from secretariat import cases, services, work
from secretariat.models import Case, Role, User


@transaction.atomic
def build(officer: User, report) -> None:
    if Case.objects.exists():
        return
    round_ = report.round
    statuses = [Submission.Status.SUBMITTED, Submission.Status.RETURNED, Submission.Status.DRAFT]
    parties = list(round_.parties.order_by("code"))
    Submission.objects.bulk_create(
        Submission(round=round_, party=party, status=statuses[i % 3], deadline=datetime.date(2024, 1, 1))
        for i, party in enumerate(parties)
    )
    author, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"role": Role.STATE_COORDINATOR, "party": parties[0]}
    )
    updates = []
    for i, party in enumerate(parties):
        if i % 3 == 2:
            continue
        follow_up = FollowUp.objects.filter(recommendation__report=report, party=party, active=True).first()
        requested = i % 3 == 1
        updates.append(
            FollowUpUpdate(
                follow_up=follow_up,
                author=author,
                text="Measures taken.",
                reported_status="in_progress",
                status=FollowUpUpdate.Status.MORE_INFORMATION
                if requested
                else FollowUpUpdate.Status.SUBMITTED,
                information_due=datetime.date(2025, 1, 1) if requested else None,
            )
        )
    FollowUpUpdate.objects.bulk_create(updates)
    cases.sync_all(by=officer)
    cases.assign(list(Case.objects.order_by("pk")[::3]), handler=officer, by=officer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    services.load_reference_data()
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.SECRETARIAT_OFFICER}
    )
    report = compliance_dashboard.build(officer)
    build(officer, report)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # force_login gives no second factor: the benchmark measures the page, not the sign-in.
    settings.MFA_REQUIRED = False
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    home = reverse("admin:index")
    print(
        f"{connection.vendor}: {FollowUp.objects.count()} follow-ups, {Case.objects.count()} cases "
        f"({Case.objects.filter(handler=officer).count()} the officer's), {args.repeat} runs each"
    )

    def page(scope):
        def run():
            response = client.get(home, {"scope": scope})
            assert response.status_code == 200, response.status_code

        return run

    operations = {
        "My work page, mine": page("mine"),
        "My work page, unassigned": page("unassigned"),
        "My work page, everyone's": page("everyone"),
        "items_for + counts selectors, everyone's": lambda: (
            work.items_for(officer, "everyone"),
            work.counts(officer, "everyone"),
        ),
    }
    print("| operation | median ms | worst ms | queries |")
    print("|---|---|---|---|")
    for name, function in operations.items():
        median, worst, queries = timed(function, args.repeat)
        print(f"| {name} | {median:.0f} | {worst:.0f} | {queries} |")


if __name__ == "__main__":
    main()
