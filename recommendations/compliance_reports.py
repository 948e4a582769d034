"""The Committee's compliance reports: one per recommendation, covering every Party it addresses.

The Secretariat prepares a report on a recommendation of an adopted report (one in preparation at a
time, `compliance_report_prepare`), writes its conclusions in English and French
(`compliance_report_save`), and the Committee adopts it (`compliance_report_adopt`), from a meeting's
decision (the decision kind `adopt_compliance_report`, answering the proposer
`compliance_reports_due`) or from the report's admin page. Adoption takes a snapshot of each
addressed Party's assessed status into `statuses` and freezes the report; it is refused while a
Party's follow-up is not yet assessed. States read adopted reports only (the row rule of
`ComplianceReport` in recommendations/access.py).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import access
from secretariat.history import set_author
from secretariat.meetings import (
    DecisionKind,
    Proposal,
    in_both_languages,
    register_decision_kind,
    register_proposer,
)
from secretariat.models import Decision, Meeting, Party, User, localized

from .access import may_adopt_compliance_report, may_edit_compliance_report, may_prepare_compliance_report
from .models import AssessedStatus, ComplianceReport, FollowUp, ImplementationReport, Recommendation

IN_PREPARATION = ComplianceReport.Status.IN_PREPARATION
ADOPTED = ComplianceReport.Status.ADOPTED


# --- the services -----------------------------------------------------------------------------------


@transaction.atomic
def compliance_report_prepare(
    *, recommendation: Recommendation, by: User, text_en: str = "", text_fr: str = ""
) -> ComplianceReport:
    """Open a compliance report on `recommendation`; refused while another is in preparation and on
    a recommendation of a report not adopted."""
    if not may_prepare_compliance_report(by):
        raise PermissionDenied(_("Only the Secretariat prepares compliance reports."))
    # The recommendation's row is the lock: two requests preparing a report on it take turns.
    current = Recommendation.objects.select_for_update().select_related("report").get(pk=recommendation.pk)
    if not may_prepare_compliance_report(by, current):
        raise ValidationError(_("A compliance report is prepared on a recommendation of an adopted report."))
    if ComplianceReport.objects.filter(recommendation=current, status=IN_PREPARATION).exists():
        raise ValidationError(_("This recommendation already has a compliance report in preparation."))
    report = ComplianceReport(recommendation=current, text_en=text_en, text_fr=text_fr)
    try:
        with transaction.atomic():
            set_author(report, by, "prepared").save()
    except IntegrityError as clash:  # one_compliance_report_in_preparation, should the lock be bypassed
        raise ValidationError(
            _("This recommendation already has a compliance report in preparation.")
        ) from clash
    return report


@transaction.atomic
def compliance_report_save(
    *, report: ComplianceReport, by: User, text_en: str, text_fr: str
) -> ComplianceReport:
    """Write the conclusions of a report in preparation; an adopted report is frozen."""
    if not may_edit_compliance_report(by):
        raise PermissionDenied(_("Only the Secretariat writes compliance reports."))
    current = ComplianceReport.objects.select_for_update().get(pk=report.pk)
    if not may_edit_compliance_report(by, current):
        raise ValidationError(_("This compliance report is adopted: it can no longer change."))
    current.text_en, current.text_fr = text_en, text_fr
    set_author(current, by).save(update_fields=["text_en", "text_fr"])
    report.text_en, report.text_fr = current.text_en, current.text_fr
    report.translation_en, report.translation_fr = current.translation_en, current.translation_fr
    return current


def _addressed_follow_ups(recommendation_id: int) -> list[FollowUp]:
    """The recommendation's follow-ups of the Parties it addresses, locked until the adoption ends
    (an assessment recorded meanwhile waits, so the snapshot is the statuses as adopted)."""
    follow_ups = FollowUp.objects.select_for_update().filter(recommendation=recommendation_id, active=True)
    return list(follow_ups.select_related("party").order_by("pk"))


@transaction.atomic
def compliance_report_adopt(
    *, report: ComplianceReport, by: User, adopted_on: datetime.date, decision: Decision | None = None
) -> ComplianceReport:
    """Adopt a report in preparation, all or nothing: the assessed status of each addressed Party's
    follow-up into `statuses`, the status, the day and the decision. Refused for a report already
    adopted, without conclusions, or while a Party's follow-up is not yet assessed."""
    if not may_adopt_compliance_report(by):
        raise PermissionDenied(_("Only the Secretariat records the adoption of a compliance report."))
    current = ComplianceReport.objects.select_for_update().select_related("recommendation").get(pk=report.pk)
    if current.is_adopted:
        raise ValidationError(_("This compliance report is already adopted."))
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("Give the date of the adoption.")})
    if not (current.text_en.strip() or current.text_fr.strip()):
        raise ValidationError(_("Write the conclusions of the compliance report before its adoption."))
    follow_ups = _addressed_follow_ups(current.recommendation_id)
    if not follow_ups:
        raise ValidationError(_("The recommendation addresses no Party: there is nothing to report on."))
    unassessed = sorted(f.party.name for f in follow_ups if f.assessed_status == AssessedStatus.NOT_ASSESSED)
    if unassessed:
        raise ValidationError(
            _("Assess the follow-up of every Party concerned first; not yet assessed: %(parties)s.")
            % {"parties": ", ".join(unassessed)}
        )
    current.statuses = {str(follow_up.party_id): follow_up.assessed_status for follow_up in follow_ups}
    current.status, current.adopted_on, current.decision = ADOPTED, adopted_on, decision
    set_author(current, by, "adopted").save(update_fields=["statuses", "status", "adopted_on", "decision"])
    for name in ("statuses", "status", "adopted_on", "decision"):
        setattr(report, name, getattr(current, name))
    return current


