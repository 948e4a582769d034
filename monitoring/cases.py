"""A respondent's submission in a round, as a case: what it waits on and by when.

Registered from `MonitoringConfig.ready()`. The case follows the submission's workflow: a draft
or a returned submission waits on the Party (until its deadline), a sent one on the Secretariat
(to register it, or to look at it again after a return), a registered one on the Committee while
the round is in analysis (the rapporteurs examine the replies), and is closed otherwise.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from secretariat import cases, events
from secretariat.models import Case, Party, User

from .models import MonitoringRound, Submission

KIND = "submission"
Status = Submission.Status
WaitingOn = Case.WaitingOn

#: A participating Party that has not opened its submission while the round awaits replies.
NOT_STARTED = "not_started"
AWAITING_REPLIES = (MonitoringRound.Status.QUESTIONNAIRE_SENT, MonitoringRound.Status.COLLECTING)

STATES = {
    NOT_STARTED: _("not started by the Party"),
    Status.DRAFT: _("being written by the Party"),
    Status.SUBMITTED: _("to register"),
    Status.RETURNED: _("returned for clarification"),
    Status.RESUBMITTED: _("to look at again"),
    Status.REGISTERED: _("registered"),
}


def _title(submission: Submission, language: str) -> str:
    with override(language):
        values = {
            "party": submission.party.name_fr if language == "fr" else submission.party.name_en,
            "round": submission.round.number,
        }
        if (organisation := submission.organisation) is not None:
            values["organisation"] = (
                organisation.name_fr if language == "fr" else organisation.name
            ) or organisation.name
            return str(_("Comments of %(organisation)s on %(party)s, round %(round)s") % values)
        return str(_("Replies of %(party)s, round %(round)s") % values)


def _round_title(round: MonitoringRound, party: Party, language: str) -> str:
    with override(language):
        values = {"party": party.name_fr if language == "fr" else party.name_en, "round": round.number}
        return str(_("Replies of %(party)s, round %(round)s") % values)


def _not_started(round: MonitoringRound, party: Party) -> cases.CaseState:
    """The case of a Party with no submission yet: awaited, by the round's deadline, while the round
    awaits replies (closed otherwise, or once the Party's submission has taken the case over)."""
    started = round.submissions.filter(party=party, organisation__isnull=True).exists()
    return cases.CaseState(
        state=NOT_STARTED,
        waiting_on=WaitingOn.PARTY,
        title_en=_round_title(round, party, "en"),
        title_fr=_round_title(round, party, "fr"),
        due_date=round.reply_deadline,
        closed=started or round.status not in AWAITING_REPLIES,
    )


def describe(subject: Submission | MonitoringRound, party: Party) -> cases.CaseState:
    if isinstance(subject, MonitoringRound):
        return _not_started(subject, party)
    submission = subject
    status = submission.status
    waiting_on, due, closed = WaitingOn.SECRETARIAT, None, False
    if status in Submission.AWAITED:
        waiting_on = WaitingOn.PARTY
        due = submission.effective_deadline or submission.round.reply_deadline
    elif status == Status.REGISTERED:
        # The rapporteurs examine the registered replies while the round is in analysis.
        if submission.round.status == MonitoringRound.Status.ANALYSIS:
            waiting_on = WaitingOn.COMMITTEE
        else:
            waiting_on, closed = WaitingOn.NOBODY, True
    return cases.CaseState(
        state=status,
        waiting_on=waiting_on,
        title_en=_title(submission, "en"),
        title_fr=_title(submission, "fr"),
        due_date=due,
        closed=closed,
        organisation=submission.organisation,
    )


def handled_at(case: Case) -> str:
    if case.subject_type_id == ContentType.objects.get_for_model(MonitoringRound).pk:
        return reverse("admin:monitoring_monitoringround_state_of_play", args=[case.subject_id])
    return reverse("admin:monitoring_submission_change", args=[case.subject_id])


def _related(queryset):
    return queryset.select_related("round", "party", "organisation")


def _take_over(submission: Submission) -> None:
    """A Party's first submission in a round takes over the case opened while it had none: the
    handler, the notes and the correspondence stay with the case (its refresh records the change)."""
    if submission.organisation_id:
        return
    types = ContentType.objects.get_for_models(MonitoringRound, Submission)
    if Case.objects.filter(kind=KIND, subject_type=types[Submission], subject_id=submission.pk).exists():
        return
    Case.objects.filter(
        kind=KIND,
        subject_type=types[MonitoringRound],
        subject_id=submission.round_id,
        party=submission.party_id,
    ).update(subject_type=types[Submission], subject_id=submission.pk)


def _not_started_pairs(round: MonitoringRound, *, opened_only: bool = False) -> Iterator[tuple[Any, Party]]:
    """The participating Parties without a submission of their own in `round` (stakeholders aside)."""
    parties = round.parties.exclude(
        pk__in=round.submissions.filter(organisation__isnull=True).values("party")
    ).order_by("pk")
    if opened_only:  # only close the cases already opened, open no new one
        opened = Case.objects.filter(
            kind=KIND, subject_type=ContentType.objects.get_for_model(MonitoringRound), subject_id=round.pk
        )
        parties = parties.filter(pk__in=opened.values("party"))
    for party in parties:
        yield round, party


def concerns(event: events.Event) -> Iterator[tuple[Any, Party]]:
    """The "submission.*" events change their submission's case; "round.*" every case of the round
    (its status decides whether registered replies wait on the Committee, and whether the Parties
    that have not started are awaited)."""
    if event.key.startswith("submission.") and isinstance(event.subject, Submission):
        _take_over(event.subject)
        yield event.subject, event.subject.party
    elif event.key.startswith("round.") and isinstance(event.subject, MonitoringRound):
        round = event.subject
        for submission in _related(round.submissions.all()):
            yield submission, submission.party
        yield from _not_started_pairs(round, opened_only=round.status not in AWAITING_REPLIES)


def _started_but_open_pairs() -> Iterator[tuple[Any, Party]]:
    """The "not started" cases still open although their Party has a submission now (one written
    by an import before its submission took the case over): refreshed, they close."""
    opened = Case.objects.filter(
        kind=KIND, subject_type=ContentType.objects.get_for_model(MonitoringRound), closed_at__isnull=True
    ).select_related("party")
    for case in opened.order_by("pk"):
        round = MonitoringRound.objects.get(pk=case.subject_id)
        if round.submissions.filter(party=case.party_id, organisation__isnull=True).exists():
            yield round, case.party


def everything() -> Iterator[tuple[Any, Party]]:
    for submission in _related(Submission.objects.order_by("pk")).iterator(chunk_size=500):
        yield submission, submission.party
    for round in MonitoringRound.objects.filter(status__in=AWAITING_REPLIES).order_by("pk"):
        yield from _not_started_pairs(round)
    yield from list(_started_but_open_pairs())


def for_committee_member(user: User) -> Q:
    """The submissions of the rounds where the member is rapporteur for a question."""
    rounds = MonitoringRound.objects.filter(questions__rapporteurs__member=user).values("pk")
    return Q(
        subject_type=ContentType.objects.get_for_model(Submission),
        subject_id__in=Submission.objects.filter(round__in=rounds).values("pk"),
    )


SUBMISSION = cases.CaseKind(
    key=KIND,
    label=_("Submission"),
    model=Submission,
    states=STATES,
    describe=describe,
    handled_at=handled_at,
    concerns=concerns,
    everything=everything,
    for_committee_member=for_committee_member,
)


def refresh_submissions(submissions, *, by: User | None = None) -> None:
    """Bring the cases of `submissions` in step (after an import wrote them without the services)."""
    for submission in _related(Submission.objects.filter(pk__in=[s.pk for s in submissions])):
        _take_over(submission)  # as the services' events do: no second case beside the "not started" one
        cases.refresh(SUBMISSION, submission, submission.party, by=by)


def _round_edited(sender, instance: MonitoringRound, created: bool, update_fields=None, **kwargs) -> None:
    """A round's status decides whether its registered replies wait on the Committee: tell its cases."""
    if created or kwargs.get("raw") or (update_fields is not None and "status" not in update_fields):
        return
    events.emit("round.saved", subject=instance, by=getattr(instance, "_history_user", None))


def _submission_edited(sender, instance: Submission, created: bool, update_fields=None, **kwargs) -> None:
    """A submission edited as a whole (its deadlines in the admin) may change its case's due date.

    The services' moves save named fields and emit their own events.
    """
    if created or update_fields is not None or kwargs.get("raw"):
        return
    cases.refresh(SUBMISSION, instance, instance.party, by=getattr(instance, "_history_user", None))


def _round_parties_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    """Parties joining or leaving a round open or close their "not started" cases."""
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        events.emit("round.saved", subject=instance, by=getattr(instance, "_history_user", None))


def register() -> None:
    cases.register(SUBMISSION)
    m2m_changed.connect(
        _round_parties_changed,
        sender=MonitoringRound.parties.through,
        dispatch_uid="monitoring.cases.round_parties_changed",
    )
    post_save.connect(_round_edited, sender=MonitoringRound, dispatch_uid="monitoring.cases.round_edited")
    post_save.connect(
        _submission_edited, sender=Submission, dispatch_uid="monitoring.cases.submission_edited"
    )
