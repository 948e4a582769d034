"""Round 2's implementation report, its 19 co-operation recommendations and the promising practices."""

import datetime

from django.db import transaction

from monitoring.models import MonitoringRound
from secretariat.services import FIXTURES_DIR

from . import imports
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


@transaction.atomic
def load_report_2() -> list[str]:
    """Create the report of round 2 with its recommendations and the practices, once."""
    lines = []
    round_ = MonitoringRound.objects.get(number=2)
    report, _ = ImplementationReport.objects.get_or_create(
        round=round_, reference=REPORT_2["reference"], defaults=REPORT_2
    )
    if not report.recommendations.exists():
        text = (FIXTURES_DIR / "recommendations_round2_cooperation.csv").read_text(encoding="utf-8")
        result = imports.import_recommendations(
            report=report, text=text, default_themes=("international-cooperation",)
        )
        lines.append("Recommendations: " + result.summary())
    if not Practice.objects.exists():
        text = (FIXTURES_DIR / "practices.csv").read_text(encoding="utf-8")
        lines.append("Promising practices: " + imports.import_practices(text=text).summary())
    return lines
