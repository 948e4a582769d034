"""Everything that changes follow-up data: a report's adoption, addressees, assessments, State updates.

The admin, the portal, the imports and the API call these; nothing else writes a follow-up's
assessed or reported status.
"""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from secretariat import events
from secretariat.history import set_author
from secretariat.models import Decision, Party, Role, User

from . import cases, continuity
from .access import may_adopt_report, may_assess, may_close_follow_up, may_report, may_review_updates
from .drafting import left_to_translate
from .models import (
    AssessedStatus,
    Assessment,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Recommendation,
    Theme,
    UpdateAttachment,
    Urgency,
)

#: The themes of the Committee's work: slug -> (English name, French name).
THEMES = {
    "governance": ("Governance", "Gouvernance"),
    "research-monitoring": ("Research and monitoring", "Recherche et suivi"),
    "legislation": ("Legislation", "Législation"),
    "law-enforcement": ("Law enforcement", "Application de la loi"),
    "child-friendly-justice": ("Child-friendly justice", "Justice adaptée aux enfants"),
    "victim-support": ("Victim support", "Soutien aux victimes"),
    "education-awareness": ("Education and awareness", "Éducation et sensibilisation"),
    "child-participation": ("Child participation", "Participation des enfants"),
    "international-cooperation": ("International co-operation", "Coopération internationale"),
    "reporting-hotlines": ("Reporting and hotlines", "Signalement et lignes d'assistance"),
    "offender-prevention": ("Offender prevention", "Prévention auprès des auteurs"),
    "industry-engagement": ("Industry engagement", "Engagement du secteur privé"),
}


class InvalidAssessment(Exception):
    """An assessment the user may not make or that breaks a rule; nothing changed.

    `field` names what is wrong ("status", "reasoning"), so that an import can name its column.
    """

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class PendingAssessment(NamedTuple):
    """An assessment to record in bulk (`follow_ups_assess_bulk`)."""

    follow_up: FollowUp
    status: str
    reasoning: str
    published: bool = False


def ensure_themes(slugs: Iterable[str] | None = None) -> dict[str, Theme]:
    """The themes by slug, with those of the Committee's work (`THEMES`) among `slugs` (all of
    them by default) created when missing."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    wanted = THEMES if slugs is None else [slug for slug in slugs if slug in THEMES]
    missing = [
        Theme(slug=slug, name_en=THEMES[slug][0], name_fr=THEMES[slug][1])
        for slug in dict.fromkeys(wanted)
        if slug not in themes
    ]
    if missing:
        for theme in bulk_create_with_history(missing, Theme, default_change_reason="the Committee's themes"):
            themes[theme.slug] = theme
    return themes


def addressed_parties(recommendation: Recommendation) -> list[Party]:
    """'All Parties' means the Parties taking part in the report's round."""
    if recommendation.addressed_to_all:
        return list(recommendation.report.round.parties.all())
    return list(recommendation.addressees.all())


@transaction.atomic
def recommendation_sync_follow_ups(
    *, recommendation: Recommendation, by: User | None = None, refresh_cases: bool = True
) -> dict[str, int]:
    """Open a follow-up for every addressed Party; retire (never delete) the others.

    A Party addressed again gets its old follow-up back, with everything recorded on it. Every
    follow-up opened or changed gets a historical record naming `by`. The cases of the Parties
    concerned are refreshed, unless the caller (an import) refreshes them once at its end.
    A recommendation of a report in preparation is a draft: it opens no follow-up (adoption does).
    """
    if not recommendation.report.is_adopted:
        return {"added": 0, "retired": 0, "restored": 0}
    wanted = {party.pk for party in addressed_parties(recommendation)}
    existing = {follow_up.party_id: follow_up for follow_up in recommendation.follow_ups.all()}
    deadline = recommendation.report.deadline_for(recommendation.urgency)
    history = {"default_user": by, "default_change_reason": "addressed by the recommendation"}
    added = [
        FollowUp(recommendation=recommendation, party_id=party_id, deadline=deadline)
        for party_id in sorted(wanted - existing.keys())  # a stable order, as an export follows it
    ]
    if added:
        bulk_create_with_history(added, FollowUp, **history)
    counts = {"added": len(added), "retired": 0, "restored": 0}
    changed = []
    for party_id, follow_up in existing.items():
        if follow_up.active != (party_id in wanted):
            follow_up.active = party_id in wanted
            counts["restored" if follow_up.active else "retired"] += 1
            changed.append(follow_up)
        elif follow_up.active and follow_up.deadline != deadline:
            changed.append(follow_up)  # the report's deadline for this urgency, as it stands now
    for follow_up in changed:
        if follow_up.active:
            follow_up.deadline = deadline
    if changed:
        bulk_update_with_history(changed, FollowUp, ["active", "deadline"], batch_size=500, **history)
    if refresh_cases:
        touched = [follow_up.party_id for follow_up in [*added, *changed]]
        cases.refresh_pairs(((recommendation.report_id, party_id) for party_id in touched), by=by)
    return counts


