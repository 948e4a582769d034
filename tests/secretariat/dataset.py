"""A representative dataset for the export tests, and a way back to an empty database.

`build_dataset()` creates records of every model a registered import kind reads (kinds are
registered by each app, so a kind added later is covered as soon as its builder below exists),
with texts that test the spreadsheet quoting and the CSV quoting: formula starts (= + - @), a
text already starting with a quote, double quotes, semicolons (the list separator), line breaks
and non-ASCII letters.
"""

import datetime
from collections.abc import Callable

from django.apps import apps
from django.db import connection
from django.db.models import Model

from monitoring.models import MonitoringRound, Question, Reply, Submission
from recommendations import services as recommendation_services
from recommendations.models import (
    AssessedStatus,
    Citation,
    FollowUp,
    ImplementationReport,
    Practice,
    Recommendation,
    Theme,
)
from secretariat import services
from secretariat.exports import kinds_in_order
from secretariat.models import ConventionArticle, Organisation, Party, Role, User
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    RoundFactory,
    SectionFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.recommendations.factories import (
    ChapterFactory,
    PracticeFactory,
    RecommendationFactory,
    ReportFactory,
    ThemeFactory,
)

TRICKY_TEXTS = [
    '=HYPERLINK("http://evil.example","click")',
    "+33 1 23 45 67 89",
    "-1 and falling",
    "@SUM(A1:A9)",
    "'=already quoted once",
    'He said "yes"; she said «non»',
    "Two lines,\nthe second with é, ü and «guillemets»",
    "Zürich; Genève – ça marche",
]
DOMAIN_APPS = ("recommendations", "monitoring", "secretariat")


def tricky(index: int) -> str:
    return TRICKY_TEXTS[index % len(TRICKY_TEXTS)]


def registered_models() -> set[type[Model]]:
    return {kind.resource._meta.model for kind in kinds_in_order()}


# --- one builder per model a kind may read; each adds `size` records ------------------------


def _parties(size: int) -> None:
    services.load_reference_data()
    for index in range(size):
        PartyFactory(
            name_en=tricky(2 * index),
            name_fr=tricky(2 * index + 1),
            statuses_as_of=datetime.date(2024, 5, 17),
            weprotect_member=index % 2 == 0,
        )


def _articles(size: int) -> None:
    services.load_reference_data()
    for index in range(size):
        ArticleFactory(number=100 + index, title_en=tricky(index), title_fr=tricky(index + 3))


def _organisations(size: int) -> None:
    parties = list(Party.objects.order_by("pk")[:3])
    for index in range(size):
        OrganisationFactory(
            name=f"{tricky(index)} #{index}",
            name_fr=tricky(index + 2),
            party=parties[index % len(parties)] if index % 3 else None,
            website="https://www.example.org/ngo",
            email=f"ngo{index}@example.org",
        )


def _parties_of_rounds() -> list[Party]:
    return list(Party.objects.order_by("pk")[:3])


def _rounds(size: int) -> list[MonitoringRound]:
    rounds = []
    for index in range(size):
        round = RoundFactory(
            number=40 + index,
            title_en=tricky(index),
            title_fr=tricky(index + 1),
            theme_en=tricky(index + 2),
            theme_fr=tricky(index + 3),
        )
        round.parties.set(_parties_of_rounds())
        rounds.append(round)
    return rounds


def _questions(size: int) -> None:
    round = MonitoringRound.objects.order_by("pk").first() or _rounds(1)[0]
    section = SectionFactory(round=round, order=1, title_en=tricky(5), title_fr=tricky(6))
    for index in range(size):
        question = QuestionFactory(
            round=round,
            section=section,
            ref=str(index + 1),
            order=(index + 1) * 10,
            text_en=tricky(index),
            text_fr=tricky(index + 4),
        )
        QuestionFactory(
            round=round,
            section=section,
            parent=question,
            ref=f"{index + 1}.a",
            kind=Question.Kind.ITEM,
            order=(index + 1) * 10 + 1,
            text_en=tricky(index + 1),
            text_fr=tricky(index + 5),
        )


def _replies(size: int) -> None:
    questions = list(Question.objects.order_by("pk"))
    round = questions[0].round
    parties = _parties_of_rounds()
    stakeholder = OrganisationFactory(name="Stakeholder – «Genève»", party=parties[0])
    respondents = [(party, None) for party in parties] + [(parties[0], stakeholder)]
    for index, (party, organisation) in enumerate(respondents):
        submission = SubmissionFactory(
            round=round, party=party, organisation=organisation, status=Submission.Status.REGISTERED
        )
        for number in range(size):
            ReplyFactory(
                submission=submission,
                text=tricky(index + number),
                language="fr" if number % 2 else "en",
                order=number + 1,
                questions=questions[number % len(questions) : number % len(questions) + 1 + index % 2],
            )


