"""Continuity across rounds: a follow-up still open when a later round's report is adopted is carried
into that report and goes on under it, with its updates, assessments and history.

`follow_ups_carry` is called once by `services.report_adopt`, in the adoption's transaction (all or
nothing). A carried follow-up keeps its recommendation (and so its number and its report); only
`carried_into` names the report it now goes on under. The selectors here show carried follow-ups
on the new report's dashboard; the portal, the follow-up admin and the Party's profile read
`carried_into` with the follow-up itself.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from secretariat import access
from secretariat.models import User

from .models import FollowUp, ImplementationReport, still_open_q

CARRIED_FROM = _("carried from the round %(number)s report")


def follow_ups_carry(*, report: ImplementationReport, by: User | None) -> int:
    """Carry into `report` (just adopted) every follow-up of an earlier round's adopted report that
    is still open and not yet carried; each change in its history with `by`. Returns how many.

    Runs in the caller's transaction (the adoption's), holding the rows it carries."""
    earlier = ImplementationReport.objects.filter(
        status=ImplementationReport.Status.ADOPTED, round__number__lt=report.round.number
    )
    carried = list(
        FollowUp.objects.select_for_update(of=("self",))
        .filter(still_open_q())
        .filter(recommendation__report__in=earlier.values("pk"), carried_into__isnull=True)
        .order_by("pk")
    )
    for follow_up in carried:
        follow_up.carried_into = report
    if carried:
        reason = f"carried into the round {report.round.number} report"
        bulk_update_with_history(
            carried, FollowUp, ["carried_into"], batch_size=500, default_user=by, default_change_reason=reason
        )
    return len(carried)


@dataclass(frozen=True)
class CarriedGroup:
    """The follow-ups an earlier round's report handed on to the report shown."""

    report: ImplementationReport  # the earlier one, where the recommendations were made
    follow_ups: list[FollowUp]

    @property
    def label(self) -> str:
        return str(CARRIED_FROM % {"number": self.report.round.number})


def carried_into(user: User, report: ImplementationReport, *, party=None) -> list[CarriedGroup]:
    """The follow-ups carried into `report` that `user` sees (those of `party` only, if given), by
    earlier report, then recommendation and Party; one query."""
    follow_ups = access.scoped(FollowUp, user).filter(carried_into=report)
    if party is not None:
        follow_ups = follow_ups.filter(party=party)
    rows = follow_ups.select_related("recommendation__report__round", "party").order_by(
        "recommendation__report__round__number",
        "recommendation__report_id",
        "recommendation__order",
        "recommendation_id",
        "party__name_en",
    )
    groups: dict[int, CarriedGroup] = {}
    for follow_up in rows:
        origin = follow_up.recommendation.report
        groups.setdefault(origin.pk, CarriedGroup(origin, [])).follow_ups.append(follow_up)
    return list(groups.values())
