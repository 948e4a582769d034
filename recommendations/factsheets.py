"""A thematic factsheet as the Secretariat publishes it, read once from the database.

The document follows the Committee's factsheets (e.g. "Factsheet – International co-operation"):
the title and the round it draws on, a table of contents, I. Introduction with the levels of
urgency, the Convention article concerned, the sections of findings (each followed by the
recommendations it cites, as footnotes "Recommendation V-17"), the promising practices country
by country, then every recommendation of the chapter or theme with its number and urgency.

`build_factsheet` runs a fixed number of queries whatever the size of the factsheet; the
renderers (factsheet_render.py) only print what it returns.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import pycountry
from django.db.models import Prefetch, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import access
from secretariat.models import localized

from .models import (
    URGENCY_DEFINITIONS,
    Citation,
    Factsheet,
    FactsheetSection,
    Practice,
    Recommendation,
    Urgency,
)

# Headings and fixed sentences of the document (the Committee's wording).
FINDINGS_ON = gettext_lazy("Lanzarote Committee monitoring findings on:")
CONTENTS = gettext_lazy("Table of contents")
INTRODUCTION = gettext_lazy("Introduction")
URGENCY_INTRODUCTION = gettext_lazy(
    "The Lanzarote Committee indicates the different levels of urgency applicable to the "
    "recommendations made by using the following terms:"
)
SECTION_RECOMMENDATIONS = gettext_lazy("Recommendations of the Lanzarote Committee")
PRACTICES = gettext_lazy("Promising practices")
NO_PRACTICES = gettext_lazy("No promising practice is listed in this factsheet.")
ALL_RECOMMENDATIONS = gettext_lazy("Recommendations of the chapter")
NO_RECOMMENDATIONS = gettext_lazy("No recommendation.")
OTHER = gettext_lazy("Other")
SOURCE = gettext_lazy("Source")
ADDRESSED_TO = gettext_lazy("Addressed to")
ALL_PARTIES = gettext_lazy("All Parties")
ARTICLES = gettext_lazy("Articles")


@dataclass(frozen=True)
class ContentsEntry:
    number: str  # "III", or "" for the unnumbered parts
    title: str
    anchor: str


@dataclass(frozen=True)
class UrgencyTerm:
    label: str  # "Require"
    definition: str


@dataclass(frozen=True)
class RecommendationEntry:
    number: str  # "V-17"
    urgency: str  # Urgency value: "require", "request", "invite"
    urgency_label: str
    text: str  # Markdown
    text_html: SafeString  # its stored, sanitised rendering: what the page and the documents print
    addressees: str  # "All Parties" or the named Parties
    articles: str  # "38(2), 38(1)(a)"

    @property
    def anchor(self) -> str:
        return f"recommendation-{self.number}"

    @property
    def reference(self) -> str:
        """The footnote's text: "Recommendation V-17"."""
        return _("Recommendation %(number)s") % {"number": self.number}


@dataclass(frozen=True)
class Footnote:
    """A recommendation cited by a section, numbered through the whole factsheet (as printed)."""

    number: int
    recommendation: RecommendationEntry


@dataclass(frozen=True)
class SectionEntry:
    number: str  # Roman
    heading: str
    text: str  # Markdown
    text_html: SafeString
    footnotes: list[Footnote]
    anchor: str


@dataclass(frozen=True)
class PracticeEntry:
    title: str
    text: str  # Markdown
    text_html: SafeString
    source: str
    states: str  # every State concerned, Parties first: "France, Romania"


@dataclass(frozen=True)
class CountryPractices:
    country: str  # a Party's name, or "Other" for practices of no Party
    practices: list[PracticeEntry]


@dataclass(frozen=True)
class FactsheetDocument:
    slug: str
    title: str
    findings_on: str  # the round's theme and title, "" without a report
    contents: list[ContentsEntry]
    introduction: str  # Markdown
    introduction_html: SafeString
    urgencies: list[UrgencyTerm]
    article_number: str  # its part's Roman number, "" without an article
    article_heading: str  # "Article 38 – General principles ...", "" without an article
    article_text: str  # Markdown
    article_text_html: SafeString
    sections: list[SectionEntry]
    practices: list[CountryPractices]
    recommendations: list[RecommendationEntry] = field(default_factory=list)

    @property
    def practice_count(self) -> int:
        return len({(p.title, p.source) for group in self.practices for p in group.practices})


def build_factsheet(*, factsheet: Factsheet, user) -> FactsheetDocument:
    """The factsheet as printed, from what `user` may read (raises Factsheet.DoesNotExist otherwise).

    Its recommendations are those of its chapter (when set), or else those of its theme within
    its report (any report when none is set), plus every recommendation a section cites.
    Queries: the factsheet, its sections, the section-recommendation links, the recommendations
    with their addressees and citations, the practices with their Parties (8 at most).
    """
    factsheet = (
        access.scoped(Factsheet, user)
        .select_related("report__round", "chapter__report__round", "theme", "article")
        .get(pk=factsheet.pk)
    )
    sections = list(access.scoped(FactsheetSection, user).filter(factsheet=factsheet).order_by("order", "pk"))
    links = _section_links(sections)
    recommendations = _recommendations(factsheet, user, {pk for pks in links.values() for pk in pks})
    entries = {recommendation.pk: _recommendation_entry(recommendation) for recommendation in recommendations}

    numbers = _Numbering()
    numbers.next()  # I. Introduction
    article_number = numbers.next() if factsheet.article_id else ""
    section_entries = _section_entries(sections, links, entries, numbers)
    round = _round(factsheet)
    return FactsheetDocument(
        slug=factsheet.slug,
        title=localized(factsheet, "title"),
        findings_on=f"{localized(round, 'theme')} – {localized(round, 'title')}" if round else "",
        contents=_contents(factsheet, article_number, section_entries),
        introduction=localized(factsheet, "introduction"),
        introduction_html=localized(factsheet, "introduction_html"),
        urgencies=[UrgencyTerm(str(urgency.label), str(URGENCY_DEFINITIONS[urgency])) for urgency in Urgency],
        article_number=article_number,
        article_heading=str(factsheet.article) if factsheet.article_id else "",
        article_text=factsheet.article_text,
        article_text_html=factsheet.article_text_html,
        sections=section_entries,
        practices=_practices_by_country(factsheet, user),
        recommendations=list(entries.values()),
    )


