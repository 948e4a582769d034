"""The one place that decides which rows a user may see.

Every entry point (admin, portal, API, exports, file downloads) takes its querysets from
`scoped(Model, user)` or from the named selectors below; a view that queries a model
directly is a bug. Rows outside a user's scope behave as if they did not exist (404).

Rules:
- Secretariat staff, superusers and Committee members see everything (Committee members
  only through view permissions: they change nothing).
- State coordinators and contributors see their own Party: its record, its people, its
  documents, the organisations working on it.
- Stakeholder contributors see their organisation, its people and its documents, and the
  Party their organisation comments on.
- Monitoring: State users see the rounds their Party takes part in (once out of preparation)
  and their Party's own submissions, drafts included; stakeholders their organisation's
  comments. Committee members see registered submissions whose authors consent to
  publication, and, as rapporteurs, every registered reply to their questions. Drafts are
  never shown outside the Secretariat and their authors.
- Anyone else (no role, inactive, anonymous) sees nothing.
"""

from collections.abc import Callable

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, StrIndex

from monitoring.models import (
    MonitoringRound,
    Question,
    RapporteurAssignment,
    Reminder,
    Reply,
    ReplyAttachment,
    Section,
    Submission,
    Transition,
)
from recommendations.models import (
    Assessment,
    Chapter,
    Citation,
    Factsheet,
    FactsheetSection,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Practice,
    Recommendation,
    Theme,
    UpdateAttachment,
)

from .models import (
    SECRETARIAT_ROLES,
    STAFF_ROLES,
    STATE_ROLES,
    ConventionArticle,
    Document,
    ImportJob,
    Organisation,
    Party,
    Role,
    User,
)


def sees_everything(user) -> bool:
    """Secretariat staff, superusers and Committee members read every record."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.role in STAFF_ROLES


def works_in_admin(user) -> bool:
    """The admin is for staff: Secretariat users, superusers and Committee members, who are
    exactly those who read every record."""
    return sees_everything(user)


def is_secretariat(user) -> bool:
    """Secretariat staff and superusers: those who register, assess and manage."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role in SECRETARIAT_ROLES)


def is_secretariat_admin(user) -> bool:
    """Secretariat administrators and superusers: those who manage accounts and read the audit log."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role == Role.SECRETARIAT_ADMIN)
    )


def _state_party_id(user) -> int | None:
    if user.is_authenticated and user.is_active and user.role in STATE_ROLES:
        return user.party_id
    return None


def _stakeholder_organisation_id(user) -> int | None:
    if user.is_authenticated and user.is_active and user.role == Role.STAKEHOLDER_CONTRIBUTOR:
        return user.organisation_id
    return None


def parties_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Party.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _state_party_id(user):
        return queryset.filter(pk=party_id)
    if organisation_id := _stakeholder_organisation_id(user):
        return queryset.filter(organisations=organisation_id)
    return queryset.none()


def organisations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Organisation.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _state_party_id(user):
        return queryset.filter(party=party_id)
    if organisation_id := _stakeholder_organisation_id(user):
        return queryset.filter(pk=organisation_id)
    return queryset.none()


def users_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = User.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _state_party_id(user):
        return queryset.filter(party=party_id)
    if organisation_id := _stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    return queryset.none()


def documents_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Document.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _state_party_id(user):
        return queryset.filter(party=party_id, organisation__isnull=True)
    if organisation_id := _stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    return queryset.none()


def articles_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The Convention is public: every signed-in user reads its articles."""
    queryset = ConventionArticle.objects.all() if queryset is None else queryset
    return queryset if user.is_authenticated and user.is_active else queryset.none()


