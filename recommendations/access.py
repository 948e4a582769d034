"""Who sees which recommendation rows, and who may do what to them: the app's rules in one place.

Row rules (registered with `secretariat.access` from `RecommendationsConfig.ready()`):
- Adopted reports, their chapters, recommendations and citations are public: every signed-in
  user reads them. A report in preparation and everything in it (chapters, draft recommendations
  and their citations) is the Secretariat's and the Committee's alone, as are its follow-ups
  (none is opened before adoption, and none would be shown).
- Findings and the evidence they cite follow their report (staff while in preparation, everyone
  once adopted); the rapporteurs' comments on findings are internal: staff only, always.
- Themes, practices and factsheets are public.
- A State user sees its own Party's follow-ups and updates; a stakeholder the follow-ups of the
  Party its organisation works on, and its organisation's own updates.
- Assessments: a State reads its own Party's, and other Parties' once published; other roles
  read published ones. The Secretariat and the Committee read everything.

Write rules (used by recommendations.services, the admin, the portal and the API alike):
`may_report`, `may_assess`, `may_review_updates`, `may_draft_report`, `may_draft_chapter`
(with `chapters_drafted_by`), `may_adopt_report`, `may_comment_findings`, `may_close_follow_up`;
compliance reports: `may_prepare_compliance_report`, `may_edit_compliance_report`,
`may_adopt_compliance_report`.
"""

from django.db.models import Model, Q, QuerySet

from monitoring.access import rapporteur_questions
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
    ComplianceReport,
    EscalationStep,
    Factsheet,
    FactsheetSection,
    Finding,
    FindingCitation,
    FindingComment,
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


def may_close_follow_up(user: User | None, follow_up: FollowUp | None = None) -> bool:
    """Closing a follow-up (by a meeting's decision): the Secretariat, once; a closed one stays closed."""
    if user is None or not is_secretariat(user):
        return False
    return follow_up is None or follow_up.closed_on is None


def may_draft_report(user: User | None, report: ImplementationReport | None = None) -> bool:
    """Writing a report's draft recommendations, marking its texts translated, and its findings in
    any chapter: the Secretariat, while the report is in preparation (an adopted report is frozen).
    Rapporteurs write findings in their chapters only: `may_draft_chapter`."""
    if user is None or not is_secretariat(user):
        return False
    return report is None or not report.is_adopted


def chapters_drafted_by(user: User | None) -> QuerySet:
    """The chapters whose findings `user` writes: every chapter of a report in preparation for the
    Secretariat; for a Committee member, those analysing a question they are rapporteur for (or a
    question below one: a rapporteur for 16 writes in a chapter on 16.1); none for anyone else."""
    chapters = Chapter.objects.filter(report__status=ImplementationReport.Status.IN_PREPARATION)
    if user is not None and is_secretariat(user):
        return chapters
    if user is not None and access.is_committee(user):
        return chapters.filter(questions__in=rapporteur_questions(user)).distinct()
    return chapters.none()


def may_draft_chapter(user: User | None, chapter: Chapter | None = None) -> bool:
    """Writing a chapter's findings and the evidence they cite, while its report is in preparation:
    the Secretariat in every chapter, a rapporteur in the chapters on their questions
    (`chapters_drafted_by`). Without a chapter: whether `user` writes in any. A query for a
    Committee member."""
    if user is None or not (is_secretariat(user) or access.is_committee(user)):
        return False
    if chapter is None:
        return is_secretariat(user) or chapters_drafted_by(user).exists()
    if chapter.report.is_adopted:
        return False
    return is_secretariat(user) or chapters_drafted_by(user).filter(pk=chapter.pk).exists()


def may_adopt_report(user: User | None) -> bool:
    """Recording a report's adoption (in a meeting's decision or outside one): the Secretariat."""
    return user is not None and is_secretariat(user)