class _Numbering:
    """I, II, III ... for the numbered parts of the factsheet."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return roman(self.count)


def roman(number: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letters in values:
        while number >= value:
            result += letters
            number -= value
    return result


def _round(factsheet: Factsheet):
    if factsheet.report_id:
        return factsheet.report.round
    if factsheet.chapter_id:
        return factsheet.chapter.report.round
    return None


def _section_links(sections: list[FactsheetSection]) -> dict[int, list[int]]:
    """Section pk -> the pks of the recommendations it cites (one query)."""
    through = FactsheetSection.recommendations.through
    links: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(factsheetsection__in=[section.pk for section in sections]).values_list(
        "factsheetsection_id", "recommendation_id"
    )
    for section_id, recommendation_id in rows.order_by("pk"):
        links[section_id].append(recommendation_id)
    return links


def _recommendations(factsheet: Factsheet, user, cited: set[int]) -> list[Recommendation]:
    """The factsheet's recommendations in the report's order (three queries)."""
    scope = Q(pk__in=cited)
    if factsheet.chapter_id:
        scope |= Q(chapter=factsheet.chapter_id)
    elif factsheet.theme_id:
        themed = Recommendation.themes.through.objects.filter(theme=factsheet.theme_id)
        of_theme = Q(pk__in=themed.values("recommendation"))
        if factsheet.report_id:
            of_theme &= Q(report=factsheet.report_id)
        scope |= of_theme
    citations = (
        access.scoped(Citation, user).select_related("article").order_by("article__number", "paragraph")
    )
    queryset = (
        access.scoped(Recommendation, user)
        .filter(scope)
        .prefetch_related("addressees", Prefetch("citations", queryset=citations))
    )
    return list(queryset)


def _recommendation_entry(recommendation: Recommendation) -> RecommendationEntry:
    if recommendation.addressed_to_all:
        addressees = str(ALL_PARTIES)
    else:
        addressees = ", ".join(sorted(localized(party, "name") for party in recommendation.addressees.all()))
    return RecommendationEntry(
        number=recommendation.number,
        urgency=recommendation.urgency,
        urgency_label=str(Urgency(recommendation.urgency).label),
        text=recommendation.text,
        text_html=recommendation.text_html,
        addressees=addressees,
        articles=", ".join(citation.short for citation in recommendation.citations.all()),
    )


def _section_entries(
    sections: list[FactsheetSection],
    links: dict[int, list[int]],
    entries: dict[int, RecommendationEntry],
    numbers: _Numbering,
) -> list[SectionEntry]:
    result, footnote = [], 0
    position = {pk: index for index, pk in enumerate(entries)}  # the report's order
    for section in sections:
        notes = []
        for pk in sorted((pk for pk in links.get(section.pk, []) if pk in entries), key=position.__getitem__):
            footnote += 1
            notes.append(Footnote(footnote, entries[pk]))
        number = numbers.next()
        result.append(
            SectionEntry(
                number=number,
                heading=localized(section, "heading"),
                text=localized(section, "text"),
                text_html=localized(section, "text_html"),
                footnotes=notes,
                anchor=f"section-{number.lower()}",
            )
        )
    return result


def _contents(factsheet: Factsheet, article_number: str, sections: list[SectionEntry]) -> list[ContentsEntry]:
    entries = [ContentsEntry("I", str(INTRODUCTION), "introduction")]
    if article_number:
        entries.append(ContentsEntry(article_number, str(factsheet.article), "article"))
    entries += [ContentsEntry(section.number, section.heading, section.anchor) for section in sections]
    entries.append(ContentsEntry("", str(PRACTICES), "practices"))
    entries.append(ContentsEntry("", str(ALL_RECOMMENDATIONS), "recommendations"))
    return entries


def state_names(practice: Practice) -> list[str]:
    """The States a practice comes from: its Parties (by name), then other States by their ISO name."""
    names = sorted(localized(party, "name") for party in practice.parties.all())
    for code in filter(None, (part.strip() for part in practice.other_states.split(";"))):
        country = pycountry.countries.get(alpha_3=code.upper())
        names.append(country.name if country else code)
    return names


def _practices_by_country(factsheet: Factsheet, user) -> list[CountryPractices]:
    """Practices under each of their Parties (a shared practice appears under each), "Other" last.

    Two queries: the practices and their Parties.
    """
    practices = access.scoped(Practice, user, factsheet.practices.all()).prefetch_related("parties")
    groups: dict[str, list[PracticeEntry]] = defaultdict(list)
    others: list[PracticeEntry] = []
    for practice in practices.order_by("title"):
        entry = PracticeEntry(
            practice.title,
            practice.text,
            practice.text_html,
            practice.source,
            ", ".join(state_names(practice)),
        )
        parties = practice.parties.all()
        for party in parties:
            groups[localized(party, "name")].append(entry)
        if not parties:
            others.append(entry)
    result = [CountryPractices(country, groups[country]) for country in sorted(groups)]
    if others:
        result.append(CountryPractices(str(OTHER), others))
    return result
