"""A respondent's submission in a round, as a case: what it waits on and by when.

Registered from `MonitoringConfig.ready()`. The case follows the submission's workflow: a draft
or a returned submission waits on the Party (until its deadline), a sent one on the Secretariat
(to register it, or to look at it again after a return), a registered one on the Committee while
the round is in analysis (the rapporteurs examine the replies), and is closed otherwise.
"""

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from secretariat import cases, events
from secretariat.models import Case, Party, User

from .models import MonitoringRound, Submission

KIND = "submission"
Status = Submission.Status
WaitingOn = Case.WaitingOn

STATES = {
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
        if submission.organisation_id:
            values["organisation"] = (
                submission.organisation.name_fr if language == "fr" else submission.organisation.name
            ) or submission.organisation.name
            return str(_("Comments of %(organisation)s on %(party)s, round %(round)s") % values)
        return str(_("Replies of %(party)s, round %(round)s") % values)


def describe(submission: Submission, party: Party) -> cases.CaseState:
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
    return reverse("admin:monitoring_submission_change", args=[case.subject_id])


def _related(queryset):
    return queryset.select_related("round", "party", "organisation")


def concerns(event: events.Event) -> Iterator[tuple[Submission, Party]]:
    """The "submission.*" events change their submission's case; "round.*" every submission of the round
    (its status decides whether registered replies wait on the Committee)."""
    if event.key.startswith("submission.") and isinstance(event.subject, Submission):
        yield event.subject, event.subject.party
    elif event.key.startswith("round.") and isinstance(event.subject, MonitoringRound):
        for submission in _related(event.subject.submissions.all()):
            yield submission, submission.party


def everything() -> Iterator[tuple[Submission, Party]]:
    for submission in _related(Submission.objects.order_by("pk")).iterator(chunk_size=500):
        yield submission, submission.party


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


def register() -> None:
    cases.register(SUBMISSION)
    post_save.connect(_round_edited, sender=MonitoringRound, dispatch_uid="monitoring.cases.round_edited")
    post_save.connect(
        _submission_edited, sender=Submission, dispatch_uid="monitoring.cases.submission_edited"
    )