def _is_committee(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.COMMITTEE_MEMBER


def rounds_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = MonitoringRound.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    started = queryset.exclude(status=MonitoringRound.Status.PREPARATION)
    if party_id := _state_party_id(user):
        return started.filter(parties=party_id)
    if organisation_id := _stakeholder_organisation_id(user):
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
    if party_id := _state_party_id(user):
        return queryset.filter(party=party_id, organisation__isnull=True)
    if organisation_id := _stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    if _is_committee(user):
        registered = queryset.filter(status=Submission.Status.REGISTERED)
        answering = Reply.objects.filter(_answers_any(rapporteur_questions(user)), submission=OuterRef("pk"))
        return registered.filter(Q(consent_to_publication=True) | Exists(answering))
    return queryset.none()


def replies_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Reply.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    if _is_committee(user):
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


def _published_for_everyone(model):
    """Reports, recommendations, practices and factsheets are public: every signed-in user reads them."""

    def selector(user, queryset: QuerySet | None = None) -> QuerySet:
        queryset = model.objects.all() if queryset is None else queryset
        return queryset if user.is_authenticated and user.is_active else queryset.none()

    return selector


def _party_of_interest(user) -> int | None:
    """The Party a State user belongs to, or the one a stakeholder's organisation works on."""
    if party_id := _state_party_id(user):
        return party_id
    if _stakeholder_organisation_id(user):
        return user.organisation.party_id
    return None


def follow_ups_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = FollowUp.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _party_of_interest(user):
        return queryset.filter(party=party_id)
    return queryset.none()


def follow_up_updates_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = FollowUpUpdate.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _state_party_id(user):
        return queryset.filter(follow_up__party=party_id, organisation__isnull=True)
    if organisation_id := _stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    return queryset.none()


def update_attachments_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = UpdateAttachment.objects.all() if queryset is None else queryset
    return queryset if sees_everything(user) else queryset.filter(update__in=follow_up_updates_for(user))


def assessments_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """A State reads its own Party's assessments, and other Parties' once published."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := _state_party_id(user):
        return queryset.filter(Q(follow_up__party=party_id) | Q(published=True))
    if user.is_authenticated and user.is_active and user.role:
        return queryset.filter(published=True)
    return queryset.none()


def import_jobs_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """A background import is seen only by the Secretariat user who started it."""
    queryset = ImportJob.objects.all() if queryset is None else queryset
    return queryset.filter(user=user) if is_secretariat(user) else queryset.none()


_SELECTORS: dict[type[Model], Callable[..., QuerySet]] = {
    Party: parties_for,
    Organisation: organisations_for,
    User: users_for,
    Document: documents_for,
    ConventionArticle: articles_for,
    MonitoringRound: rounds_for,
    Section: sections_for,
    Question: questions_for,
    Submission: submissions_for,
    Reply: replies_for,
    ReplyAttachment: attachments_for,
    Transition: transitions_for,
    RapporteurAssignment: rapporteurs_for,
    Reminder: reminders_for,
    ImplementationReport: _published_for_everyone(ImplementationReport),
    Chapter: _published_for_everyone(Chapter),
    Recommendation: _published_for_everyone(Recommendation),
    Citation: _published_for_everyone(Citation),
    Theme: _published_for_everyone(Theme),
    Practice: _published_for_everyone(Practice),
    Factsheet: _published_for_everyone(Factsheet),
    FactsheetSection: _published_for_everyone(FactsheetSection),
    FollowUp: follow_ups_for,
    FollowUpUpdate: follow_up_updates_for,
    UpdateAttachment: update_attachments_for,
    Assessment: assessments_for,
    ImportJob: import_jobs_for,
}


def register(model: type[Model], selector: Callable[..., QuerySet]) -> None:
    """Let another app declare the selector for one of its models."""
    _SELECTORS[model] = selector


def scoped(model: type[Model], user, queryset: QuerySet | None = None) -> QuerySet:
    """The rows of `model` that `user` may see; refuses models without a rule."""
    try:
        selector = _SELECTORS[model]
    except KeyError:
        raise LookupError(f"No access rule for {model._meta.label}; add one in access.py.") from None
    return selector(user, queryset)


def has_rule(model: type[Model]) -> bool:
    return model in _SELECTORS


def party_choices_for_new_records(user) -> QuerySet:
    """Parties a user may attach a new record to: all for the Secretariat, their own for a State user."""
    if is_secretariat(user):
        return Party.objects.all()
    if party_id := _state_party_id(user):
        return Party.objects.filter(pk=party_id)
    return Party.objects.none()
