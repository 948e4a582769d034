"""Round 2's implementation report, its 19 co-operation recommendations and the promising practices."""

import datetime

from django.db import transaction

from monitoring.models import MonitoringRound
from secretariat.demo import loader
from secretariat.imports import open_source, run_import
from secretariat.models import User
from secretariat.services import FIXTURES_DIR

from .models import ImplementationReport, Practice

# The reference is a local code: the seed documents do not give the report's official one.
REPORT_2 = {
    "reference": "LC-R2-IMPLEMENTATION-REPORT",
    "title_en": (
        "Implementation report: the protection of children against sexual exploitation and sexual "
        "abuse facilitated by ICTs – addressing the challenges raised by child self-generated sexual "
        "images and/or videos"
    ),
    "title_fr": (
        "Rapport de mise en œuvre : la protection des enfants contre l'exploitation et les abus "
        "sexuels facilités par les TIC – relever les défis posés par les images et/ou vidéos "
        "sexuelles autoproduites par des enfants"
    ),
    "adoption_date": datetime.date(2022, 3, 10),
    "deadline_require_request": datetime.date(2024, 3, 10),
    "deadline_invite": datetime.date(2025, 3, 10),
}


# Until December 2026 the practices named their source by the seed's file name: a database loaded
# then has them under those names, which the file's rows (keyed by title and source) would not find.
OLD_SOURCE_NAMES = {
    "001_61abcd470261e445.txt": (
        "Council of Europe, Member state responses to prevent and combat online child sexual "
        "exploitation and abuse: baseline mapping"
    ),
    "003_439bdb46cbe148c3.txt": "Lanzarote Committee, Factsheet – International co-operation",
    "004_1822bbb15b1f3371.txt": (
        "ECPAT France and ECPAT Luxembourg, Online child sexual abuse and exploitation: current forms "
        "and good practice for prevention and protection (2017)"
    ),
}


def _rename_practice_sources() -> None:
    """Give the demo practices loaded before December 2026 their sources' names, so that loading the
    demo again updates them instead of adding them a second time."""
    for old, new in OLD_SOURCE_NAMES.items():
        for practice in Practice.objects.filter(source__startswith=old):
            practice.source = new + practice.source[len(old) :]
            practice._change_reason = "demo practices: the source named by its document"
            practice.save(update_fields=["source"])


@transaction.atomic
def load_report_2() -> list[str]:
    """Create the report of round 2 and import its recommendations and the practices.

    The imports leave what is already there unchanged, so loading the demo twice changes nothing.
    """
    round_ = MonitoringRound.objects.get(number=2)
    ImplementationReport.objects.get_or_create(
        # The Committee adopted it in 2022: its recommendations are followed up.
        round=round_,
        reference=REPORT_2["reference"],
        defaults={**REPORT_2, "status": ImplementationReport.Status.ADOPTED},
    )
    recommendations = run_import(
        "recommendations",
        open_source(FIXTURES_DIR / "recommendations_round2_cooperation.csv"),
        # The file has no themes column: the co-operation chapter's recommendations share this theme.
        options={"report": REPORT_2["reference"], "themes": "international-cooperation"},
    )
    _rename_practice_sources()
    practices = run_import("practices", open_source(FIXTURES_DIR / "practices.csv"))
    return [f"Recommendations: {recommendations.summary()}", f"Promising practices: {practices.summary()}"]


@loader(order=20)
def load(*, by: User) -> list[str]:
    """The report of round 2 with its recommendations and the practices, then the co-operation factsheet."""
    from .factsheet_demo import load_cooperation_factsheet  # it reads this module's REPORT_2

    return [*load_report_2(), *load_cooperation_factsheet()]


@loader(order=30)
def load_draft(*, by: User) -> list[str]:
    """The co-operation chapter as a report in preparation (after the replies it cites)."""
    from .drafting_demo import load_draft_report

    return load_draft_report(by=by)


@loader(order=40)
def load_escalation(*, by: User) -> list[str]:
    """An escalation step under way (before the meetings, whose agenda proposes the next one)."""
    from .drafting_demo import load_escalation

    return load_escalation(by=by)


@loader(order=45)
def load_compliance_report(*, by: User) -> list[str]:
    """A compliance report in preparation, whose adoption meeting 48's agenda proposes."""
    from .compliance_demo import load_compliance_report

    return load_compliance_report(by=by)


@loader(order=90)
def load_queue(*, by: User) -> list[str]:
    """The demo officers' queue of cases (after every record the cases are made of)."""
    from .demo_queue import load_work_queue  # it reads this module's REPORT_2

    return load_work_queue(by=by)
