"""Round 2 of the monitoring, its questionnaire and the Russian Federation's replies, for the demo."""

import datetime

from django.db import transaction

from secretariat.demo import loader
from secretariat.imports import open_source, run_import
from secretariat.models import User
from secretariat.services import FIXTURES_DIR

from . import participation_demo
from .models import MonitoringRound

ROUND_2 = {
    "theme_en": "Protection of children against sexual exploitation and sexual abuse facilitated by "
    "information and communication technologies (ICTs)",
    "theme_fr": "Protection des enfants contre l'exploitation et les abus sexuels facilités par les "
    "technologies de l'information et de la communication (TIC)",
    "title_en": "Addressing the challenges raised by child self-generated sexual images and/or videos",
    "title_fr": "Relever les défis posés par les images et/ou vidéos sexuelles autoproduites par des enfants",
    "launch_date": datetime.date(2017, 6, 16),
    "reply_deadline": datetime.date(2017, 10, 1),
    "status": MonitoringRound.Status.COLLECTING,
}


@loader(order=10)
@transaction.atomic
def load_round_2(*, by: User) -> list[str]:
    """Create round 2 with its questionnaire and the Russian Federation's registered replies, once."""
    lines = []
    round, created = MonitoringRound.objects.get_or_create(number=2, defaults=ROUND_2)
    if created:
        round.parties.set(MonitoringRound.default_parties())
        lines.append(f"Round 2 created with {round.parties.count()} participating Parties")
    # Imported as the Secretariat imports them, each file once: a demo database where someone
    # has since edited a question or a reply keeps its edits.
    if not round.questions.exists():
        report = run_import(
            "questionnaire",
            open_source(FIXTURES_DIR / "questionnaire_round2.csv"),
            user=by,
            options={"round": 2},
        )
        lines.append("Questionnaire: " + report.summary())
    if not round.submissions.filter(party__code="RUS").exists():
        report = run_import(
            "replies", open_source(FIXTURES_DIR / "replies_round2_RUS.csv"), user=by, options={"round": 2}
        )
        lines.append("Russian Federation: " + report.summary())
    return lines


@loader(order=15)
@transaction.atomic
def load_children_views(*, by: User) -> list[str]:
    """Two fictional child participation contributions to round 2 (participation_demo.py)."""
    return participation_demo.load(by=by)
