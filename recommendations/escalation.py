"""The escalation ladder: what the Committee does, step by step, when a Party does not reply to a
report's recommendations or does not comply — a reminder, a formal request, a letter to the head
of delegation, a statement in the Committee's report, a public statement.

Each step is opened above the Party's last one for that report (`escalation_open_next`), from a
meeting's decision (the decision kind `escalate`, registered into secretariat.meetings) or by the
Secretariat, and closed with its outcome (`escalation_record_outcome`). The steps show on the Party's
profile and case file and in their own admin list ("at step 3 or higher").
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import access
from secretariat.history import set_author
from secretariat.meetings import (
    DecisionKind,
    Proposal,
    in_both_languages,
    names,
    register_decision_kind,
    register_proposer,
)
from secretariat.models import Decision, Meeting, Party, User

from .models import EscalationStep, FollowUp, ImplementationReport

Step = EscalationStep.Step


def _may_escalate(user: User) -> None:
    if not access.is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat records the Committee's escalation steps."))


def next_step(report: ImplementationReport, party: Party, *, lock: bool = False) -> int:
    """The step the Party would reach next on `report`; refused (ValidationError, with the reason)
    past the last step, on a report not adopted, or for a Party the report does not address.

    `lock` holds the Party's follow-ups of the report until the transaction ends, so that two
    requests opening a step for the same Party take turns (Django drops FOR UPDATE from an
    aggregate, and the first step has no row of its own to lock)."""
    if report.status != ImplementationReport.Status.ADOPTED:
        raise ValidationError(_("Steps are taken on an adopted report only."))
    follow_ups = FollowUp.objects.filter(recommendation__report=report, party=party, active=True)
    held = list((follow_ups.select_for_update() if lock else follow_ups).values_list("pk", "closed_on"))
    if not held:
        raise ValidationError(_("The report addresses no recommendation to this Party."))
    if all(closed_on is not None for _pk, closed_on in held):
        raise ValidationError(_("Every follow-up of this Party on this report is closed."))
    last = EscalationStep.objects.filter(report=report, party=party).aggregate(last=Max("step"))["last"] or 0
    if last >= max(Step.values):
        raise ValidationError(_("The Party is already at the last step for this report."))
    return last + 1


@transaction.atomic
def escalation_open_next(
    *,
    report: ImplementationReport,
    party: Party,
    by: User,
    opened_on: datetime.date,
    decision: Decision | None = None,
) -> EscalationStep:
    """Open the Party's next step on `report` (the first is a reminder); refused past the last step,
    on a report not adopted, or for a Party the report's recommendations do not address."""
    _may_escalate(by)
    number = next_step(report, party, lock=True)
    step = EscalationStep(report=report, party=party, step=number, opened_on=opened_on, decision=decision)
    step.full_clean()
    set_author(step, by).save()
    return step


@transaction.atomic
def escalation_record_outcome(
    *, step: EscalationStep, by: User, outcome: str, closed_on: datetime.date | None
) -> EscalationStep:
    """Record what came of a step and, once it ended, when (None: still open)."""
    _may_escalate(by)
    step.outcome, step.closed_on = outcome, closed_on
    step.full_clean()  # EscalationStep.clean(): never closed before it was opened
    set_author(step, by).save(update_fields=["outcome", "closed_on"])
    return step


def latest_steps(user: User, **filters) -> list[EscalationStep]:
    """Each (report, Party)'s highest step the user may see (filters: party=…, report=…), in one
    query: a Party climbs at most five steps a report."""
    steps = access.scoped(EscalationStep, user).filter(**filters).select_related("report__round", "party")
    latest: dict[tuple[int, int], EscalationStep] = {}
    for step in steps.order_by("report_id", "party_id", "step"):
        latest[step.report_id, step.party_id] = step
    return list(latest.values())


# --- the Committee's meetings (secretariat.meetings) ---------------------------------------------

NEXT_STEP = gettext_lazy("Next escalation step for %(party)s on the round %(number)s implementation report")


def next_step_items(meeting: Meeting, user: User) -> list[Proposal]:
    """An item for each Party on the ladder of a report whose last step is still open: the
    Committee decides whether to go up a step."""
    proposals = []
    steps = [step for step in latest_steps(user) if step.closed_on is None]
    # A Party whose follow-ups of the report are all closed is asked nothing more: no next step.
    still_open = set(
        access.scoped(FollowUp, user)
        .filter(active=True, closed_on__isnull=True, recommendation__report__in={s.report_id for s in steps})
        .values_list("recommendation__report", "party")
        .distinct()
        .order_by()
    )
    for step in sorted(steps, key=lambda step: (step.report_id, step.party.name_en)):
        if (step.report_id, step.party_id) in still_open:
            titles = in_both_languages(NEXT_STEP, party=names(step.party), number=step.report.round.number)
            notes = str(step.get_step_display())
            proposals.append(
                Proposal("escalation", *titles, subject=step.report, party=step.party, notes=notes)
            )
    return proposals


def _escalate(decision: Decision, by: User) -> str:
    item = decision.item
    if not isinstance(item.subject, ImplementationReport) or item.party is None:
        raise ValidationError(_("This item names no report and Party to escalate."))
    step = escalation_open_next(
        report=item.subject, party=item.party, by=by, opened_on=item.meeting.starts_on, decision=decision
    )
    return _("%(party)s: %(step)s opened.") % {"party": item.party, "step": step.get_step_display()}


ESCALATE = DecisionKind(
    "escalate", gettext_lazy("Go up the escalation ladder"), _escalate, answers=("escalation",)
)


def register() -> None:
    register_proposer("escalation", next_step_items)
    register_decision_kind(ESCALATE)
