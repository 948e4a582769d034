"""Searching the text of replies, within what the user may read.

On PostgreSQL, full-text search with stemming in each reply's own language, so that
"coopération" finds "coopérer" and "cooperating" finds "cooperation". The expressions are
exactly those of the partial GIN indexes of migration 0002 (`to_tsvector('english', text)`
for English replies, 'french' for French ones), so the planner can use them; Django's own
SearchVector would wrap the column in COALESCE and miss the indexes. Elsewhere (SQLite in
development), every word must appear somewhere in the text, whatever its case.
"""

from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value, When

from secretariat import access

from .models import Language, MonitoringRound, Reply

# Reply language -> PostgreSQL text-search configuration; one partial index each.
CONFIGS = {Language.ENGLISH: "english", Language.FRENCH: "french"}


class _ToTsvector(Func):
    """to_tsvector('<config>', text), the indexed expression, with no COALESCE around the column."""

    function = "to_tsvector"
    output_field = SearchVectorField()


def _tsvector(config: str) -> _ToTsvector:
    return _ToTsvector(SearchConfig(config), F("text"))


def _full_text(queryset: QuerySet, query: str) -> QuerySet:
    matches, ranks = Q(), []
    for language, config in CONFIGS.items():
        vector, search = f"fts_{language}", SearchQuery(query, config=config)
        queryset = queryset.alias(**{vector: _tsvector(config)})
        matches |= Q(language=language, **{vector: search})
        ranks.append(When(language=language, then=SearchRank(F(vector), search)))
    rank = Case(*ranks, default=Value(0.0), output_field=FloatField())
    return queryset.filter(matches).annotate(rank=rank).order_by("-rank", "pk")


def _every_word(queryset: QuerySet, query: str) -> QuerySet:
    for word in query.split():
        queryset = queryset.filter(text__icontains=word)
    return queryset


def _answering(question_ref: str) -> Exists:
    """The reply answers the question `question_ref` or a node below it ('16' matches '16.1.a')."""
    links = Reply.questions.through.objects.filter(reply=OuterRef("pk")).filter(
        Q(question__ref=question_ref) | Q(question__ref__startswith=f"{question_ref}.")
    )
    return Exists(links)


def search_replies(
    *,
    user,
    query: str,
    round: MonitoringRound | int | None = None,
    party=None,
    question_ref: str | None = None,
    language: str | None = None,
) -> QuerySet[Reply]:
    """The replies `user` may read that match `query` and the given filters, best matches first.

    An empty query matches every reply (the filters still apply).
    """
    replies = access.scoped(Reply, user)
    if round is not None:
        replies = replies.filter(submission__round=round)
    if party is not None:
        replies = replies.filter(submission__party=party)
    if language:
        replies = replies.filter(language=language)
    if question_ref:
        replies = replies.filter(_answering(question_ref.strip()))
    query = (query or "").strip()
    if not query:
        return replies
    if connection.vendor == "postgresql":
        return _full_text(replies, query)
    return _every_word(replies, query)
