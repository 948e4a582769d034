"""What the follow-up brings to the Committee's meetings (secretariat/meetings.py): the reports in
preparation to adopt, the Parties late with their follow-up updates, the decision that adopts a
report (carried out by `services.report_adopt`, in the transaction that records the decision, with
the reason for adopting it with texts left to translate) and the decision that closes follow-ups
(`services.follow_up_close`, the follow-ups chosen among the item's report's or Party's)."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext_lazy, ngettext_lazy

from secretariat import access
from secretariat.meetings import (
    DecisionKind,
    Proposal,
    in_both_languages,
    register_decision_kind,
    register_proposer,
)
from secretariat.models import AgendaItem, Decision, Meeting, User

from . import services
from .drafting import left_to_translate
from .models import FollowUp, ImplementationReport, Recommendation, ReportedStatus

IN_PREPARATION = ImplementationReport.Status.IN_PREPARATION
ADOPTED = ImplementationReport.Status.ADOPTED

READY = gettext_lazy("Adoption of the round %(number)s implementation report")
ALL_TRANSLATED = gettext_lazy("Every title, finding and recommendation is translated.")
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
            closed_on__isnull=True,  # closed by the Committee: nothing more is asked
            deadline__lt=meeting.starts_on,
            reported_status=ReportedStatus.NOT_REPORTED,  # set by the State's own update only
        )
        .values_list("recommendation__report", "party__name_en", "party__name_fr")  # a report and Party
        .distinct()
        .order_by("recommendation__report", "party__name_en")
    )
    # Notes are the Secretariat's working text (no French column): names in its page's language.
    french = (translation.get_language() or "en").startswith("fr")
    by_report: dict[int, list[str]] = {}
    for report_id, name_en, name_fr in late:
        by_report.setdefault(report_id, []).append((name_fr or name_en) if french else name_en)
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


OVERRIDE_REASON = gettext_lazy("Reason for adopting with texts left to translate")
OVERRIDE_SUMMARY = gettext_lazy("Adopted with texts left to translate: %(reason)s")


def adopt_report_fields(item: AgendaItem, user: User) -> dict[str, forms.Field]:
    return {
        "override_reason": forms.CharField(
            label=OVERRIDE_REASON,
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=gettext_lazy(
                "Only if the Committee adopts the report before every text is translated."
            ),
        )
    }


def adopt_report(decision: Decision, by: User) -> str:
    """Adopt the item's report on the meeting's first day, with the reason for adopting it with
    texts left to translate if the decision gives one; a refusal keeps the decision unrecorded."""
    report = decision.item.subject
    if not isinstance(report, ImplementationReport):
        raise ValidationError(gettext_lazy("This item is not about an implementation report."))
    adoption_date = decision.item.meeting.starts_on
    reason = decision.details.get("override_reason", "")
    try:
        done = services.report_adopt(
            report=report, by=by, adoption_date=adoption_date, override_reason=reason
        )
    except ValidationError as refusal:
        # Said on the decision's own field (the reason), or above the form.
        if hasattr(refusal, "error_dict") and set(refusal.error_dict) <= {"override_reason"}:
            raise
        raise ValidationError(refusal.messages) from refusal
    return str(ADOPTED_OUTCOME % {"date": adoption_date.isoformat(), "count": done["follow_ups"]})


def adopt_report_summary(decision: Decision) -> str:
    reason = decision.details.get("override_reason", "")
    return str(OVERRIDE_SUMMARY % {"reason": reason}) if reason else ""


ADOPT_REPORT = DecisionKind(
    "adopt_report",
    gettext_lazy("Adopt the report"),
    adopt_report,
    answers=("report_ready_for_adoption",),
    fields=adopt_report_fields,
    summary=adopt_report_summary,
)


# --- closing follow-ups -------------------------------------------------------------------------

CLOSED = gettext_lazy("Closed on %(date)s")
CLOSED_BY_MEETING = gettext_lazy("Closed on %(date)s by decision of meeting %(meeting)s")
CLOSED_OUTCOME = ngettext_lazy(
    "%(count)s follow-up closed: %(follow_ups)s.", "%(count)s follow-ups closed: %(follow_ups)s.", "count"
)
CLOSED_SUMMARY = ngettext_lazy("%(count)s follow-up closed.", "%(count)s follow-ups closed.", "count")
#: what a page selects to print `closing_note` at no extra query
CLOSING_RELATED = "closing_decision__item__meeting"


def closing_note(follow_up: FollowUp) -> str:
    """ "Closed on 8 March 2027 by decision of meeting 47" ("" while open), in the active language."""
    if follow_up.closed_on is None:
        return ""
    date = formats.date_format(follow_up.closed_on, "DATE_FORMAT")
    decision = follow_up.closing_decision
    if decision is None:
        return str(CLOSED % {"date": date})
    return str(CLOSED_BY_MEETING % {"date": date, "meeting": decision.item.meeting.number})


def closable_follow_ups(item: AgendaItem, user: User) -> QuerySet:
    """The open follow-ups a decision on `item` may close, as `user` sees them: those of the item's
    report (or recommendation, or compliance report's recommendation), of its Party if it names
    one; none for an item naming neither."""
    follow_ups = access.scoped(FollowUp, user).filter(active=True, closed_on__isnull=True)
    subject = item.subject if item.subject_id is not None else None
    recommendation = (
        subject if isinstance(subject, Recommendation) else getattr(subject, "recommendation", None)
    )
    if isinstance(subject, ImplementationReport):
        follow_ups = follow_ups.filter(Q(recommendation__report=subject) | Q(carried_into=subject))
    elif isinstance(recommendation, Recommendation):
        follow_ups = follow_ups.filter(recommendation=recommendation)
    elif item.party_id is None:
        return follow_ups.none()
    if item.party_id is not None:
        follow_ups = follow_ups.filter(party=item.party_id)
    return follow_ups.select_related("recommendation", "party").order_by(
        "recommendation__report_id", "recommendation__order", "recommendation_id", "party__name_en"
    )


class FollowUpChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FollowUp) -> str:
        return f"{obj.recommendation.number} – {obj.party}"


def close_follow_ups_fields(item: AgendaItem, user: User) -> dict[str, forms.Field]:
    return {
        "follow_ups": FollowUpChoice(
            queryset=closable_follow_ups(item, user),
            label=gettext_lazy("follow-ups to close"),
            widget=FilteredSelectMultiple(gettext_lazy("follow-ups"), is_stacked=False),
            help_text=gettext_lazy("The open follow-ups of the item's report or Party."),
        )
    }


def close_follow_ups(decision: Decision, by: User) -> str:
    """Close the follow-ups the decision chose, on the meeting's first day, naming the decision."""
    item = decision.item
    chosen = list(closable_follow_ups(item, by).filter(pk__in=decision.details.get("follow_ups", [])))
    if not chosen:
        raise ValidationError({"follow_ups": gettext_lazy("Choose the follow-ups to close.")})
    for follow_up in chosen:
        services.follow_up_close(
            follow_up=follow_up, by=by, closed_on=item.meeting.starts_on, decision=decision
        )
    names = ", ".join(f"{follow_up.recommendation.number} – {follow_up.party}" for follow_up in chosen)
    return str(CLOSED_OUTCOME % {"count": len(chosen), "follow_ups": names})


def close_follow_ups_summary(decision: Decision) -> str:
    return str(CLOSED_SUMMARY % {"count": len(decision.details.get("follow_ups", []))})


CLOSE_FOLLOW_UPS = DecisionKind(
    "close_follow_ups",
    gettext_lazy("Close follow-ups"),
    close_follow_ups,
    fields=close_follow_ups_fields,
    summary=close_follow_ups_summary,
)


def register() -> None:
    register_proposer("report_ready_for_adoption", report_items)
    register_proposer("late_updates", late_update_items)
    register_decision_kind(ADOPT_REPORT)
    register_decision_kind(CLOSE_FOLLOW_UPS)