# --- reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyStatus:
    """A Party's status in a compliance report: live while in preparation, as adopted afterwards."""

    party: Party
    status: str

    @property
    def label(self) -> str:
        return str(AssessedStatus(self.status).label) if self.status in AssessedStatus.values else self.status


def party_statuses(report: ComplianceReport, user: User) -> list[PartyStatus]:
    """Each Party's status in `report`, by English name: the adopted snapshot, or the follow-ups'
    assessed statuses while in preparation. One query (the Parties, or the follow-ups with theirs)."""
    if report.is_adopted:
        parties = access.parties_for(user).filter(pk__in=[int(pk) for pk in report.statuses])
        return [PartyStatus(party, report.statuses[str(party.pk)]) for party in parties.order_by("name_en")]
    follow_ups = (
        access.scoped(FollowUp, user)
        .filter(recommendation=report.recommendation_id, active=True)
        .select_related("party")
        .order_by("party__name_en")
    )
    return [PartyStatus(follow_up.party, follow_up.assessed_status) for follow_up in follow_ups]


def adopted_reports(
    user: User, *, party: Party | None = None, in_preparation: bool = False, **filters
) -> list[ComplianceReport]:
    """The adopted compliance reports `user` reads (filters: recommendation=…,
    recommendation__report=…), newest first, with their recommendation, each with `conclusions` (in
    the page's language) and `party_rows` (each Party's status as adopted, `party`'s only if given,
    among the Parties `user` sees); the reports in preparation too if `in_preparation` (with no
    rows: their statuses are the follow-ups'). One query, and the Parties' if one is adopted."""
    statuses = [ADOPTED, IN_PREPARATION] if in_preparation else [ADOPTED]
    reports = list(
        access.scoped(ComplianceReport, user)
        .filter(status__in=statuses, **filters)
        .select_related("recommendation")
        .order_by("recommendation__order", "recommendation_id", "-adopted_on", "-pk")
    )
    wanted = {int(pk) for report in reports for pk in report.statuses}
    if party is not None:
        wanted &= {party.pk}
    parties = list(access.parties_for(user).filter(pk__in=wanted).order_by("name_en")) if wanted else []
    for report in reports:
        report.conclusions = localized(report, "text")
        report.party_rows = [
            PartyStatus(each, report.statuses[str(each.pk)])
            for each in parties
            if str(each.pk) in report.statuses
        ]
    return reports


# --- the Committee's meetings (secretariat.meetings) ----------------------------------------------------

ADOPTION = gettext_lazy("Adoption of the compliance report on recommendation %(number)s")
DUE = gettext_lazy("Compliance report due on recommendation %(number)s")
TO_ASSESS = gettext_lazy("Parties not yet assessed: %(parties)s.")
ALL_ASSESSED = gettext_lazy("Every Party concerned is assessed.")
ADOPTED_OUTCOME = gettext_lazy("Compliance report on recommendation %(number)s adopted on %(date)s.")


