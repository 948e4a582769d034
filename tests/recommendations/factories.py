"""Factories for the recommendation models, shared by the follow-up, dashboard and factsheet tests.

Follow-ups are never built directly: `RecommendationFactory` opens them through
`services.recommendation_sync_follow_ups`, as the admin and the imports do.
"""

import datetime

import factory

from recommendations import services
from recommendations.models import Chapter, ImplementationReport, Practice, Recommendation, Theme, Urgency
from tests.factories import RoundFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementationReport

    round = factory.SubFactory(RoundFactory)
    title_en = factory.Sequence(lambda n: f"Implementation report {n}")
    title_fr = factory.Sequence(lambda n: f"Rapport de mise en œuvre {n}")
    adoption_date = datetime.date(2025, 3, 12)
    reference = factory.Sequence(lambda n: f"LC-TEST-REPORT-{n}")
    deadline_require_request = datetime.date(2026, 6, 30)
    deadline_invite = datetime.date(2027, 6, 30)
    # Most tests follow up an adopted report; `ReportFactory(status=...IN_PREPARATION)` drafts one.
    status = ImplementationReport.Status.ADOPTED


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: f"C{n}")
    order = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Chapter {n}")
    title_fr = factory.Sequence(lambda n: f"Chapitre {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation with its follow-ups opened.

    `RecommendationFactory(addressees=[party_a, party_b])` names Parties;
    `RecommendationFactory(addressed_to_all=True)` addresses every Party of the report's round.
    `themes=[...]` sets the themes.
    """

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    chapter = factory.SubFactory(ChapterFactory)
    report = factory.SelfAttribute("chapter.report")
    number = factory.Sequence(lambda n: f"R-{n + 1}")
    order = factory.Sequence(lambda n: n + 1)
    urgency = Urgency.REQUIRE
    addressed_to_all = False
    text_en = factory.Sequence(lambda n: f"The Committee requires the Parties to take measure {n}.")
    text_fr = factory.Sequence(lambda n: f"Le Comité exige que les Parties prennent la mesure {n}.")

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def addressees(obj, create, extracted, **kwargs):
        # Runs after `themes` (declaration order); the sync is what the admin's save_related does.
        if not create:
            return
        if extracted:
            obj.addressees.set(extracted)
        services.recommendation_sync_follow_ups(recommendation=obj)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Promising practice {n}")
    text = factory.Sequence(lambda n: f"A description of promising practice {n}.")
    source = "Implementation report, 2nd round"

    @factory.post_generation
    def parties(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.parties.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


def build_report(*, parties, recommendations=2, chapters=1, number=None, urgency=Urgency.REQUIRE):
    """A report on a fresh round of `parties`, with chapters and recommendations addressed to all of them."""
    round = RoundFactory(**({"number": number} if number else {}))
    round.parties.set(parties)
    report = ReportFactory(round=round)
    chapter_list = [ChapterFactory(report=report) for _ in range(chapters)]
    for index in range(recommendations):
        RecommendationFactory(chapter=chapter_list[index % chapters], urgency=urgency, addressed_to_all=True)
    return report
