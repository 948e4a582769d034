"""Round 2 of the monitoring, its questionnaire and the Russian Federation's replies, for the demo."""

import datetime

from django.db import transaction

from secretariat.models import User
from secretariat.services import FIXTURES_DIR

from . import imports
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


@transaction.atomic
def load_round_2(*, by: User) -> list[str]:
    """Create round 2 with its questionnaire and the Russian Federation's registered replies, once."""
    lines = []
    round, created = MonitoringRound.objects.get_or_create(number=2, defaults=ROUND_2)
    if created:
        round.parties.set(MonitoringRound.default_parties())
        lines.append(f"Round 2 created with {round.parties.count()} participating Parties")
    if not round.questions.exists():
        text = (FIXTURES_DIR / "questionnaire_round2.csv").read_text(encoding="utf-8")
        lines.append("Questionnaire: " + imports.import_questionnaire(round=round, text=text).summary())
    if not round.submissions.filter(party__code="RUS").exists():
        text = (FIXTURES_DIR / "replies_round2_RUS.csv").read_text(encoding="utf-8")
        lines.append("Russian Federation: " + imports.import_replies(round=round, text=text, by=by).summary())
    return lines