def _not_yet_assessed(user: User, recommendation_ids: list[int]) -> dict[int, list[str]]:
    """Each recommendation's Parties not yet assessed, named in the page's language (in the order
    of their English names); one query."""
    rows = (
        access.scoped(FollowUp, user)
        .filter(
            recommendation__in=recommendation_ids, active=True, assessed_status=AssessedStatus.NOT_ASSESSED
        )
        .order_by("party__name_en")
        .values_list("recommendation_id", "party__name_en", "party__name_fr")
    )
    french = (translation.get_language() or "en").startswith("fr")
    names: dict[int, list[str]] = {}
    for recommendation_id, name_en, name_fr in rows:
        names.setdefault(recommendation_id, []).append((name_fr or name_en) if french else name_en)
    return names


def _in_preparation_items(user: User) -> list[Proposal]:
    reports = list(
        access.scoped(ComplianceReport, user)
        .filter(status=IN_PREPARATION)
        .select_related("recommendation__report")
        .order_by("recommendation__report_id", "recommendation__order", "recommendation_id")
    )
    left = _not_yet_assessed(user, [report.recommendation_id for report in reports])
    proposals = []
    for report in reports:
        parties = left.get(report.recommendation_id)
        # Notes are the Secretariat's working text: in the language of its page.
        notes = str(TO_ASSESS % {"parties": ", ".join(parties)} if parties else ALL_ASSESSED)
        titles = in_both_languages(ADOPTION, number=report.recommendation.number)
        proposals.append(Proposal("compliance_reports_due", *titles, subject=report, notes=notes))
    return proposals


def _due_items(meeting: Meeting, user: User) -> list[Proposal]:
    """Recommendations of adopted reports past their reporting deadline on the meeting's first day,
    every addressed Party assessed, and no compliance report yet."""
    follow_ups = access.scoped(FollowUp, user).filter(recommendation=OuterRef("pk"), active=True)
    recommendations = (
        access.scoped(Recommendation, user)
        .filter(report__status=ImplementationReport.Status.ADOPTED)
        .filter(Exists(follow_ups.filter(deadline__lt=meeting.starts_on)))
        .exclude(Exists(follow_ups.filter(assessed_status=AssessedStatus.NOT_ASSESSED)))
        .exclude(Exists(access.scoped(ComplianceReport, user).filter(recommendation=OuterRef("pk"))))
        .only("pk", "number", "report_id", "order")
        .order_by("report_id", "order", "pk")
    )
    return [
        Proposal(
            "compliance_reports_due",
            *in_both_languages(DUE, number=recommendation.number),
            subject=recommendation,
            notes=str(ALL_ASSESSED),
        )
        for recommendation in recommendations
    ]


def compliance_reports_due(meeting: Meeting, user: User) -> list[Proposal]:
    """An item per compliance report in preparation (its adoption), then one per recommendation
    whose compliance report is due; three queries."""
    return [*_in_preparation_items(user), *_due_items(meeting, user)]


def _report_to_adopt(subject, decision: Decision, by: User) -> ComplianceReport:
    """The item's compliance report; on a recommendation's "due" item, the report prepared since, or
    one prepared now with the decision's text as its conclusions."""
    if isinstance(subject, ComplianceReport):
        return subject
    if not isinstance(subject, Recommendation):
        raise ValidationError(_("This item names no compliance report or recommendation."))
    reports = {report.status: report for report in ComplianceReport.objects.filter(recommendation=subject)}
    if IN_PREPARATION in reports:
        return reports[IN_PREPARATION]
    if ADOPTED in reports:  # adopted from its admin page since the item was put on the agenda
        raise ValidationError(_("A compliance report on this recommendation is already adopted."))
    return compliance_report_prepare(
        recommendation=subject, by=by, text_en=decision.text_en, text_fr=decision.text_fr
    )


def adopt_compliance_report(decision: Decision, by: User) -> str:
    """Adopt the item's compliance report on the meeting's first day, naming the decision; a refusal
    keeps the decision unrecorded."""
    adopted_on = decision.item.meeting.starts_on
    try:
        report = _report_to_adopt(decision.item.subject, decision, by)
        report = compliance_report_adopt(report=report, by=by, adopted_on=adopted_on, decision=decision)
    except ValidationError as refusal:
        # The decision's form has none of the service's fields: its messages, as the form's own.
        raise ValidationError(refusal.messages) from refusal
    return str(ADOPTED_OUTCOME % {"number": report.recommendation.number, "date": adopted_on.isoformat()})


ADOPT_COMPLIANCE_REPORT = DecisionKind(
    "adopt_compliance_report",
    gettext_lazy("Adopt the compliance report"),
    adopt_compliance_report,
    answers=("compliance_reports_due",),
)


def register() -> None:
    register_proposer("compliance_reports_due", compliance_reports_due)
    register_decision_kind(ADOPT_COMPLIANCE_REPORT)
