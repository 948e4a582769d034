"""Finding promising practices: by words, Party, theme and Convention article.

Practices are published material: every signed-in user reads them (access.scoped). The search
matches every word of the query in the title or the text, whatever its case, on every database
(a few hundred practices do not call for full-text indexes).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from secretariat import access
from secretariat.models import ConventionArticle, Party

from .factsheets import state_names
from .models import Citation, Practice, Theme


def search_practices(
    *,
    user,
    query: str = "",
    party: Party | str | None = None,
    theme: Theme | str | None = None,
    article: ConventionArticle | int | None = None,
) -> QuerySet[Practice]:
    """The practices `user` may read matching the query and filters, by title, relations prefetched.

    `party` is a Party or its code: it matches the practice's Parties and its other States' codes.
    `theme` is a Theme or its slug; `article` an article or its number (matched through citations).
    Reading the result costs four queries: the practices, their Parties, themes and citations.
    """
    practices = access.scoped(Practice, user)
    for word in (query or "").split():
        practices = practices.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if party:
        code = party.code if isinstance(party, Party) else party.strip().upper()
        by_party = Practice.parties.through.objects.filter(party__code=code).values("practice")
        practices = practices.filter(Q(pk__in=by_party) | Q(other_states__icontains=code))
    if theme:
        slug = theme.slug if isinstance(theme, Theme) else theme
        practices = practices.filter(
            pk__in=Practice.themes.through.objects.filter(theme__slug=slug).values("practice")
        )
    if article:
        number = article.number if isinstance(article, ConventionArticle) else int(article)
        citing = access.scoped(Citation, user).filter(practice__isnull=False, article__number=number)
        practices = practices.filter(pk__in=citing.values("practice"))
    citations = (
        access.scoped(Citation, user).select_related("article").order_by("article__number", "paragraph")
    )
    return practices.order_by("title", "pk").prefetch_related(
        "parties", "themes", Prefetch("citations", queryset=citations)
    )


def practice_parties(*, user) -> QuerySet[Party]:
    """The Parties named by practices `user` may read, for the search's Party filter.

    The practices are published, and so are the names of the Parties they come from: a State
    user filters by any of them, not only by their own Party (which access.parties_for limits).
    """
    named = Practice.parties.through.objects.filter(practice__in=access.scoped(Practice, user))
    return Party.objects.filter(pk__in=named.values("party")).order_by("name_en")


def practice_articles(*, user) -> QuerySet[ConventionArticle]:
    """The Convention articles cited by practices, for the search's article filter."""
    cited = access.scoped(Citation, user).filter(practice__isnull=False).values("article")
    return access.scoped(ConventionArticle, user).filter(pk__in=cited)


@dataclass(frozen=True)
class PracticeResult:
    """One practice as the search page lists it."""

    practice: Practice
    states: list[str]  # its Parties' names, then other States' names
    articles: list[str]  # "38(1)(a)"


def describe(practices) -> list[PracticeResult]:
    """Results from practices read through `search_practices` (no further query)."""
    return [
        PracticeResult(
            practice=practice,
            states=state_names(practice),
            articles=[citation.short for citation in practice.citations.all()],
        )
        for practice in practices
    ]
