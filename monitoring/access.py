"""Who sees which monitoring rows, and who may do what to them: the app's rules in one place.

Row rules (registered with `secretariat.access` from `MonitoringConfig.ready()`; every entry point
reads through `access.scoped(Model, user)`):
- State users see the rounds their Party takes part in (once out of preparation) and their
  Party's own submissions, drafts included; stakeholders their organisation's comments.
- Committee members see registered submissions whose authors consent to publication, and, as
  rapporteurs, every registered reply to their questions. Drafts are never shown outside the
  Secretariat and their authors.

Write rules (used by monitoring.services, the admin, the portal and the API alike): `may_edit`,
`may_submit`, `may_register`, `may_return`. They say who; the workflow (`Submission.TRANSITIONS`,
checked by the services) says when.
"""

from collections.abc import Callable

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, StrIndex

from secretariat import access
from secretariat.access import (
    Selector,
    is_secretariat,
    sees_everything,
    stakeholder_organisation_id,
    state_party_id,
)
from secretariat.models import Organisation, Role, User

from .models import (
    ChildParticipation,
    ChildParticipationReport,
    ChildParticipationTransition,
    ChildQuote,
    MonitoringRound,
    Question,
    RapporteurAssignment,
    Reminder,
    Reply,
    ReplyAttachment,
    SafeguardingFlag,
    Section,
    Submission,
    Transition,
)

# --- write rules ----------------------------------------------------------------------------------


def is_author(user: User, submission: Submission) -> bool:
    """The coordinator of the submission's Party, or a contributor of its stakeholder."""
    if not access.is_signed_in(user):
        return False
    if submission.organisation_id:
        return (
            user.role == Role.STAKEHOLDER_CONTRIBUTOR and user.organisation_id == submission.organisation_id
        )
    return user.role == Role.STATE_COORDINATOR and user.party_id == submission.party_id


def may_edit(user: User, submission: Submission) -> bool:
    """Drafting: any State user of the Party (or the stakeholder's contributors), while editable."""
    if not submission.is_editable or not access.is_signed_in(user):
        return False
    if submission.organisation_id:
        return (
            user.role == Role.STAKEHOLDER_CONTRIBUTOR and user.organisation_id == submission.organisation_id
        )
    return (
        user.role in (Role.STATE_COORDINATOR, Role.STATE_CONTRIBUTOR) and user.party_id == submission.party_id
    )


def may_submit(user: User, submission: Submission) -> bool:
    """Sending (or sending again) to the Secretariat: the submission's author, while it may be sent."""
    return is_author(user, submission) and any(
        submission.can_move_to(status)
        for status in (Submission.Status.SUBMITTED, Submission.Status.RESUBMITTED)
    )


def may_register(user: User, submission: Submission | None = None) -> bool:
    """Registering a received submission: the Secretariat."""
    return is_secretariat(user)


def may_return(user: User, submission: Submission | None = None) -> bool:
    """Returning a received submission for clarification: the Secretariat."""
    return is_secretariat(user)


# The rule of each move of the workflow, by the status it leads to.
MOVERS: dict[str, Callable[[User, Submission], bool]] = {
    Submission.Status.SUBMITTED: is_author,
    Submission.Status.RESUBMITTED: is_author,
    Submission.Status.REGISTERED: may_register,
    Submission.Status.RETURNED: may_return,
}


# --- row rules ------------------------------------------------------------------------------------


def rounds_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = MonitoringRound.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    started = queryset.exclude(status=MonitoringRound.Status.PREPARATION)
    if party_id := state_party_id(user):
        return started.filter(parties=party_id)
    if organisation_id := stakeholder_organisation_id(user):
        return started.filter(parties__organisations=organisation_id)
    return queryset.none()


def sections_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Section.objects.all() if queryset is None else queryset
    return queryset.filter(round__in=rounds_for(user))


def questions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Question.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(round__in=rounds_for(user))


def rapporteur_questions(user) -> QuerySet:
    """The questions a Committee member reports on, with every node below them (a lazy subquery).

    Node N lies under assigned question A when both are in the same round and N's ref is A's
    ref or starts with A's ref followed by a dot ("16" covers "16.1" and "16.1.a").
    """
    covering = (
        RapporteurAssignment.objects.filter(member=user.pk, question__round=OuterRef("round"))
        .annotate(prefix=Concat("question__ref", Value(".")), position=StrIndex(OuterRef("ref"), "prefix"))
        .filter(Q(question__ref=OuterRef("ref")) | Q(position=1))
    )
    return Question.objects.filter(Exists(covering)).values("pk")


def _answers_any(questions: QuerySet) -> Exists:
    return Exists(Reply.questions.through.objects.filter(reply=OuterRef("pk"), question__in=questions))


def submissions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Submission.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(party=party_id, organisation__isnull=True)
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    if access.is_committee(user):
        registered = queryset.filter(status=Submission.Status.REGISTERED)
        answering = Reply.objects.filter(_answers_any(rapporteur_questions(user)), submission=OuterRef("pk"))
        return registered.filter(Q(consent_to_publication=True) | Exists(answering))
    return queryset.none()