def _reports(size: int) -> None:
    round = MonitoringRound.objects.order_by("pk").first() or _rounds(1)[0]
    for index in range(size):
        ReportFactory(round=round, title_en=tricky(index), title_fr=tricky(index + 1))


def _recommendations(size: int) -> None:
    report = ImplementationReport.objects.order_by("pk").first()
    if report is None:
        _reports(1)
        report = ImplementationReport.objects.order_by("pk").first()
    chapter = ChapterFactory(report=report, title_en=tricky(2), title_fr=tricky(3))
    themes = [ThemeFactory(slug="prevention"), ThemeFactory(slug="protection")]
    articles = _some_articles()
    parties = _parties_of_rounds()
    for index in range(size):
        recommendation = RecommendationFactory(
            chapter=chapter,
            text_en=tricky(index),
            text_fr=tricky(index + 1),
            themes=themes[: index % 3],
            addressees=parties[: index % 3 + 1],
        )
        for article in articles[: index % 3]:
            Citation.objects.create(recommendation=recommendation, article=article, paragraph="(1)(a)")


def _some_articles() -> list[ConventionArticle]:
    return [ArticleFactory(number=number) for number in (20, 38)]


def _follow_ups(size: int) -> None:
    # Follow-ups are opened by their recommendations' addressees, never built directly.
    if not FollowUp.objects.exists():
        _recommendations(size)
    assessor = User.objects.filter(role=Role.SECRETARIAT_ADMIN).first() or UserFactory(
        role=Role.SECRETARIAT_ADMIN
    )
    for index, follow_up in enumerate(FollowUp.objects.order_by("pk")[:size]):
        recommendation_services.follow_up_assess(
            follow_up=follow_up,
            by=assessor,
            status=AssessedStatus.PARTLY,
            reasoning=tricky(index + 6),
            published=index % 2 == 0,
        )


def _themes(size: int) -> None:
    for index in range(size):
        ThemeFactory(slug=f"theme-{index}", name_en=tricky(index + 3), name_fr=tricky(index + 4))


def _practices(size: int) -> None:
    parties = _parties_of_rounds()
    themes = [ThemeFactory(slug="prevention"), ThemeFactory(slug="protection")]
    articles = _some_articles()
    round = MonitoringRound.objects.order_by("pk").first()
    for index in range(size):
        practice = PracticeFactory(
            title=f"{tricky(index)} #{index}",
            text=tricky(index + 1),
            parties=parties[: index % 3],
            themes=themes[: index % 3],
            other_states="USA" if index % 2 else "",
            round=round if index % 2 else None,
        )
        for article in articles[: index % 3]:
            Citation.objects.create(practice=practice, article=article)


# model: (builder, the models whose kinds must be registered too for the records to come back)
BUILDERS: dict[type[Model], tuple[Callable[[int], None], tuple[type[Model], ...]]] = {
    Party: (_parties, ()),
    ConventionArticle: (_articles, ()),
    Organisation: (_organisations, (Party,)),
    MonitoringRound: (_rounds, (Party,)),
    Question: (_questions, (MonitoringRound,)),
    Reply: (_replies, (Party, Question)),
    ImplementationReport: (_reports, (MonitoringRound,)),
    Recommendation: (_recommendations, (ImplementationReport, Party)),
    FollowUp: (_follow_ups, (Recommendation,)),
    Theme: (_themes, ()),
    Practice: (_practices, (Party,)),
}


def build_dataset(size: int = 3, *, only: type[Model] | None = None) -> list[type[Model]]:
    """Records of every registered kind's model (or of `only` and what it needs); returns the
    models built."""
    registered = registered_models()
    wanted = set(BUILDERS) if only is None else _with_needs(only)
    built = []
    for model, (builder, needs) in BUILDERS.items():
        if model in wanted and model in registered and all(need in registered for need in needs):
            builder(size)
            built.append(model)
    return built


def _with_needs(model: type[Model]) -> set[type[Model]]:
    models = {model}
    for need in BUILDERS.get(model, (None, ()))[1]:
        models |= _with_needs(need)
    return models


def empty_database(*, keep: User) -> None:
    """Delete every domain row, history included, but the user `keep` (and their groups).

    Plain DELETEs, table by table: foreign keys are checked at commit (they are deferred), by
    which time every table is empty, and the test's transaction is rolled back anyway.
    """
    kept = {User, User.groups.through, User.user_permissions.through}
    models = [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model not in kept
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    User.objects.exclude(pk=keep.pk).delete()
