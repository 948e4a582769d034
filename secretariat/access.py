"""The one place that decides which rows a user may see, and the shared predicates of who may act.

Every entry point (admin, portal, API, exports, file downloads, generated documents) takes its
querysets from `scoped(Model, user)`; a view that queries a model directly is a bug. Rows outside
a user's scope behave as if they did not exist (404).

The core holds the mechanism and the core models' rules; each feature app declares the rules of
its own models in its `access.py` (row rules and write rules side by side) and registers them
from its `AppConfig.ready()` with `register()`. `scoped()` refuses a model nobody registered.

Core rules:
- Secretariat staff, superusers and Committee members see everything (Committee members
  only through view permissions: they change nothing).
- State coordinators and contributors see their own Party: its record, its people, its
  documents, the organisations working on it.
- Stakeholder contributors see their organisation, its people and its documents, and the
  Party their organisation comments on.
- Anyone else (no role, inactive, anonymous) sees nothing.
"""

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet

from .models import (
    SECRETARIAT_ROLES,
    STAFF_ROLES,
    STATE_ROLES,
    AgendaItem,
    Case,
    ConventionArticle,
    Correspondence,
    Decision,
    Document,
    GeneratedDocument,
    ImportJob,
    LetterTemplate,
    Meeting,
    Note,
    Notification,
    Organisation,
    Party,
    Role,
    ScheduledRun,
    User,
)

Selector = Callable[..., QuerySet]

# --- who the user is: the predicates every app's rules are built from -----------------------------


def is_signed_in(user) -> bool:
    """An authenticated, active account: the least anyone needs to see or do anything."""
    return bool(user and user.is_authenticated and user.is_active)


def sees_everything(user) -> bool:
    """Secretariat staff, superusers and Committee members read every record."""
    return is_signed_in(user) and (user.is_superuser or user.role in STAFF_ROLES)


def works_in_admin(user) -> bool:
    """The admin is for staff: Secretariat users, superusers and Committee members, who are
    exactly those who read every record."""
    return sees_everything(user)


def is_secretariat(user) -> bool:
    """Secretariat staff and superusers: those who register, assess and manage."""
    return is_signed_in(user) and (user.is_superuser or user.role in SECRETARIAT_ROLES)


def is_secretariat_admin(user) -> bool:
    """Secretariat administrators and superusers: those who manage accounts and read the audit log."""
    return is_signed_in(user) and (user.is_superuser or user.role == Role.SECRETARIAT_ADMIN)


def is_committee(user) -> bool:
    return is_signed_in(user) and user.role == Role.COMMITTEE_MEMBER


def state_party_id(user) -> int | None:
    """The Party of a State coordinator or contributor; None for anyone else."""
    if is_signed_in(user) and user.role in STATE_ROLES:
        return user.party_id
    return None


def stakeholder_organisation_id(user) -> int | None:
    """The organisation of a stakeholder contributor; None for anyone else."""
    if is_signed_in(user) and user.role == Role.STAKEHOLDER_CONTRIBUTOR:
        return user.organisation_id
    return None


def party_of_interest(user) -> int | None:
    """The Party a State user belongs to, or the one a stakeholder's organisation works on."""
    if party_id := state_party_id(user):
        return party_id
    if stakeholder_organisation_id(user):
        return user.organisation.party_id
    return None


def is_respondent(user) -> bool:
    """State users and stakeholder contributors: who write replies, comments and updates in the portal."""
    return is_signed_in(user) and user.role in (*STATE_ROLES, Role.STAKEHOLDER_CONTRIBUTOR)


# --- the core's write rules ----------------------------------------------------------------------


def may_file_documents(user) -> bool:
    """State users file documents for their Party, stakeholders for their organisation (the portal)."""
    return is_respondent(user)


def may_import(user, permission: str) -> bool:
    """Imports are the Secretariat's; each kind also needs its model permission (`ImportKind.permission`)."""
    return is_secretariat(user) and user.has_perm(permission)


def may_assign_cases(user) -> bool:
    """Who hands cases to officers (and takes them back): the Secretariat."""
    return is_secretariat(user)


def may_export_dataset(user) -> bool:
    """The whole dataset in one download (every kind, every Party): the Secretariat's alone."""
    return is_secretariat(user)


# --- the core's row rules ------------------------------------------------------------------------


def parties_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Party.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(pk=party_id)
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(organisations=organisation_id)
    return queryset.none()


def organisations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Organisation.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(party=party_id)
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(pk=organisation_id)
    return queryset.none()


def users_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = User.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(party=party_id)
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    return queryset.none()


def documents_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Document.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(party=party_id, organisation__isnull=True)
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    return queryset.none()


def published_for_everyone(model: type[Model]) -> Selector:
    """The rule of a public record (the Convention, reports, practices ...): every signed-in user reads it."""

    def selector(user, queryset: QuerySet | None = None) -> QuerySet:
        queryset = model._default_manager.all() if queryset is None else queryset
        return queryset if is_signed_in(user) else queryset.none()

    selector.__doc__ = f"{model._meta.verbose_name_plural}: every signed-in user reads them."
    return selector


articles_for = published_for_everyone(ConventionArticle)


def import_jobs_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """A background import is seen only by the Secretariat user who started it."""
    queryset = ImportJob.objects.all() if queryset is None else queryset
    return queryset.filter(user=user) if is_secretariat(user) else queryset.none()