def replies_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Reply.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    if access.is_committee(user):
        registered = queryset.filter(submission__status=Submission.Status.REGISTERED)
        return registered.filter(
            Q(submission__consent_to_publication=True) | _answers_any(rapporteur_questions(user))
        )
    return queryset.filter(submission__in=submissions_for(user))


def attachments_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ReplyAttachment.objects.all() if queryset is None else queryset
    return queryset if is_secretariat(user) else queryset.filter(reply__in=replies_for(user))


def transitions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Transition.objects.all() if queryset is None else queryset
    return queryset if is_secretariat(user) else queryset.filter(submission__in=submissions_for(user))


def rapporteurs_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = RapporteurAssignment.objects.all() if queryset is None else queryset
    return queryset if sees_everything(user) else queryset.none()


def reminders_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Reminder.objects.all() if queryset is None else queryset
    return queryset if is_secretariat(user) else queryset.filter(submission__in=submissions_for(user))


# --- children's views: never through a State's access ----------------------------------------------


def may_create_participation(user: User, organisation: Organisation) -> bool:
    """Opening a contribution: the organisation's contributors, or the Secretariat (for one it
    received otherwise, on paper or by e-mail)."""
    if is_secretariat(user):
        return True
    organisation_id = stakeholder_organisation_id(user)
    return organisation_id is not None and organisation_id == organisation.pk


def may_edit_participation(user: User, contribution: ChildParticipation) -> bool:
    """Changing a contribution, its quotes and its report: the organisation's contributors while
    it is editable (draft, returned); the Secretariat until it is registered (correcting what the
    organisation sent, redacting), never after."""
    if is_secretariat(user):
        return contribution.status != Submission.Status.REGISTERED
    return contribution.is_editable and is_participation_author(user, contribution)


def is_participation_author(user: User, contribution: ChildParticipation) -> bool:
    """A contributor of the organisation that ran the activity."""
    organisation_id = stakeholder_organisation_id(user)
    return organisation_id is not None and organisation_id == contribution.organisation_id


def may_submit_participation(user: User, contribution: ChildParticipation) -> bool:
    """Sending (or sending again) to the Secretariat: the organisation's contributors."""
    return is_participation_author(user, contribution) and any(
        contribution.can_move_to(status)
        for status in (Submission.Status.SUBMITTED, Submission.Status.RESUBMITTED)
    )


def may_review_participation(user: User, contribution: ChildParticipation | None = None) -> bool:
    """Registering, returning, redacting or confirming what the safeguarding check found: the Secretariat."""
    return is_secretariat(user)


#: The rule of each move of a contribution's workflow, by the status it leads to.
PARTICIPATION_MOVERS: dict[str, Callable[[User, ChildParticipation], bool]] = {
    Submission.Status.SUBMITTED: is_participation_author,
    Submission.Status.RESUBMITTED: is_participation_author,
    Submission.Status.REGISTERED: may_review_participation,
    Submission.Status.RETURNED: may_review_participation,
}


def participations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The Secretariat sees every contribution, an organisation's contributors their own, and a
    Committee member the registered ones of the rounds where they are a rapporteur; nobody else."""
    queryset = ChildParticipation.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    if access.is_committee(user):
        rapporteur_rounds = RapporteurAssignment.objects.filter(member=user.pk).values("question__round")
        return queryset.filter(status=Submission.Status.REGISTERED, round__in=rapporteur_rounds)
    return queryset.none()


def quotes_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ChildQuote.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    return queryset.filter(contribution__in=participations_for(user))


def participation_reports_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ChildParticipationReport.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    return queryset.filter(contribution__in=participations_for(user))


def participation_transitions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ChildParticipationTransition.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    if stakeholder_organisation_id(user):
        return queryset.filter(contribution__in=participations_for(user))
    return queryset.none()


def safeguarding_flags_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The safeguarding check's findings and decisions: the Secretariat's only."""
    queryset = SafeguardingFlag.objects.all() if queryset is None else queryset
    return queryset if is_secretariat(user) else queryset.none()


ROW_RULES: dict[type[Model], Selector] = {
    MonitoringRound: rounds_for,
    Section: sections_for,
    Question: questions_for,
    Submission: submissions_for,
    Reply: replies_for,
    ReplyAttachment: attachments_for,
    Transition: transitions_for,
    RapporteurAssignment: rapporteurs_for,
    Reminder: reminders_for,
    ChildParticipation: participations_for,
    ChildQuote: quotes_for,
    ChildParticipationReport: participation_reports_for,
    ChildParticipationTransition: participation_transitions_for,
    SafeguardingFlag: safeguarding_flags_for,
}


def register_rules() -> None:
    for model, selector in ROW_RULES.items():
        access.register(model, selector)
    access.register_file_model(ReplyAttachment)
    access.register_file_model(ChildParticipationReport)
