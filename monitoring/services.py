"""Everything that changes monitoring data: workflow moves, replies, imports.

The admin, the State portal, the commands and the API call these functions; nothing else
writes Submission.status.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import events
from secretariat.history import set_author
from secretariat.models import Organisation, Party, Role, User

from .access import MOVERS, may_edit
from .models import MonitoringRound, Question, Reply, ReplyAttachment, Submission, Transition
from .workflow import InvalidTransition, Workflow

Status = Submission.Status


class EditConflict(Exception):
    """Someone else saved the reply since it was opened; carries their version to show side by side."""

    def __init__(self, current: Reply, attempted_text: str):
        super().__init__(_("Someone else saved this reply while you were editing it."))
        self.current = current
        self.attempted_text = attempted_text


# --- locks: who may write is decided by monitoring.access (may_edit, MOVERS) -------------------


def _lock(submission: Submission) -> Submission:
    """Lock the submission's row until the transaction ends and read its status again.

    Every write to a submission's replies and every move of its status takes this lock first, so
    a reply is never changed once its submission has been sent (the check would read a stale status).
    """
    return SUBMISSIONS.lock(submission)


def _lock_for_editing(submission: Submission, by: User) -> Submission:
    """Lock the submission (see `_lock`), then check that `by` may still edit it."""
    if not may_edit(by, _lock(submission)):
        raise PermissionDenied(_("This submission cannot be changed now."))
    return submission


SUBMISSIONS = Workflow(
    model=Submission,
    movers=MOVERS,
    record_transition=lambda submission, old, to, by, comment: Transition.objects.create(
        submission=submission, from_status=old, to_status=to, by=by, comment=comment
    ),
    # "submission.submitted", ".resubmitted", ".registered", ".returned": cases and notifications follow.
    event="submission",
    refusals={
        "missing": gettext_lazy("This submission does not exist."),
        "not_allowed": gettext_lazy("You may not mark this submission as “%(status)s”."),
        "out_of_order": gettext_lazy("A submission that is “%(old)s” cannot become “%(new)s”."),
        "changed": gettext_lazy("This submission was changed by someone else; reload it and try again."),
    },
)


def _move(*, submission: Submission, to: str, by: User, comment: str = "", **fields) -> Submission:
    return SUBMISSIONS.move(submission, to=to, by=by, comment=comment, **fields)


@transaction.atomic
def submission_submit(*, submission: Submission, by: User, comment: str = "") -> Submission:
    """The coordinator (or stakeholder) sends a draft, or a returned submission, to the Secretariat.

    Under the submission's lock, as every write to its replies: a reply saved meanwhile is saved
    before it is sent, never after.
    """
    _lock(submission)
    to = Status.RESUBMITTED if submission.status == Status.RETURNED else Status.SUBMITTED
    if (
        not submission.replies.exclude(text="").exists()
        and not submission.replies.filter(see_reply__isnull=False).exists()
    ):
        raise InvalidTransition(_("There is no reply to submit yet."))
    return _move(submission=submission, to=to, by=by, comment=comment, submitted_at=timezone.now())


def submission_register(*, submission: Submission, by: User, comment: str = "") -> Submission:
    """The Secretariat registers a submission; it is read-only from then on."""
    return _move(
        submission=submission,
        to=Status.REGISTERED,
        by=by,
        comment=comment,
        registered_at=timezone.now(),
        registered_by=by,
    )


def submission_return(*, submission: Submission, by: User, message: str) -> Submission:
    """The Secretariat returns a submission for clarification, saying what is needed."""
    if not message.strip():
        raise InvalidTransition(_("Say what needs clarifying: the message is required."))
    return _move(submission=submission, to=Status.RETURNED, by=by, comment=message)


# --- creating and editing ----------------------------------------------------------------


def _new_submission(
    *, round: MonitoringRound, organisation: Organisation | None = None, **fields
) -> Submission:
    """A draft not saved yet, with the round's deadline; stakeholder comments are confidential
    unless their author consents."""
    fields.setdefault("consent_to_publication", organisation is None)
    fields.setdefault("deadline", round.reply_deadline)
    return Submission(round=round, organisation=organisation, **fields)


@transaction.atomic(savepoint=False)  # the submission and its case, together
def submission_create(
    *,
    round: MonitoringRound,
    party: Party,
    by: User | None,
    organisation: Organisation | None = None,
    **fields,
) -> Submission:
    """Open a submission; stakeholder comments are confidential unless their author consents."""
    submission = _new_submission(round=round, party=party, organisation=organisation, **fields)
    submission.full_clean()
    submission.save()
    events.emit("submission.opened", subject=submission, party=party, by=by)
    return submission


def _respondent(round: MonitoringRound, user: User) -> dict | None:
    """Whom `user` replies for in `round`, as the fields of their submission: their Party's own
    replies, or their organisation's comments on the Party it works on. None if they take no part."""
    if user.role in (Role.STATE_COORDINATOR, Role.STATE_CONTRIBUTOR):
        if user.party_id is None or not round.parties.filter(pk=user.party_id).exists():
            return None
        return {"party_id": user.party_id, "organisation": None}
    organisation = user.organisation
    if user.role == Role.STAKEHOLDER_CONTRIBUTOR and organisation is not None and organisation.party_id:
        return {"party_id": organisation.party_id, "organisation": organisation}
    return None


