"""Who sees which recommendation rows, and who may do what to them: the app's rules in one place.

Row rules (registered with `secretariat.access` from `RecommendationsConfig.ready()`):
- Reports, chapters, recommendations, citations, themes, practices and factsheets are public:
  every signed-in user reads them.
- A State user sees its own Party's follow-ups and updates; a stakeholder the follow-ups of the
  Party its organisation works on, and its organisation's own updates.
- Assessments: a State reads its own Party's, and other Parties' once published; other roles
  read published ones. The Secretariat and the Committee read everything.

Write rules (used by recommendations.services, the admin, the portal and the API alike):
`may_report`, `may_assess`, `may_review_updates`.
"""

from django.db.models import Model, Q, QuerySet

from secretariat import access
from secretariat.access import (
    Selector,
    is_secretariat,
    party_of_interest,
    published_for_everyone,
    sees_everything,
    stakeholder_organisation_id,
    state_party_id,
)
from secretariat.models import Role, User

from .models import (
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

# --- write rules ----------------------------------------------------------------------------------


def may_report(user: User, follow_up: FollowUp) -> bool:
    """State coordinators report for their Party; stakeholders may inform about the Party they work on."""
    if not (access.is_signed_in(user) and follow_up.active):
        return False
    if user.role == Role.STATE_COORDINATOR:
        return user.party_id == follow_up.party_id
    if user.role == Role.STAKEHOLDER_CONTRIBUTOR:
        return user.organisation is not None and user.organisation.party_id == follow_up.party_id
    return False


def may_assess(user: User | None) -> bool:
    """Recording the Committee's assessments of follow-ups: the Secretariat."""
    return user is not None and is_secretariat(user)


def may_review_updates(user: User | None) -> bool:
    """Asking a State or a stakeholder for more information about an update: the Secretariat."""
    return user is not None and is_secretariat(user)


# --- row rules ------------------------------------------------------------------------------------


def follow_ups_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = FollowUp.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := party_of_interest(user):
        return queryset.filter(party=party_id)
    return queryset.none()


def follow_up_updates_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = FollowUpUpdate.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := state_party_id(user):
        return queryset.filter(follow_up__party=party_id, organisation__isnull=True)
    if organisation_id := stakeholder_organisation_id(user):
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
    if party_id := state_party_id(user):
        return queryset.filter(Q(follow_up__party=party_id) | Q(published=True))
    if access.is_signed_in(user) and user.role:
        return queryset.filter(published=True)
    return queryset.none()


ROW_RULES: dict[type[Model], Selector] = {
    **{
        model: published_for_everyone(model)
        for model in (
            ImplementationReport,
            Chapter,
            Recommendation,
            Citation,
            Theme,
            Practice,
            Factsheet,
            FactsheetSection,
        )
    },
    FollowUp: follow_ups_for,
    FollowUpUpdate: follow_up_updates_for,
    UpdateAttachment: update_attachments_for,
    Assessment: assessments_for,
}


def register_rules() -> None:
    for model, selector in ROW_RULES.items():
        access.register(model, selector)
    access.register_file_model(UpdateAttachment)
