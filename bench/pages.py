"""Time every page a user opens, on the heavy data, beside the raw SQL of its rows.

Usage (PostgreSQL, as in production):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench_heavy
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_heavy
    .venv/bin/python bench/pages.py [--repeat N] [--only WORD] [--development]

Builds (each once, shared with the other benches of the same database) the heavy round of
bench/monitoring_round.py (48 Parties x 120 questions, 300-word replies), the 600 x 48 report of
bench/compliance_dashboard.py and the cases of bench/my_work.py. Then requests, through Django's
test client, each page --repeat times after a warm-up: every admin changelist (the admin's
registry, as a Secretariat administrator), the heavy change pages (a State's submission with its
120 replies inline, a follow-up, a recommendation, the round, a Party and its case file), the
compliance dashboard and a Party's profile, every portal page of France's coordinator and every
API list (as a Secretariat officer and as France's coordinator). Beside each: its queries and its
floor, the same SELECTs executed raw through the driver's cursor with every row fetched, and the
ratio; rows over the targets of issue 12 (150 ms, 200 ms for the dashboard; 10x the floor) are
flagged. Pages that do not answer 200 are listed, not timed.

The pages run with the production settings, as a server runs them (DEBUG off; see
common.PRODUCTION_ENVIRONMENT); --development times them with the settings of `.env` (DEBUG on, as
`make run` serves them: the template engine's debug information and the query log cost each page
a few milliseconds more).
"""

import argparse
import os
import sys
import time

from common import (
    PRODUCTION_ENVIRONMENT,
    TABLE_HEADER,
    Measure,
    collect_static_once,
    measure,
    signed_in_client,
    start_django,
)

if "--development" not in sys.argv:
    os.environ.update(PRODUCTION_ENVIRONMENT)
start_django("bench_heavy.sqlite3")

import compliance_dashboard  # noqa: E402
import monitoring_round  # noqa: E402
import my_work  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from monitoring.models import Submission  # noqa: E402
from recommendations.models import FollowUp  # noqa: E402
from secretariat.api.urls import router  # noqa: E402
from secretariat.models import Party, Role, User  # noqa: E402

PAGE_TARGET = 150
DASHBOARD_TARGET = 200
MAX_RATIO = 10


def _user(username: str, role: str, party: Party | None = None) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "party": party})
    return user


def _changelists() -> list[tuple[str, str]]:
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        pages.append((f"{opts.app_label}.{opts.model_name} changelist", url))
    return sorted(pages)


def _api_lists() -> list[tuple[str, str]]:
    return [(f"API {prefix}/", f"/api/v1/{prefix}/") for prefix, _, _ in router.registry]


def page_groups(round_, report, officer: User) -> dict[str, tuple[User, list[tuple[str, str]]]]:
    """The pages to time, by group, each with the user who opens them."""
    fra = Party.objects.get(code="FRA")
    coordinator = _user("bench-coordinator-fra", Role.STATE_COORDINATOR, fra)
    administrator = _user("bench-admin", Role.SECRETARIAT_ADMIN)
    submission = Submission.objects.get(round=round_, party=fra, organisation=None)
    follow_up = (
        FollowUp.objects.filter(recommendation__report=report, party=fra, active=True)
        .exclude(assessed_status="not_assessed")
        .order_by("recommendation__order")
        .first()
    )
    recommendation = follow_up.recommendation
    return {
        "Admin changelists (Secretariat administrator)": (administrator, _changelists()),
        "Admin change pages and tools (Secretariat officer)": (
            officer,
            [
                (
                    "submission change page (France, 120 replies inline)",
                    reverse("admin:monitoring_submission_change", args=[submission.pk]),
                ),
                (
                    "follow-up change page",
                    reverse("admin:recommendations_followup_change", args=[follow_up.pk]),
                ),
                (
                    "recommendation change page",
                    reverse("admin:recommendations_recommendation_change", args=[recommendation.pk]),
                ),
                (
                    "round change page (heavy round)",
                    reverse("admin:monitoring_monitoringround_change", args=[round_.pk]),
                ),
                (
                    "round's state of play (heavy round)",
                    reverse("admin:monitoring_monitoringround_state_of_play", args=[round_.pk]),
                ),
                ("compilation form (heavy round)", reverse("monitoring:compilation", args=[round_.number])),
                ("Party change page (France)", reverse("admin:secretariat_party_change", args=[fra.pk])),
                ("Party case file (France)", reverse("admin:secretariat_party_case_file", args=[fra.pk])),
                ("compliance dashboard (600 × 48)", reverse("recommendations_dashboard")),
                ("Party profile (France)", reverse("recommendations_party_profile", args=[fra.code])),
                (
                    "compliance report of one recommendation",
                    reverse("recommendations_compliance_report", args=[recommendation.pk]),
                ),
                ("My work (admin home), everyone's", reverse("admin:index") + "?scope=everyone"),
            ],
        ),
        "Portal (France's coordinator)": (
            coordinator,
            [
                ("portal home", reverse("portal:home")),
                (
                    "questionnaire (heavy round, 120 replies)",
                    reverse("portal:questionnaire", args=[round_.number]),
                ),
                (
                    "submission history (heavy round)",
                    reverse("portal:submission_history", args=[round_.number]),
                ),
                ("documents", reverse("portal:documents")),
                ("follow-up list", reverse("follow_up:list")),
                ("follow-up detail", reverse("follow_up:detail", args=[follow_up.pk])),
                ("notifications", "/portal/notifications/"),
                ("notification preferences", "/portal/notifications/preferences/"),
                ("practices search", reverse("factsheets:practices")),
            ],
        ),
        "API lists (Secretariat officer)": (officer, _api_lists()),
        "API lists (France's coordinator)": (coordinator, _api_lists()),
    }


def prepare():
    """The heavy round, the 600 x 48 report and the cases, each built once; fresh statistics.

    Returns the round, the report and the Secretariat officer."""
    round_, officer = monitoring_round.prepare("heavy")
    report = compliance_dashboard.build(officer)
    my_work.build(officer, report)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics after the bulk loads (both databases know it)
    return round_, report, officer


def _get(client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    parser.add_argument("--development", action="store_true", help="the settings of .env (DEBUG on)")
    args = parser.parse_args()
    round_, report, officer = prepare()
    collect_static_once()
    print(
        f"{connection.vendor}, {time.strftime('%Y-%m-%d')}: heavy round {round_.number} and report "
        f"{report.reference}; {'development' if args.development else 'production'} settings "
        f"(DEBUG {'on' if settings.DEBUG else 'off'}); {args.repeat} requests a page after a warm-up; "
        f"targets {PAGE_TARGET} ms "
        f"({DASHBOARD_TARGET} ms for the dashboard) and {MAX_RATIO}× the floor"
    )
    failures = []
    for group, (user, pages) in page_groups(round_, report, officer).items():
        client = signed_in_client(user)
        print(f"\n{group}\n\n{TABLE_HEADER}")
        for name, url in pages:
            if args.only.lower() not in name.lower():
                continue
            status = client.get(url).status_code
            if status != 200:
                failures.append(f"{group}: {name} ({url}) answered {status}")
                continue
            result: Measure = measure(name, _get(client, url), args.repeat)
            target = DASHBOARD_TARGET if "dashboard" in name else PAGE_TARGET
            print(result.row(target, MAX_RATIO), flush=True)
    if failures:
        print("\nNot timed:\n" + "\n".join(f"- {failure}" for failure in failures))


if __name__ == "__main__":
    main()
