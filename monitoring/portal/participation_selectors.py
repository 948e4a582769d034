"""What the portal's children's views pages read: an organisation's contributions, the rounds open
to them, one contribution with its quotes and reports. Every queryset comes from
secretariat.access; each page runs a fixed number of queries whatever the number of rows."""

from django.db.models import Count, Prefetch, QuerySet

from secretariat import access
from secretariat.models import Party

from ..models import (
    ChildParticipation,
    ChildParticipationReport,
    ChildParticipationTransition,
    ChildQuote,
    MonitoringRound,
    Question,
    Section,
)

#: The rounds an organisation may send children's views to: their questionnaire is out.
OPEN_FOR_CONTRIBUTIONS = (MonitoringRound.Status.QUESTIONNAIRE_SENT, MonitoringRound.Status.COLLECTING)


def open_rounds(user) -> QuerySet:
    """The rounds the user sees whose questionnaire is out (newest first)."""
    return access.scoped(MonitoringRound, user).filter(status__in=OPEN_FOR_CONTRIBUTIONS)


def contributions(user) -> QuerySet:
    """The user's organisation's contributions, newest round first, with their number of quotes."""
    return (
        access.scoped(ChildParticipation, user)
        .select_related("round", "party")
        .annotate(quote_count=Count("quotes"))
        .order_by("-round__number", "party__name_en", "pk")
    )


def contribution(user, pk: int) -> ChildParticipation | None:
    """One contribution with its round, Party, organisation, questions, themes, quotes (and the
    questions each speaks to) and reports; None outside the user's scope."""
    quotes = access.scoped(ChildQuote, user).prefetch_related(
        Prefetch("questions", queryset=access.scoped(Question, user).order_by("order", "pk"))
    )
    return (
        access.scoped(ChildParticipation, user)
        .select_related("round", "party", "organisation")
        .prefetch_related(
            Prefetch("questions", queryset=access.scoped(Question, user).order_by("order", "pk")),
            Prefetch("sections", queryset=access.scoped(Section, user)),
            Prefetch("quotes", queryset=quotes),
            Prefetch("reports", queryset=access.scoped(ChildParticipationReport, user).order_by("pk")),
        )
        .filter(pk=pk)
        .first()
    )


def quote(user, pk: int) -> ChildQuote | None:
    """One quote with its contribution and round; None outside the user's scope."""
    scoped = access.scoped(ChildQuote, user).select_related("contribution__round")
    return scoped.prefetch_related("questions").filter(pk=pk).first()


def round_questions(user, round: MonitoringRound, *, keep: QuerySet | None = None) -> QuerySet:
    """The round's numbered questions, in order (and the nodes in `keep`, already chosen)."""
    numbered = access.scoped(Question, user).filter(round=round, kind=Question.Kind.QUESTION)
    if keep is not None:
        numbered = numbered | access.scoped(Question, user).filter(round=round, pk__in=keep.values("pk"))
    return numbered.order_by("order", "pk")


def round_sections(user, round: MonitoringRound) -> QuerySet:
    return access.scoped(Section, user).filter(round=round).order_by("order")


def round_parties(round: MonitoringRound) -> QuerySet:
    """The round's Parties (a Party's name is public; the round itself was read through the door)."""
    return round.parties.all().order_by("name_en")


def transitions(user, contribution: ChildParticipation) -> QuerySet:
    return (
        access.scoped(ChildParticipationTransition, user)
        .filter(contribution=contribution)
        .select_related("by")
    )


def party_choice(user, round: MonitoringRound) -> Party | None:
    """The Party the user's organisation works on, if it takes part in the round: the form's default."""
    organisation = getattr(user, "organisation", None)
    if organisation is None or organisation.party_id is None:
        return None
    return round_parties(round).filter(pk=organisation.party_id).first()
