"""A Party's follow-up of an implementation report, as a case: one per report and addressed Party.

Registered from `RecommendationsConfig.ready()`. What the case waits on, first match wins:
- an update the Party sent waits to be assessed: on the Secretariat;
- the Secretariat asked for more information and no update came since: on the Party, by the date given;
- recommendations not yet complied with and no update pending: on the Party, by the earliest deadline;
- every recommendation addressed to the Party complied with (or none addressed any more): closed.

The services that change many follow-ups at once (syncing addressees, deadlines, imports) refresh
the cases of the (report, Party) pairs they touched once each, with `refresh_pairs`.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from secretariat import cases, events
from secretariat.models import Case, Party, User

from .models import COMPLIANT, Assessment, FollowUp, FollowUpUpdate, ImplementationReport, Recommendation

KIND = "follow_up"
WaitingOn = Case.WaitingOn

TO_ASSESS = "to_assess"
INFORMATION_REQUESTED = "information_requested"
AWAITING_REPORT = "awaiting_report"
CLOSED = "closed"

STATES = {
    TO_ASSESS: _("updates to assess"),
    INFORMATION_REQUESTED: _("information requested"),
    AWAITING_REPORT: _("awaiting the Party's report"),
    CLOSED: _("complied with"),
}


def _title(report: ImplementationReport, party: Party, language: str) -> str:
    """The report named as people name it (its round), not by its document reference."""
    with override(language):
        return str(
            _("Follow-up by %(party)s of the round %(round)s implementation report")
            % {"party": party.name_fr if language == "fr" else party.name_en, "round": report.round.number}
        )


def _unanswered_requests(updates):
    """Updates on which more information was requested and no later update came on the same follow-up."""
    later = FollowUpUpdate.objects.filter(
        follow_up=OuterRef("follow_up"), submitted_at__gt=OuterRef("submitted_at")
    )
    return updates.filter(status=FollowUpUpdate.Status.MORE_INFORMATION).exclude(Exists(later))


def describe(report: ImplementationReport, party: Party) -> cases.CaseState:
    """Three queries whatever the number of recommendations (and the report's round, once)."""
    # A follow-up closed by the Committee asks nothing more of the Party.
    follow_ups = FollowUp.objects.filter(
        recommendation__report=report, party=party, active=True, closed_on__isnull=True
    )
    updates = FollowUpUpdate.objects.filter(follow_up__in=follow_ups.values("pk"))
    pending = updates.filter(status=FollowUpUpdate.Status.SUBMITTED)
    totals = follow_ups.aggregate(
        open=Count("pk", filter=~Q(assessed_status__in=COMPLIANT)),
        due=Min(
            "deadline",
            filter=~Q(assessed_status__in=COMPLIANT) & ~Q(Exists(pending.filter(follow_up=OuterRef("pk")))),
        ),
    )
    to_assess = pending.exists()
    requested = _unanswered_requests(updates).aggregate(count=Count("pk"), due=Min("information_due"))
    state, waiting_on, due = CLOSED, WaitingOn.NOBODY, None
    if to_assess:
        state, waiting_on = TO_ASSESS, WaitingOn.SECRETARIAT
    elif requested["count"]:
        state, waiting_on, due = INFORMATION_REQUESTED, WaitingOn.PARTY, requested["due"]
    elif totals["open"]:
        state, waiting_on, due = AWAITING_REPORT, WaitingOn.PARTY, totals["due"]
    return cases.CaseState(
        state=state,
        waiting_on=waiting_on,
        title_en=_title(report, party, "en"),
        title_fr=_title(report, party, "fr"),
        due_date=due,
        closed=state == CLOSED,
    )


def handled_at(case: Case) -> str:
    """The report's follow-ups for the Party, where updates are assessed."""
    query = urlencode(
        {"recommendation__report__id__exact": case.subject_id, "party__id__exact": case.party_id}
    )
    return f"{reverse('admin:recommendations_followup_changelist')}?{query}"


def _follow_up_of(subject) -> FollowUp | None:
    if isinstance(subject, FollowUpUpdate | Assessment):
        return FollowUp.objects.select_related("recommendation__report", "party").get(pk=subject.follow_up_id)
    if isinstance(subject, FollowUp):
        return subject
    return None


def concerns(event: events.Event) -> Iterator[tuple[ImplementationReport, Party]]:
    """The "follow_up.*" events: an update sent, information requested, an assessment; or
    "follow_up.changed" about a report and a Party."""
    if not event.key.startswith("follow_up."):
        return
    if isinstance(event.subject, ImplementationReport):
        if event.party is not None:
            yield event.subject, event.party
        return
    follow_up = _follow_up_of(event.subject)
    if follow_up is not None:
        yield follow_up.recommendation.report, follow_up.party


def _pairs(follow_ups) -> Iterator[tuple[ImplementationReport, Party]]:
    """Each (report, Party) of `follow_ups` once, in two more queries."""
    keys = set(follow_ups.values_list("recommendation__report", "party").distinct().order_by())
    reports = ImplementationReport.objects.in_bulk({report for report, _ in keys})
    parties = Party.objects.in_bulk({party for _, party in keys})
    for report_id, party_id in sorted(keys):
        yield reports[report_id], parties[party_id]


def everything() -> Iterator[tuple[ImplementationReport, Party]]:
    return _pairs(FollowUp.objects.all())


def pairs_of(follow_ups: Iterable[FollowUp]) -> set[tuple[int, int]]:
    """The (report id, Party id) of each follow-up, in one query (recommendations are few)."""
    follow_ups = list(follow_ups)
    recommendations = {follow_up.recommendation_id for follow_up in follow_ups}
    reports = dict(Recommendation.objects.filter(pk__in=recommendations).values_list("pk", "report"))
    return {(reports[follow_up.recommendation_id], follow_up.party_id) for follow_up in follow_ups}


def refresh_pairs(pairs: Iterable[tuple[int, int]], *, by: User | None = None) -> int:
    """Bring the cases of the (report id, Party id) pairs in step, each once (after a bulk change)."""
    keys = set(pairs)
    if not keys:
        return 0
    reports = ImplementationReport.objects.in_bulk({report for report, _ in keys})
    parties = Party.objects.in_bulk({party for _, party in keys})
    for report_id, party_id in sorted(keys):
        cases.refresh(FOLLOW_UP, reports[report_id], parties[party_id], by=by)
    return len(keys)


def refresh_reports(report_ids: Iterable[int], *, by: User | None = None) -> int:
    """Bring the cases of every Party of the reports in step, each once."""
    keys = FollowUp.objects.filter(recommendation__report__in=list(report_ids))
    return refresh_pairs(keys.values_list("recommendation__report", "party").distinct().order_by(), by=by)


FOLLOW_UP = cases.CaseKind(
    key=KIND,
    label=_("Follow-up"),
    model=ImplementationReport,
    states=STATES,
    describe=describe,
    handled_at=handled_at,
    concerns=concerns,
    everything=everything,
)


def _follow_up_edited(sender, instance: FollowUp, created: bool, update_fields=None, **kwargs) -> None:
    """A follow-up edited as a whole (its deadline in the admin) may change what its case waits on.

    The services save named fields and refresh the cases themselves; new follow-ups come in bulk
    (`recommendation_sync_follow_ups`), which refreshes each (report, Party) once.
    """
    if created or update_fields is not None or kwargs.get("raw"):
        return
    refresh_pairs(pairs_of([instance]), by=getattr(instance, "_history_user", None))


def register() -> None:
    cases.register(FOLLOW_UP)
    post_save.connect(
        _follow_up_edited, sender=FollowUp, dispatch_uid="recommendations.cases.follow_up_edited"
    )
