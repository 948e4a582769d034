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
- Anyone else (no role, inactive, anonymous) sees nothing.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet

from .models import (
    SECRETARIAT_ROLES,
    STATE_ROLES,
    ConventionArticle,
    Document,
    Organisation,
    Party,
    Role,
    User,
)


def sees_everything(user) -> bool:
    """Secretariat staff, superusers and Committee members read every record."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.role in SECRETARIAT_ROLES or user.role == Role.COMMITTEE_MEMBER


def is_secretariat(user) -> bool:
    """Secretariat staff and superusers: those who register, assess and manage."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role in SECRETARIAT_ROLES)


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


_SELECTORS: dict[type[Model], Callable[..., QuerySet]] = {
    Party: parties_for,
    Organisation: organisations_for,
    User: users_for,
    Document: documents_for,
    ConventionArticle: articles_for,
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
