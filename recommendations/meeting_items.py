"""What the follow-up brings to the Committee's meetings (secretariat/meetings.py): the reports in
preparation to adopt, the Parties late with their follow-up updates, and the decision that adopts a
report (carried out by `services.report_adopt`, in the transaction that records the decision)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, ngettext_lazy

from secretariat import access
from secretariat.meetings import (
    DecisionKind,
    Proposal,
    in_both_languages,
    register_decision_kind,
    register_proposer,
)
from secretariat.models import Decision, Meeting, User

from . import services
from .drafting import left_to_translate
from .models import FollowUp, ImplementationReport, ReportedStatus

IN_PREPARATION = ImplementationReport.Status.IN_PREPARATION
ADOPTED = ImplementationReport.Status.ADOPTED

READY = gettext_lazy("Adoption of the round %(number)s implementation report")
ALL_TRANSLATED = gettext_lazy("Every finding and recommendation is translated.")
LEFT_TO_TRANSLATE = gettext_lazy("Texts left to translate: %(count)s.")
LATE_UPDATES = gettext_lazy(
    "Parties late with their follow-up of the round %(number)s implementation report (%(count)s)"
)
ADOPTED_OUTCOME = ngettext_lazy(
    "Report adopted on %(date)s; %(count)s follow-up opened.",
    "Report adopted on %(date)s; %(count)s follow-ups opened.",
    "count",
)


def report_items(meeting: Meeting, user: User) -> list[Proposal]:
    """One item a report in preparation, its notes saying what is left to translate."""
    proposals = []
    reports = access.scoped(ImplementationReport, user).filter(status=IN_PREPARATION).select_related("round")
    for report in reports.order_by("round__number", "reference"):
        left = left_to_translate(report=report, user=user).count
        # Notes are the Secretariat's working text (no French column): in the language of its page.
        notes = str(LEFT_TO_TRANSLATE % {"count": left} if left else ALL_TRANSLATED)
        proposals.append(
            Proposal(
                "report_ready_for_adoption",
                *in_both_languages(READY, number=report.round.number),
                subject=report,
                notes=notes,
            )
        )
    return proposals


def late_update_items(meeting: Meeting, user: User) -> list[Proposal]:
    """One item an adopted report with Parties past a reporting deadline (on the meeting's first
    day) without an update of their own on the recommendation, naming them in its notes."""
    late = (
        access.scoped(FollowUp, user)
        .filter(
            recommendation__report__status=ADOPTED,
            active=True,
            deadline__lt=meeting.starts_on,
            reported_status=ReportedStatus.NOT_REPORTED,  # set by the State's own update only
        )
        .values("recommendation__report", "party__name_en")  # one row a report and Party
        .distinct()
        .order_by("recommendation__report", "party__name_en")
    )
    by_report: dict[int, list[str]] = {}
    for row in late:
        by_report.setdefault(row["recommendation__report"], []).append(row["party__name_en"])
    reports = access.scoped(ImplementationReport, user).select_related("round").in_bulk(by_report)
    return [
        Proposal(
            "late_updates",
            *in_both_languages(LATE_UPDATES, number=reports[pk].round.number, count=len(parties)),
            subject=reports[pk],
            notes=", ".join(parties),
        )
        for pk, parties in by_report.items()
    ]


def adopt_report(decision: Decision, by: User) -> str:
    """Adopt the item's report on the meeting's first day; a refusal keeps the decision unrecorded."""
    report = decision.item.subject
    if not isinstance(report, ImplementationReport):
        raise ValidationError(gettext_lazy("This item is not about an implementation report."))
    adoption_date = decision.item.meeting.starts_on
    try:
        done = services.report_adopt(report=report, by=by, adoption_date=adoption_date)
    except ValidationError as refusal:
        # The decision's form has none of the service's fields: its messages, as the form's own.
        raise ValidationError(refusal.messages) from refusal
    return str(ADOPTED_OUTCOME % {"date": adoption_date.isoformat(), "count": done["follow_ups"]})


ADOPT_REPORT = DecisionKind(
    "adopt_report", gettext_lazy("Adopt the report"), adopt_report, answers=("report_ready_for_adoption",)
)


def register() -> None:
    register_proposer("report_ready_for_adoption", report_items)
    register_proposer("late_updates", late_update_items)
    register_decision_kind(ADOPT_REPORT)
