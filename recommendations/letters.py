"""The placeholders that letters about a follow-up may use (secretariat.correspondence): its
implementation report. Registered from RecommendationsConfig.ready()."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from secretariat.correspondence import register_placeholders
from secretariat.models import Case, localized

from .models import ImplementationReport

FOLLOW_UP_CASE = "follow_up"

PLACEHOLDERS = {
    "report": _("the implementation report's title (letters about a follow-up)"),
    "report_reference": _("the implementation report's reference (letters about a follow-up)"),
}


def fill(case: Case) -> Mapping[str, str]:
    report = case.subject
    if not isinstance(report, ImplementationReport):
        return {}
    return {"report": localized(report, "title"), "report_reference": report.reference}


def register() -> None:
    register_placeholders(FOLLOW_UP_CASE, PLACEHOLDERS, fill)