def generated_documents_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """A document prepared in the background is seen by its requester and the Secretariat, nobody else:
    it may hold drafts or confidential replies its requester was allowed to compile."""
    queryset = GeneratedDocument.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    return queryset.filter(requested_by=user) if is_signed_in(user) else queryset.none()


def cases_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Staff read every case; a State user its Party's own (not the stakeholders'), a stakeholder its own."""
    queryset = Case.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(party=party_id, organisation__isnull=True)
    if organisation_id := stakeholder_organisation_id(user):
        return queryset.filter(organisation=organisation_id)
    return queryset.none()


def committee_cases(user) -> Q:
    """The cases a Committee member works on: those each kind of case gives its rapporteurs."""
    from .cases import kinds

    condition = Q(pk__in=[])
    for kind in kinds():
        if kind.for_committee_member is not None:
            condition |= Q(kind=kind.key) & kind.for_committee_member(user)
    return condition


def notes_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Internal notes: the Secretariat's, and Committee members' on the cases of their questions.
    Never a State's or a stakeholder's, whatever the case."""
    queryset = Note.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    if is_committee(user):
        return queryset.filter(case__in=Case.objects.filter(committee_cases(user)).values("pk"))
    return queryset.none()


def may_write_note(user, case: Case) -> bool:
    """The Secretariat on any case; a Committee member on the cases of their questions."""
    if is_secretariat(user):
        return True
    return is_committee(user) and Case.objects.filter(committee_cases(user), pk=case.pk).exists()


def notifications_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Everyone reads their own notifications, and nobody anyone else's."""
    queryset = Notification.objects.all() if queryset is None else queryset
    return queryset.filter(recipient=user) if is_signed_in(user) else queryset.none()


def correspondence_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Staff read every Party's correspondence; a State user its own Party's; nobody else any."""
    queryset = Correspondence.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(party=party_id)
    return queryset.none()


def committee_only(model: type[Model]) -> Selector:
    """The rule of the Committee's working material (meetings and their agendas before they are
    published): the Secretariat and the Committee members, never a State or a stakeholder."""

    def selector(user, queryset: QuerySet | None = None) -> QuerySet:
        queryset = model._default_manager.all() if queryset is None else queryset
        return queryset if sees_everything(user) else queryset.none()

    selector.__doc__ = f"{model._meta.verbose_name_plural}: the Secretariat's and the Committee's."
    return selector


def decisions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The Committee's decisions: all of them for staff; for a State user, the published ones
    on items concerning its Party or every Party; none for anyone else."""
    queryset = Decision.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(Q(item__party=party_id) | Q(item__party__isnull=True), published=True)
    return queryset.none()


def secretariat_only(model: type[Model]) -> Selector:
    """The rule of the Secretariat's own tools (letter templates, the scheduler's runs)."""

    def selector(user, queryset: QuerySet | None = None) -> QuerySet:
        queryset = model._default_manager.all() if queryset is None else queryset
        return queryset if is_secretariat(user) else queryset.none()

    selector.__doc__ = f"{model._meta.verbose_name_plural}: the Secretariat's alone."
    return selector


# --- the registry and the door -------------------------------------------------------------------

_SELECTORS: dict[type[Model], Selector] = {}

#: Models whose `file` is served by `/files/` (secretariat.views.protected_file), to those who see the row.
FILE_MODELS: list[type[Model]] = []


def register(model: type[Model], selector: Selector) -> None:
    """Declare the row rule of `model`; each app registers its models' rules from its AppConfig.ready()."""
    if _SELECTORS.get(model, selector) is not selector:
        raise ValueError(f"{model._meta.label} already has an access rule.")
    _SELECTORS[model] = selector


def register_file_model(model: type[Model]) -> None:
    """Let `/files/` serve the `file` of `model`'s rows, each to the users whose scope holds it."""
    if model not in FILE_MODELS:
        FILE_MODELS.append(model)


def register_core_rules() -> None:
    for model, selector in {
        Party: parties_for,
        Organisation: organisations_for,
        User: users_for,
        Document: documents_for,
        ConventionArticle: articles_for,
        ImportJob: import_jobs_for,
        GeneratedDocument: generated_documents_for,
        Case: cases_for,
        Note: notes_for,
        Notification: notifications_for,
        Correspondence: correspondence_for,
        LetterTemplate: secretariat_only(LetterTemplate),
        ScheduledRun: secretariat_only(ScheduledRun),
        Meeting: committee_only(Meeting),
        AgendaItem: committee_only(AgendaItem),
        Decision: decisions_for,
    }.items():
        register(model, selector)
    register_file_model(Document)
    register_file_model(GeneratedDocument)


def scoped(model: type[Model], user, queryset: QuerySet | None = None) -> QuerySet:
    """The rows of `model` that `user` may see; refuses models without a rule."""
    try:
        selector = _SELECTORS[model]
    except KeyError:
        raise LookupError(
            f"No access rule for {model._meta.label}; register one in its app's access.py."
        ) from None
    return selector(user, queryset)


def has_rule(model: type[Model]) -> bool:
    return model in _SELECTORS


def party_choices_for_new_records(user) -> QuerySet:
    """Parties a user may attach a new record to: all for the Secretariat, their own for a State user."""
    if is_secretariat(user):
        return Party.objects.all()
    if party_id := state_party_id(user):
        return Party.objects.filter(pk=party_id)
    return Party.objects.none()
