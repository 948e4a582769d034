"""Everything that changes follow-up data: addressees, assessments, State updates.

The admin, the portal, the imports and the API call these; nothing else writes a follow-up's
assessed or reported status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat import access
from secretariat.models import Party, Role, User

from .models import (
    AssessedStatus,
    Assessment,
    FollowUp,
    FollowUpUpdate,
    Recommendation,
    UpdateAttachment,
    Urgency,
)


class InvalidAssessment(Exception):
    """An assessment the user may not make or that breaks a rule; nothing changed."""


def addressed_parties(recommendation: Recommendation) -> list[Party]:
    """'All Parties' means the Parties taking part in the report's round."""
    if recommendation.addressed_to_all:
        return list(recommendation.report.round.parties.all())
    return list(recommendation.addressees.all())


@transaction.atomic
def recommendation_sync_follow_ups(*, recommendation: Recommendation) -> dict[str, int]:
    """Open a follow-up for every addressed Party; retire (never delete) the others.

    A Party addressed again gets its old follow-up back, with everything recorded on it.
    """
    wanted = {party.pk for party in addressed_parties(recommendation)}
    existing = {follow_up.party_id: follow_up for follow_up in recommendation.follow_ups.all()}
    deadline = recommendation.report.deadline_for(recommendation.urgency)
    counts = {"added": 0, "retired": 0, "restored": 0}
    FollowUp.objects.bulk_create(
        FollowUp(recommendation=recommendation, party_id=party_id, deadline=deadline)
        for party_id in wanted - existing.keys()
    )
    counts["added"] = len(wanted - existing.keys())
    stale = recommendation.follow_ups.filter(party__in=wanted & existing.keys()).exclude(deadline=deadline)
    stale.update(deadline=deadline)  # the report's deadline for this urgency, as it stands now
    for party_id, follow_up in existing.items():
        if follow_up.active != (party_id in wanted):
            follow_up.active = party_id in wanted
            follow_up._change_reason = "addressed again" if follow_up.active else "no longer addressed"
            follow_up.save(update_fields=["active"])
            counts["restored" if follow_up.active else "retired"] += 1
    return counts


@transaction.atomic
def report_refresh_deadlines(*, report) -> int:
    """Give every follow-up of the report the reporting deadline of its recommendation's urgency."""
    updated = 0
    for urgency in Urgency.values:
        updated += (
            FollowUp.objects.filter(recommendation__report=report, recommendation__urgency=urgency)
            .exclude(deadline=report.deadline_for(urgency))
            .update(deadline=report.deadline_for(urgency))
        )
    return updated


def _may_assess(user: User) -> bool:
    return access.is_secretariat(user)


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
    if not _may_assess(by):
        raise InvalidAssessment(_("Only the Secretariat records assessments."))
    if status not in AssessedStatus.values:
        raise InvalidAssessment(_("“%(status)s” is not an assessment status.") % {"status": status})
    if not reasoning.strip():
        raise InvalidAssessment(_("Give the reasoning of the assessment: it is required."))
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not current.active:
        raise InvalidAssessment(_("This Party is no longer addressed by the recommendation."))
    if status == AssessedStatus.NOT_ASSESSED:
        raise InvalidAssessment(_("An assessed follow-up cannot go back to “not yet assessed”."))
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
    FollowUpUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(
        status=FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT
    )
    current.assessed_status, current.assessed_at = status, assessment.assessed_at
    current._history_user = by
    current._change_reason = reasoning[:100]
    current.save(update_fields=["assessed_status", "assessed_at"])
    follow_up.refresh_from_db()
    return assessment


def may_report(user: User, follow_up: FollowUp) -> bool:
    """State coordinators report for their Party; stakeholders may inform about the Party they work on."""
    if not (user.is_authenticated and user.is_active and follow_up.active):
        return False
    if user.role == Role.STATE_COORDINATOR:
        return user.party_id == follow_up.party_id
    if user.role == Role.STAKEHOLDER_CONTRIBUTOR:
        return user.organisation is not None and user.organisation.party_id == follow_up.party_id
    return False


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
    update._history_user = by
    update.save()
    if update.organisation_id is None:
        # Only the State's own word sets the reported status; stakeholders inform, they do not report for it.
        follow_up.reported_status = reported_status
        follow_up._history_user = by
        follow_up.save(update_fields=["reported_status"])
    return update


def update_request_information(*, update: FollowUpUpdate, by: User, message: str) -> FollowUpUpdate:
    """The Secretariat asks the author of an update for more information."""
    if not _may_assess(by):
        raise InvalidAssessment(_("Only the Secretariat reviews updates."))
    if not message.strip():
        raise InvalidAssessment(_("Say what information is needed: the message is required."))
    if update.status == FollowUpUpdate.Status.TAKEN_INTO_ASSESSMENT:
        raise InvalidAssessment(_("This update was already taken into an assessment."))
    update.status, update.review_comment = FollowUpUpdate.Status.MORE_INFORMATION, message
    update._history_user = by
    update.save(update_fields=["status", "review_comment"])
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