@transaction.atomic
def report_adopt(
    *, report: ImplementationReport, by: User, adoption_date: datetime.date, override_reason: str = ""
) -> dict[str, int]:
    """Adopt a report in preparation, all or nothing: its status and adoption date, then the
    follow-ups of its recommendations (`recommendation_sync_follow_ups`). Returns how many opened.

    Refused (ValidationError) for a report already adopted, and while a title (the report's, a
    chapter's), a finding or a recommendation is left to translate unless the Secretariat gives its
    reason (`override_reason`, kept on the report and in its history). Once adopted, the report is
    frozen (`access.may_draft_report`).
    """
    if not may_adopt_report(by):
        raise PermissionDenied(_("Only the Secretariat records the adoption of a report."))
    # The report's row is the lock: a draft or a renumbering in progress finishes first.
    current = ImplementationReport.objects.select_for_update().select_related("round").get(pk=report.pk)
    if current.is_adopted:
        raise ValidationError(_("This report is already adopted."))
    if adoption_date is None:
        raise ValidationError({"adoption_date": _("Give the date of the adoption.")})
    left = left_to_translate(report=current, user=by).count
    override_reason = override_reason.strip()
    if left and not override_reason:
        raise ValidationError(
            {
                "override_reason": ngettext(
                    "%(count)d text is left to translate: translate it, or give the reason for "
                    "adopting the report as it stands.",
                    "%(count)d texts are left to translate: translate them, or give the reason for "
                    "adopting the report as it stands.",
                    left,
                )
                % {"count": left}
            }
        )
    current.status = ImplementationReport.Status.ADOPTED
    current.adoption_date = adoption_date
    current.untranslated_override_reason = override_reason if left else ""
    set_author(
        current, by, "adopted" if not left else f"adopted with texts left to translate: {override_reason}"
    )
    current.save(update_fields=["status", "adoption_date", "untranslated_override_reason"])
    opened = 0
    for recommendation in current.recommendations.select_related("report__round").order_by("order", "pk"):
        counts = recommendation_sync_follow_ups(recommendation=recommendation, by=by, refresh_cases=False)
        opened += counts["added"]
    # Each Party's follow-up case once, after all its follow-ups are open.
    parties = FollowUp.objects.filter(recommendation__report=current, active=True).values_list(
        "party", flat=True
    )
    cases.refresh_pairs(((current.pk, party_id) for party_id in set(parties)), by=by)
    continuity.follow_ups_carry(report=current, by=by)  # earlier rounds' open follow-ups go on under it
    events.emit("report.adopted", subject=current, by=by, follow_ups=opened)
    for name in ("status", "adoption_date", "untranslated_override_reason"):
        setattr(report, name, getattr(current, name))
    return {"follow_ups": opened, "left_to_translate": left}


@transaction.atomic
def report_refresh_deadlines(*, report, by: User | None = None) -> int:
    """Give every follow-up of the report the reporting deadline of its recommendation's urgency.

    One UPDATE per urgency and one insert of historical records: a report has tens of thousands
    of follow-ups, too many for a per-row CASE (bulk_update).
    """
    updated = 0
    parties: set[int] = set()
    for urgency in Urgency.values:
        deadline = report.deadline_for(urgency)
        stale = list(
            FollowUp.objects.filter(recommendation__report=report, recommendation__urgency=urgency).exclude(
                deadline=deadline
            )
        )
        if not stale:
            continue
        FollowUp.objects.filter(pk__in=[follow_up.pk for follow_up in stale]).update(deadline=deadline)
        for follow_up in stale:
            follow_up.deadline = deadline
        FollowUp.history.bulk_history_create(
            stale,
            update=True,
            batch_size=1000,
            default_user=by,
            default_change_reason="the report's deadlines changed",
        )
        updated += len(stale)
        parties.update(follow_up.party_id for follow_up in stale)
    cases.refresh_pairs(((report.pk, party_id) for party_id in parties), by=by)
    return updated


