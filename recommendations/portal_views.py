"""The follow-up of recommendations in the State portal.

A State sees the recommendations addressed to its Party and reports on the measures taken; a
stakeholder sees those addressed to the Party its organisation works on and may inform about them.
Every row comes from secretariat.access; another Party's follow-up answers 404. Each page runs a
fixed number of queries, whatever the number of recommendations or updates.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat import access, rendering
from secretariat.models import Party, Role

from . import access as rules
from . import compliance_reports
from .meeting_items import CLOSING_RELATED, closing_note
from .models import (
    COMPLIANT,
    URGENCY_DEFINITIONS,
    AssessedStatus,
    Assessment,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Recommendation,
    UpdateAttachment,
    Urgency,
)
from .portal_forms import UpdateForm

LOGIN_URL = "portal:login"
PER_PAGE = 100


@dataclass
class FollowUpRow:
    """A follow-up as the user may see it: the assessed status only from assessments they may read."""

    follow_up: FollowUp
    status: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return AssessedStatus(self.status).label


def _visible_follow_ups(user) -> QuerySet:
    """The user's follow-ups, each with the status of the latest assessment the user may read.

    A State reads all its own Party's assessments; a stakeholder only the published ones.
    """
    latest = access.scoped(Assessment, user).filter(follow_up=OuterRef("pk")).order_by("-assessed_at", "-pk")
    return (
        access.scoped(FollowUp, user)
        .select_related("recommendation__report__round", "party")  # the round: "carried from round N"
        .annotate(visible_status=Subquery(latest.values("status")[:1]))
    )


def _recommendation_texts(*, keep: tuple[str, ...]) -> list[str]:
    """The recommendation's texts a page does not show (all but `keep`), to defer."""
    return rendering.text_columns(Recommendation, keep=keep, path="recommendation")


def _row(follow_up: FollowUp, today: datetime.date) -> FollowUpRow:
    status = follow_up.visible_status or AssessedStatus.NOT_ASSESSED
    late = (
        follow_up.active
        and follow_up.closed_on is None
        and follow_up.deadline
        and today > follow_up.deadline
        and status not in COMPLIANT
    )
    return FollowUpRow(follow_up=follow_up, status=status, overdue=bool(late))


def _filtered(request: HttpRequest, follow_ups: QuerySet) -> tuple[QuerySet, dict]:
    chosen = {key: request.GET.get(key, "") for key in ("report", "urgency", "party")}
    if chosen["report"].isdigit():
        # A report's own follow-ups, and those of earlier rounds carried into it.
        report = chosen["report"]
        follow_ups = follow_ups.filter(Q(recommendation__report=report) | Q(carried_into=report))
    if chosen["party"].isdigit():
        follow_ups = follow_ups.filter(party=chosen["party"])
    if chosen["urgency"] in Urgency.values:
        follow_ups = follow_ups.filter(recommendation__urgency=chosen["urgency"])
    return follow_ups, chosen


@login_required(login_url=LOGIN_URL)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The recommendations addressed to the user's Party, with their statuses and deadlines."""
    visible = _visible_follow_ups(request.user).filter(active=True)
    follow_ups, chosen = _filtered(
        request,
        visible.defer(*_recommendation_texts(keep=("text_excerpt_en", "text_excerpt_fr"))),
    )
    ordered = follow_ups.order_by(
        "recommendation__report", "recommendation__order", "recommendation__pk", "party__code"
    )
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    reports = list(
        access.scoped(ImplementationReport, request.user)
        .filter(recommendations__follow_ups__in=access.scoped(FollowUp, request.user).filter(active=True))
        .distinct()
    )
    # A State or a stakeholder follows one Party: a column and a filter of Parties only for the
    # others (the Committee), who read every Party's follow-up.
    several_parties = not access.is_respondent(request.user)
    context = {
        "page": page,
        "rows": [_row(follow_up, today) for follow_up in page],
        "several_parties": several_parties,
        "parties": (
            access.scoped(Party, request.user).filter(
                pk__in=access.scoped(FollowUp, request.user).filter(active=True).values("party")
            )
            if several_parties
            else []
        ),
        "reports": reports,
        # One report: said once above the table rather than on every row.
        "several_reports": len(reports) > 1,
        "urgencies": [(urgency, URGENCY_DEFINITIONS[urgency]) for urgency in Urgency],
        "chosen": chosen,
    }
    return render(request, "portal/follow_up/list.html", context)


def _with_review_trails(updates: list[FollowUpUpdate]) -> list[FollowUpUpdate]:
    """Give each update its `review_trail`: the history rows where its review status changed (sent,
    more information asked, taken into an assessment), oldest first, with who; one query."""
    records = (
        FollowUpUpdate.history.filter(id__in=[update.pk for update in updates])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    trails, last_status = defaultdict(list), {}
    for record in records:
        if last_status.get(record.id) != record.status:
            trails[record.id].append(record)
            last_status[record.id] = record.status
    for update in updates:
        update.review_trail = trails[update.pk]
    return updates


def _page_data(user, follow_up: FollowUp) -> dict:
    attachments = Prefetch("attachments", queryset=access.scoped(UpdateAttachment, user))
    updates = (
        access.scoped(FollowUpUpdate, user)
        .filter(follow_up=follow_up)
        .defer("text", "text_excerpt")
        .select_related("author", "organisation")
        .prefetch_related(attachments)
    )
    # The State reads the Committee's reasoning once the assessment is published.
    assessments = (
        access.scoped(Assessment, user)
        .filter(follow_up=follow_up, published=True)
        .defer("reasoning", "reasoning_excerpt")
    )
    return {
        "updates": _with_review_trails(list(updates)),
        "assessments": assessments.order_by("-assessed_at"),
        "citations": follow_up.recommendation.citations.select_related("article"),
    }


@login_required(login_url=LOGIN_URL)
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One recommendation for the Party: its updates, published assessments and the update form."""
    follow_up = get_object_or_404(
        _visible_follow_ups(request.user)
        .select_related("recommendation__chapter", "recommendation__rests_on__report", "carried_into__round")
        .select_related(CLOSING_RELATED)  # "closed on … by decision of meeting N"
        .defer(*_recommendation_texts(keep=("text_html_en", "text_html_fr"))),
        pk=pk,
    )
    may_report = rules.may_report(request.user, follow_up)
    form = UpdateForm(request.POST or None, request.FILES or None) if may_report else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("You may not report on this recommendation for this Party."))
            return redirect("follow_up:detail", pk=follow_up.pk)
        if form.is_valid():
            try:
                form.save(follow_up=follow_up, by=request.user)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your update has been sent to the Secretariat. Thank you."))
                return redirect("follow_up:detail", pk=follow_up.pk)
    context = {
        "follow_up": follow_up,
        "recommendation": follow_up.recommendation,
        "row": _row(follow_up, timezone.localdate()),
        "closed": closing_note(follow_up),
        "form": form,
        "is_stakeholder": request.user.role == Role.STAKEHOLDER_CONTRIBUTOR,
        # The Committee's adopted compliance reports on the recommendation, with this Party's status.
        "compliance_reports": compliance_reports.adopted_reports(
            request.user, recommendation=follow_up.recommendation_id, party=follow_up.party
        ),
        **_page_data(request.user, follow_up),
    }
    return render(request, "portal/follow_up/detail.html", context)