def _saved_submission(round: MonitoringRound, respondent: dict) -> Submission | None:
    return Submission.objects.filter(round=round, **respondent).first()


def submission_to_show(*, round: MonitoringRound, user: User) -> Submission | None:
    """The submission of a State or stakeholder user in a round as their pages show it, writing
    nothing: the saved one, or before their first write a draft that is not saved (no replies, no
    history). None if they take no part in the round."""
    respondent = _respondent(round, user)
    if respondent is None:
        return None
    return _saved_submission(round, respondent) or _new_submission(round=round, **respondent)


def submission_for_respondent(*, round: MonitoringRound, user: User) -> Submission | None:
    """The submission a State or stakeholder user writes in, opened (saved as a draft) by their
    first write. None if they take no part in the round.

    Two first writes at once (two tabs, two colleagues) open one submission: the one that loses the
    race on the unique constraint (`one_state_submission_per_round`,
    `one_stakeholder_submission_per_round_and_party`) uses the one the other opened.
    """
    respondent = _respondent(round, user)
    if respondent is None:
        return None
    if existing := _saved_submission(round, respondent):
        return existing
    party = respondent["organisation"].party if respondent["organisation"] else user.party
    if party is None:
        return None
    try:
        with transaction.atomic():
            return submission_create(
                round=round, party=party, organisation=respondent["organisation"], by=user
            )
    except (IntegrityError, ValidationError):
        # Opened meanwhile: found by full_clean's check of the constraint, or by the database's.
        if existing := _saved_submission(round, respondent):
            return existing
        raise


@dataclass
class ReplyInput:
    text: str
    language: str
    question_ids: list[int]
    see_reply_id: int | None = None


@transaction.atomic
def reply_save(
    *,
    submission: Submission,
    by: User,
    data: ReplyInput,
    reply: Reply | None = None,
    based_on_version: int | None = None,
) -> Reply:
    """Create or update a reply of an editable submission.

    `based_on_version` is the version the editor opened; if someone saved since, the save is
    refused with EditConflict (both texts are then shown), never silently overwritten.
    """
    _lock_for_editing(submission, by)
    questions = list(Question.objects.filter(round=submission.round_id, pk__in=data.question_ids))
    if not questions or len(questions) != len(set(data.question_ids)):
        raise ValidationError({"questions": _("Choose at least one question of this round's questionnaire.")})
    if data.see_reply_id and not submission.replies.filter(pk=data.see_reply_id).exists():
        raise ValidationError(
            {"see_reply": _("A reply can only point to another reply of the same submission.")}
        )
    if reply is None:
        reply = Reply(submission=submission, order=submission.replies.count() + 1)
    elif reply.submission_id != submission.pk:
        raise PermissionDenied
    if reply.pk and based_on_version is not None:
        updated = Reply.objects.filter(pk=reply.pk, version=based_on_version).update(version=F("version") + 1)
        if updated != 1:
            raise EditConflict(Reply.objects.get(pk=reply.pk), data.text)
        reply.version = based_on_version + 1
    elif reply.pk:
        reply.version += 1
    reply.text, reply.language, reply.see_reply_id, reply.updated_by = (
        data.text,
        data.language,
        data.see_reply_id,
        by,
    )
    reply.full_clean(exclude=["questions"])
    set_author(reply, by)
    reply.save()
    reply.questions.set(questions)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, by: User) -> None:
    _lock_for_editing(reply.submission, by)
    set_author(reply, by)
    reply.delete()


@transaction.atomic
def attachment_add(*, reply: Reply, attachment: ReplyAttachment, by: User) -> ReplyAttachment:
    """Attach a checked file (type and size validated by the model) to a reply of an editable submission."""
    _lock_for_editing(reply.submission, by)
    attachment.reply = reply
    attachment.full_clean()
    set_author(attachment, by)
    attachment.save()
    return attachment


@transaction.atomic
def submission_set_consent(*, submission: Submission, by: User, consent: bool) -> Submission:
    """The author of an editable submission says whether it may be published."""
    _lock_for_editing(submission, by)
    submission.consent_to_publication = consent
    set_author(submission, by, "consent given" if consent else "consent withdrawn")
    submission.save(update_fields=["consent_to_publication"])
    return submission