def check_assessment(*, follow_up: FollowUp, by: User | None, status: str, reasoning: str) -> None:
    """The rules every assessment obeys, checked on a follow-up already read (no query).

    Raises InvalidAssessment; `follow_up_assess` and `follow_ups_assess_bulk` both apply them.
    """
    if not may_assess(by):
        raise InvalidAssessment(_("Only the Secretariat records assessments."))
    if status not in AssessedStatus.values:
        raise InvalidAssessment(
            _("“%(status)s” is not an assessment status.") % {"status": status}, field="status"
        )
    if not reasoning.strip():
        raise InvalidAssessment(_("Give the reasoning of the assessment: it is required."), field="reasoning")
    if not follow_up.active:
        raise InvalidAssessment(
            _("This Party is no longer addressed by the recommendation."), field="follow_up"
        )
    if status == AssessedStatus.NOT_ASSESSED:
        raise InvalidAssessment(
            _("An assessed follow-up cannot go back to “not yet assessed”."), field="status"
        )


@transaction.atomic
def follow_up_assess(
    *,
    follow_up: FollowUp,
    by: User,
    status: str,
    reasoning: str,
    updates=(),
    replies=(),
    documents=(),
    published: bool = False,
) -> Assessment:
    """Record the Committee's assessment of a follow-up: who, when, why and on what evidence."""
    if not may_assess(by):
        raise InvalidAssessment(_("Only the Secretariat records assessments."))
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    check_assessment(follow_up=current, by=by, status=status, reasoning=reasoning)
    foreign = [update for update in updates if update.follow_up_id != follow_up.pk]
    if foreign:
        raise InvalidAssessment(_("An assessment rests only on updates about the same follow-up."))
    assessment = Assessment.objects.create(
        follow_up=current,
        status=status,
        previous_status=current.assessed_status,
        reasoning=reasoning,
        assessed_by=by,
        published=published,
    )
    assessment.updates.set(updates)
    assessment.replies.set(replies)
    assessment.documents.set(documents)
    # Through the history, so that each update's review trail (shown to its authors) holds this step.
    taken = list(FollowUpUpdate.objects.filter(pk__in=[u.pk for u in updates]))
    for update in taken:
        update.status = FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT
    bulk_update_with_history(taken, FollowUpUpdate, ["status"], default_user=by)
    current.assessed_status, current.assessed_at = status, assessment.assessed_at
    set_author(current, by, reasoning[:100])
    current.save(update_fields=["assessed_status", "assessed_at"])
    follow_up.refresh_from_db()
    events.emit("follow_up.assessed", subject=assessment, party=current.party, by=by, published=published)
    return assessment


@transaction.atomic
def follow_ups_assess_bulk(
    *,
    assessments: Iterable[PendingAssessment],
    by: User | None,
    save: bool = True,
    change_reason: str = "",
    batch_size: int = 1000,
) -> list[Assessment]:
    """Record many assessments (without evidence) in a few queries, by the rules of `follow_up_assess`.

    The follow-ups must have been read in the current transaction (locked with select_for_update
    where the database allows it). Each gets its new assessed status and time; they are written
    here unless `save` is False, when the caller writes them with its own bulk update (fields
    assessed_status and assessed_at), as the follow-up import does together with the deadlines;
    the caller then refreshes the cases (`cases.refresh_pairs`) once it has written them.
    """
    pending = list(assessments)
    for item in pending:
        check_assessment(follow_up=item.follow_up, by=by, status=item.status, reasoning=item.reasoning)
    now = timezone.now()
    created = bulk_create_with_history(
        [
            Assessment(
                follow_up=item.follow_up,
                status=item.status,
                previous_status=item.follow_up.assessed_status,
                reasoning=item.reasoning,
                assessed_by=by,
                assessed_at=now,
                published=item.published,
            )
            for item in pending
        ],
        Assessment,
        batch_size=batch_size,
        default_user=by,
        default_change_reason=change_reason,
    )
    for item in pending:
        item.follow_up.assessed_status, item.follow_up.assessed_at = item.status, now
        set_author(item.follow_up, by, item.reasoning[:100])
    if save and pending:
        bulk_update_with_history(
            [item.follow_up for item in pending],
            FollowUp,
            ["assessed_status", "assessed_at"],
            batch_size=batch_size,
            default_user=by,
        )
        cases.refresh_pairs(cases.pairs_of(item.follow_up for item in pending), by=by)
    return created


