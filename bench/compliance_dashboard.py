"""Time the compliance dashboard at the scale of a full implementation report.

Usage (PostgreSQL, as in production):
    createdb -h 127.0.0.1 -U postgres lanzarote_bench_dashboard
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_dashboard
    .venv/bin/python bench/compliance_dashboard.py

Builds (once) a report of 600 recommendations (require, request and invite in turn; one in
three addressed to 12 named Parties, the others to all) over 48 Parties (the 47 reference
Parties and Tunisia): 28,800 follow-ups, those of Parties not named kept as retired (as the
services leave them), and one assessment on about half of the active ones. The data is written
with bulk_create, not through the services, to build it in seconds. The require/request deadline
is past, so the "not in compliance after the deadline" section is as long as it gets.

Then times, over --repeat runs after a warm-up, the dashboard page through the test client as a
Secretariat officer (HTML, CSV, XLSX), the selectors behind it, one recommendation's compliance
report and one Party's profile, each beside its floor (the same SELECTs executed raw, every row
fetched) and the targets of issue 12. Prints a Markdown table for docs/performance.md.
"""

import argparse
import datetime
import random

from common import TABLE_HEADER, measure, prepared_report, signed_in_client, start_django

start_django("bench_dashboard.sqlite3")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from monitoring.models import MonitoringRound  # noqa: E402
from recommendations import compliance  # noqa: E402
from recommendations.models import (  # noqa: E402
    AssessedStatus,
    Assessment,
    Chapter,
    FollowUp,
    ImplementationReport,
    Recommendation,
    Urgency,
)
from secretariat.models import Party, User  # noqa: E402

REFERENCE = "BENCH-DASHBOARD"
RECOMMENDATIONS = 600
CHAPTERS = 10
NAMED = 12  # Parties named by a recommendation that does not address all
URGENCIES = [Urgency.REQUIRE, Urgency.REQUEST, Urgency.INVITE]
ASSESSED = [s for s in AssessedStatus.values if s != AssessedStatus.NOT_ASSESSED]


@transaction.atomic
def build(officer: User) -> ImplementationReport:
    existing = ImplementationReport.objects.filter(reference=REFERENCE).first()
    if existing:
        return existing
    randomness = random.Random(2026)  # reproducible data
    Party.objects.get_or_create(code="TUN", defaults={"name_en": "Tunisia", "name_fr": "Tunisie"})
    parties = list(Party.objects.order_by("code")[:48])
    round_ = MonitoringRound.objects.create(
        number=91,
        theme_en="Bench",
        theme_fr="Banc",
        title_en="Bench round",
        title_fr="Cycle d'essai",
        status=MonitoringRound.Status.FOLLOW_UP,
    )
    round_.parties.set(parties)
    report = ImplementationReport.objects.create(
        round=round_,
        reference=REFERENCE,
        title_en="Bench implementation report",
        title_fr="Rapport de mise en œuvre d'essai",
        adoption_date=datetime.date(2099, 1, 1),  # the newest: the dashboard's default
        deadline_require_request=datetime.date(2024, 1, 1),
        deadline_invite=datetime.date(2099, 12, 31),
        status=ImplementationReport.Status.ADOPTED,
    )
    chapters = Chapter.objects.bulk_create(
        Chapter(report=report, number=f"{n}.", order=n, title_en=f"Chapter {n}", title_fr=f"Chapitre {n}")
        for n in range(1, CHAPTERS + 1)
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            report=report,
            chapter=chapters[n * CHAPTERS // RECOMMENDATIONS],
            number=f"B-{n + 1}",
            order=n + 1,
            urgency=URGENCIES[n % 3],
            addressed_to_all=n % 3 != 1,
            text_en=f"The Committee asks the Parties to take measure {n + 1}. " * 5,
            text_fr=f"Le Comité demande aux Parties de prendre la mesure {n + 1}. " * 5,
        )
        for n in range(RECOMMENDATIONS)
    )
    addressees, follow_ups = [], []
    for rec in recommendations:
        named = set() if rec.addressed_to_all else set(randomness.sample(range(len(parties)), NAMED))
        for index, party in enumerate(parties):
            if index in named:
                addressees.append(Recommendation.addressees.through(recommendation=rec, party=party))
            active = rec.addressed_to_all or index in named
            status = randomness.choice(ASSESSED) if active and randomness.random() < 0.5 else "not_assessed"
            follow_ups.append(
                FollowUp(
                    recommendation=rec,
                    party=party,
                    active=active,
                    assessed_status=status,
                    deadline=report.deadline_for(rec.urgency),
                )
            )
    Recommendation.addressees.through.objects.bulk_create(addressees, batch_size=5000)
    follow_ups = FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
    Assessment.objects.bulk_create(
        (
            Assessment(
                follow_up=follow_up,
                status=follow_up.assessed_status,
                previous_status=AssessedStatus.NOT_ASSESSED,
                reasoning="The Committee considers the measures reported. " * 4,
                assessed_by=officer,
            )
            for follow_up in follow_ups
            if follow_up.assessed_status != AssessedStatus.NOT_ASSESSED
        ),
        batch_size=5000,
    )
    return report


def _get(client: Client, url: str, **params):
    def run():
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
        return response

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    officer, report = prepared_report(build)
    follow_ups = FollowUp.objects.filter(recommendation__report=report)
    late = compliance.non_compliant_after_deadline(user=officer, report=report)
    client = signed_in_client(officer)
    dashboard = reverse("recommendations_dashboard")
    html_size = len(client.get(dashboard).content)
    print(
        f"{connection.vendor}: report {report.reference}, {report.recommendations.count()} recommendations, "
        f"{report.round.parties.count()} Parties, {follow_ups.count()} follow-ups "
        f"({follow_ups.filter(active=True).count()} active), "
        f"{Assessment.objects.filter(follow_up__recommendation__report=report).count()} assessments, "
        f"{sum(len(group.follow_ups) for group in late)} late; dashboard HTML {html_size // 1024} KB; "
        f"{args.repeat} runs each"
    )
    recommendation = report.recommendations.order_by("order").first()
    party = report.round.parties.order_by("name_en").first()
    # name: (operation, target ms), the targets of issue 12 (pages), none for exports and selectors
    cases = {
        "dashboard page, HTML (600 × 48)": (_get(client, dashboard), 200),
        "dashboard export, CSV": (_get(client, dashboard, format="csv"), None),
        "dashboard export, XLSX": (_get(client, dashboard, format="xlsx"), None),
        "dashboard filtered on one chapter and urgency, HTML": (
            _get(
                client,
                dashboard,
                report=report.pk,
                chapter=report.chapters.order_by("order").first().pk,
                urgency="require",
            ),
            200,
        ),
        "compliance_matrix selector": (
            lambda: compliance.compliance_matrix(user=officer, report=report),
            None,
        ),
        "non_compliant_after_deadline selector": (
            lambda: compliance.non_compliant_after_deadline(user=officer, report=report),
            None,
        ),
        "compliance report of one recommendation, HTML": (
            _get(client, reverse("recommendations_compliance_report", args=[recommendation.pk])),
            150,
        ),
        "party profile, HTML (about 450 recommendations addressed)": (
            _get(client, reverse("recommendations_party_profile", args=[party.code])),
            150,
        ),
    }
    print(TABLE_HEADER)
    for name, (function, target) in cases.items():
        print(measure(name, function, args.repeat).row(target, 10 if target else None), flush=True)


if __name__ == "__main__":
    main()
