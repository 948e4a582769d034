"""The placeholders that letters about a submission may use (secretariat.correspondence): its round
and deadline. Registered from MonitoringConfig.ready()."""

from collections.abc import Mapping

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from secretariat.correspondence import format_date, register_placeholders
from secretariat.models import Case, localized

from .models import Submission

SUBMISSION_CASE = "submission"

PLACEHOLDERS = {
    "round": _("the monitoring round's title (letters about a submission)"),
    "round_number": _("the monitoring round's number (letters about a submission)"),
    "reply_deadline": _("the submission's deadline (letters about a submission)"),
}


def fill(case: Case) -> Mapping[str, str]:
    submission = case.subject
    if not isinstance(submission, Submission):
        return {}
    return {
        "round": localized(submission.round, "title"),
        "round_number": str(submission.round.number),
        "reply_deadline": format_date(submission.effective_deadline, get_language() or "en"),
    }


def register() -> None:
    register_placeholders(SUBMISSION_CASE, PLACEHOLDERS, fill)