def may_comment_findings(user: User | None, report: ImplementationReport | None = None) -> bool:
    """Commenting on a draft's findings: the rapporteurs (Committee members) and the Secretariat."""
    if user is None or not (is_secretariat(user) or access.is_committee(user)):
        return False
    return report is None or not report.is_adopted


def may_prepare_compliance_report(user: User | None, recommendation: Recommendation | None = None) -> bool:
    """Preparing a compliance report on a recommendation: the Secretariat, once the recommendation's
    report is adopted (a draft recommendation is followed up by nobody)."""
    if user is None or not is_secretariat(user):
        return False
    return recommendation is None or recommendation.report.is_adopted


def may_edit_compliance_report(user: User | None, report: ComplianceReport | None = None) -> bool:
    """Writing a compliance report's conclusions: the Secretariat, until it is adopted (then frozen)."""
    if user is None or not is_secretariat(user):
        return False
    return report is None or not report.is_adopted


def may_adopt_compliance_report(user: User | None) -> bool:
    """Recording a compliance report's adoption (a meeting's decision or the admin): the Secretariat."""
    return user is not None and is_secretariat(user)


# --- row rules ------------------------------------------------------------------------------------

ADOPTED = ImplementationReport.Status.ADOPTED


def adopted_for_everyone(model: type[Model], report: str) -> Selector:
    """The rule of a report's content: staff read it all, other signed-in users only once the report
    is adopted; `report` is the lookup from `model` to its report ("report", "chapter__report")."""
    status = f"{report}__status" if report else "status"

    def selector(user, queryset: QuerySet | None = None) -> QuerySet:
        queryset = model._default_manager.all() if queryset is None else queryset
        if sees_everything(user):
            return queryset
        if access.is_signed_in(user):
            return queryset.filter(**{status: ADOPTED})
        return queryset.none()

    selector.__doc__ = f"{model._meta.verbose_name_plural}: staff, and everyone once the report is adopted."
    return selector


def citations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """A practice's citations are public; a recommendation's follow its report."""
    queryset = Citation.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if access.is_signed_in(user):
        return queryset.filter(Q(practice__isnull=False) | Q(recommendation__report__status=ADOPTED))
    return queryset.none()


def escalation_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The Committee's escalation steps: staff read them all; a State user its own Party's (the
    steps are addressed to it); nobody else any."""
    queryset = EscalationStep.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := access.state_party_id(user):
        return queryset.filter(party=party_id)
    return queryset.none()


def finding_comments_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The rapporteurs' comments are internal: the Secretariat's and the Committee's, even after adoption."""
    queryset = FindingComment.objects.all() if queryset is None else queryset
    return queryset if sees_everything(user) else queryset.none()


def follow_ups_for(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = FollowUp.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if party_id := party_of_interest(user):
        # A draft report opens no follow-up; should one exist, its Party still does not see it.
        return queryset.filter(party=party_id, recommendation__report__status=ADOPTED)
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
    ImplementationReport: adopted_for_everyone(ImplementationReport, ""),
    Chapter: adopted_for_everyone(Chapter, "report"),
    Recommendation: adopted_for_everyone(Recommendation, "report"),
    Citation: citations_for,
    Finding: adopted_for_everyone(Finding, "chapter__report"),
    FindingCitation: adopted_for_everyone(FindingCitation, "finding__chapter__report"),
    FindingComment: finding_comments_for,
    EscalationStep: escalation_for,
    ComplianceReport: adopted_for_everyone(ComplianceReport, ""),
    **{model: published_for_everyone(model) for model in (Theme, Practice, Factsheet, FactsheetSection)},
    FollowUp: follow_ups_for,
    FollowUpUpdate: follow_up_updates_for,
    UpdateAttachment: update_attachments_for,
    Assessment: assessments_for,
}


def register_rules() -> None:
    for model, selector in ROW_RULES.items():
        access.register(model, selector)
    access.register_file_model(UpdateAttachment)
