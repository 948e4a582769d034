"""Demo: a compliance report in preparation on round 2's recommendation V-2, whose adoption meeting
48's agenda proposes (its notes name the Parties still to assess: the decision is refused until
they are)."""

from secretariat.models import User

from .compliance_reports import compliance_report_prepare
from .models import ComplianceReport, Recommendation

CONCLUSIONS_EN = (
    "Both Parties concerned reported measures to designate a contact point for international "
    "co-operation; the Committee awaits evidence that the contact points are operational."
)
CONCLUSIONS_FR = (
    "Les deux Parties concernées ont fait état de mesures pour désigner un point de contact pour la "
    "coopération internationale ; le Comité attend la preuve que ces points de contact fonctionnent."
)


def load_compliance_report(*, by: User) -> list[str]:
    """Prepared once: loading the demo again leaves it as it is."""
    from .demo import REPORT_2

    recommendation = Recommendation.objects.get(report__reference=REPORT_2["reference"], number="V-2")
    if not ComplianceReport.objects.filter(recommendation=recommendation).exists():
        compliance_report_prepare(
            recommendation=recommendation, by=by, text_en=CONCLUSIONS_EN, text_fr=CONCLUSIONS_FR
        )
    return [f"Compliance report in preparation on recommendation {recommendation.number}"]