@transaction.atomic
def update_submit(
    *, follow_up: FollowUp, by: User, text: str, reported_status: str, measures_date=None, links: str = ""
) -> FollowUpUpdate:
    """A State coordinator (or a stakeholder) reports measures taken on a recommendation."""
    if not may_report(by, follow_up):
        raise PermissionDenied(_("You may not report on this recommendation for this Party."))
    update = FollowUpUpdate(
        follow_up=follow_up,
        author=by,
        organisation=by.organisation if by.role == Role.STAKEHOLDER_CONTRIBUTOR else None,
        text=text,
        reported_status=reported_status,
        measures_date=measures_date,
        links=links,
    )
    update.full_clean()
    set_author(update, by)
    update.save()
    if update.organisation_id is None:
        # Only the State's own word sets the reported status; stakeholders inform, they do not report for it.
        follow_up.reported_status = reported_status
        set_author(follow_up, by)
        follow_up.save(update_fields=["reported_status"])
    events.emit("follow_up.update_sent", subject=update, party=follow_up.party, by=by)
    return update


#: How long a Party has to answer a request for information, unless the Secretariat says otherwise.
INFORMATION_DAYS = 30


@transaction.atomic
def update_request_information(
    *, update: FollowUpUpdate, by: User, message: str, due: datetime.date | None = None
) -> FollowUpUpdate:
    """The Secretariat asks the author of an update for more information, by a date."""
    if not may_review_updates(by):
        raise InvalidAssessment(_("Only the Secretariat reviews updates."))
    if not message.strip():
        raise InvalidAssessment(_("Say what information is needed: the message is required."))
    if update.status == FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT:
        raise InvalidAssessment(_("This update was already taken into an assessment."))
    now = timezone.now()
    update.status, update.review_comment = FollowUpUpdate.Status.MORE_INFORMATION, message
    update.information_requested_at = now
    update.information_due = due or timezone.localdate(now) + datetime.timedelta(days=INFORMATION_DAYS)
    set_author(update, by)
    update.save(update_fields=["status", "review_comment", "information_requested_at", "information_due"])
    events.emit(
        "follow_up.information_requested",
        subject=update,
        party=update.follow_up.party,
        by=by,
        occurrence=now.isoformat(),
        message=message,
        due=update.information_due,
    )
    return update


def follow_ups_assess_many(*, follow_ups, by: User, status: str, reasoning: str) -> tuple[int, list[str]]:
    """Bulk status change: one assessment per follow-up through follow_up_assess; returns (done, refusals)."""
    done, refusals = 0, []
    for follow_up in follow_ups:
        try:
            follow_up_assess(follow_up=follow_up, by=by, status=status, reasoning=reasoning)
        except (InvalidAssessment, ValidationError) as refusal:
            refusals.append(f"{follow_up}: {refusal}")
        else:
            done += 1
    return done, refusals


def update_attachment_add(
    *, update: FollowUpUpdate, attachment: UpdateAttachment, by: User
) -> UpdateAttachment:
    """Attach a checked file (type and size validated by the model) to an update its author just sent."""
    if update.author_id != by.pk or update.status == FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT:
        raise PermissionDenied(_("Only the author adds files to an update, before it is assessed."))
    attachment.update = update
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def follow_up_close(
    *, follow_up: FollowUp, by: User, closed_on: datetime.date, decision: Decision | None = None
) -> FollowUp:
    """Close a follow-up: nothing more is asked of the Party on it (no longer overdue, late or
    proposed for escalation); the decision that closed it is named. Refused if already closed."""
    if not may_close_follow_up(by):
        raise PermissionDenied(_("Only the Secretariat closes follow-ups."))
    # The row is the lock: two decisions closing the same follow-up take turns.
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not may_close_follow_up(by, current):
        raise ValidationError(
            _("%(follow_up)s is already closed (on %(date)s).")
            % {"follow_up": follow_up, "date": current.closed_on.isoformat() if current.closed_on else "?"}
        )
    if closed_on is None:
        raise ValidationError({"closed_on": _("Give the day the follow-up is closed.")})
    current.closed_on, current.closing_decision = closed_on, decision
    set_author(current, by, "closed")
    current.save(update_fields=["closed_on", "closing_decision"])
    cases.refresh_pairs(cases.pairs_of([current]), by=by)
    follow_up.closed_on, follow_up.closing_decision = current.closed_on, current.closing_decision
    return follow_up
