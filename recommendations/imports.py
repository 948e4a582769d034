"""All-or-nothing CSV imports of recommendations and promising practices.

Formats: fixtures/recommendations_round2_cooperation.csv and fixtures/practices.csv. Every row
is checked first; one bad row means nothing is written, and each problem names its line.
"""

import re

import pycountry
from django.core.exceptions import ValidationError

from secretariat.imports import ImportRejected, ImportReport, Table, read_rows, run_all_or_nothing
from secretariat.models import ConventionArticle, Party

from . import services
from .models import Chapter, Citation, ImplementationReport, Practice, Recommendation, Theme, Urgency

# The CSV says "requires", the Committee's levels are "require".
URGENCIES = {
    "requires": Urgency.REQUIRE,
    "requests": Urgency.REQUEST,
    "invites": Urgency.INVITE,
    **{u: u for u in Urgency.values},
}

THEMES = {
    "governance": ("Governance", "Gouvernance"),
    "research-monitoring": ("Research and monitoring", "Recherche et suivi"),
    "legislation": ("Legislation", "Législation"),
    "law-enforcement": ("Law enforcement", "Application de la loi"),
    "child-friendly-justice": ("Child-friendly justice", "Justice adaptée aux enfants"),
    "victim-support": ("Victim support", "Soutien aux victimes"),
    "education-awareness": ("Education and awareness", "Éducation et sensibilisation"),
    "child-participation": ("Child participation", "Participation des enfants"),
    "international-cooperation": ("International co-operation", "Coopération internationale"),
    "reporting-hotlines": ("Reporting and hotlines", "Signalement et lignes d'assistance"),
    "offender-prevention": ("Offender prevention", "Prévention auprès des auteurs"),
    "industry-engagement": ("Industry engagement", "Engagement du secteur privé"),
}

_CITATION = re.compile(r"^(\d{1,2})((?:\(\w+\))*)$")


def ensure_themes() -> dict[str, Theme]:
    """The themes of the Committee's work, created once."""
    for slug, (name_en, name_fr) in THEMES.items():
        Theme.objects.get_or_create(slug=slug, defaults={"name_en": name_en, "name_fr": name_fr})
    return {theme.slug: theme for theme in Theme.objects.all()}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _parse_citations(value: str, articles: dict[int, ConventionArticle]) -> tuple[list[tuple], list[str]]:
    """'38(1)(a);20' -> [(article 38, '(1)(a)'), (article 20, '')] and the problems found."""
    citations, problems = [], []
    for cited in _split(value.replace(" ", "").replace(",", "")):
        match = _CITATION.match(cited)
        if not match or int(match[1]) not in articles:
            problems.append(f"“{cited}” is not an article of the Convention such as 38(1)(a)")
        else:
            citations.append((articles[int(match[1])], match[2]))
    return citations, problems


def _theme_errors(line: int, value: str, known) -> list[str]:
    unknown = [slug for slug in _split(value) if slug not in known]
    return [f"line {line}: unknown theme(s): {', '.join(unknown)}"] if unknown else []


# --- recommendations ---------------------------------------------------------------------

RECOMMENDATION_COLUMNS = {"number", "strength", "addressees", "articles", "chapter", "text"}


def import_recommendations(
    *,
    report: ImplementationReport,
    text: "str | Table",
    dry_run: bool = False,
    default_themes: tuple[str, ...] = (),
) -> ImportReport:
    """Load recommendations into a report; chapters are created from the `chapter` column in order.

    Each new recommendation gets its follow-ups at once: one per addressed Party ("ALL" means
    the Parties taking part in the report's round).
    """
    rows = read_rows(text, RECOMMENDATION_COLUMNS)
    parties = {party.code: party for party in Party.objects.all()}
    articles = {article.number: article for article in ConventionArticle.objects.all()}
    existing = set(report.recommendations.values_list("number", flat=True))
    known_themes = set(THEMES) | set(Theme.objects.values_list("slug", flat=True))
    errors, seen = [], set()
    for line, row in rows:
        number = row["number"]
        if not number:
            errors.append(f"line {line}: the number is empty")
        elif number in seen or number in existing:
            errors.append(f"line {line}: recommendation {number} appears twice in report {report.reference}")
        seen.add(number)
        if row["strength"] not in URGENCIES:
            errors.append(
                f"line {line}: unknown urgency “{row['strength']}” (expected requires, requests or invites)"
            )
        addressees = _split(row["addressees"])
        if not addressees:
            errors.append(f"line {line}: no addressee (ALL or Party codes)")
        unknown = [code for code in addressees if code != "ALL" and code not in parties]
        if unknown:
            errors.append(f"line {line}: unknown Party code(s): {', '.join(unknown)}")
        if "ALL" in addressees and len(addressees) > 1:
            errors.append(f"line {line}: ALL cannot be combined with Party codes")
        errors.extend(f"line {line}: {problem}" for problem in _parse_citations(row["articles"], articles)[1])
        if not row["chapter"]:
            errors.append(f"line {line}: the chapter is empty")
        if not row["text"]:
            errors.append(f"line {line}: the text is empty")
        errors.extend(_theme_errors(line, row.get("themes", ""), known_themes))
    if errors:
        raise ImportRejected(errors)

    result = ImportReport()

    def write():
        themes = ensure_themes()
        chapters = {chapter.title_en: chapter for chapter in report.chapters.all()}
        next_order = report.recommendations.count()
        for _line, row in rows:
            chapter = chapters.get(row["chapter"])
            citations = _parse_citations(row["articles"], articles)[0]
            if chapter is None:
                chapter = Chapter.objects.create(
                    report=report,
                    number=f"{len(chapters) + 1}",
                    order=len(chapters) + 1,
                    title_en=row["chapter"],
                    title_fr=row.get("chapter_fr", ""),
                )
                chapters[chapter.title_en] = chapter
                result.created["chapters"] += 1
            chapter.articles.add(*(article for article, _paragraph in citations))
            addressees = _split(row["addressees"])
            next_order += 1
            recommendation = Recommendation(
                report=report,
                chapter=chapter,
                number=row["number"],
                order=next_order,
                urgency=URGENCIES[row["strength"]],
                addressed_to_all=addressees == ["ALL"],
                text_en=row["text"],
                text_fr=row.get("text_fr", ""),
            )
            recommendation._change_reason = "imported"
            recommendation.save()
            if not recommendation.addressed_to_all:
                recommendation.addressees.set([parties[code] for code in addressees])
            recommendation.themes.set(
                [themes[slug] for slug in (_split(row.get("themes", "")) or default_themes)]
            )
            Citation.objects.bulk_create(
                Citation(recommendation=recommendation, article=article, paragraph=paragraph)
                for article, paragraph in citations
            )
            result.created["recommendations"] += 1
            result.created["follow-ups"] += services.recommendation_sync_follow_ups(
                recommendation=recommendation
            )["added"]
            result.preview.append(
                {
                    "line": _line,
                    "number": recommendation.number,
                    "urgency": recommendation.urgency,
                    "addressees": row["addressees"].replace(";", ", "),
                    "text": row["text"][:200],
                }
            )

    return run_all_or_nothing(write, dry_run, result)


# --- practices -----------------------------------------------------------------------------

PRACTICE_COLUMNS = {"parties", "title", "text", "articles", "themes", "source"}


def import_practices(*, text: "str | Table", dry_run: bool = False) -> ImportReport:
    """Load promising practices; a practice already present (same title and source) is refused."""
    rows = read_rows(text, PRACTICE_COLUMNS)
    codes = set(Party.objects.values_list("code", flat=True))
    valid_codes = {country.alpha_3 for country in pycountry.countries}
    articles = {article.number: article for article in ConventionArticle.objects.all()}
    existing = set(Practice.objects.values_list("title", "source"))
    errors, seen = [], set()
    for line, row in rows:
        key = (row["title"], row["source"])
        if not row["title"]:
            errors.append(f"line {line}: the title is empty")
        elif key in seen or key in existing:
            errors.append(f"line {line}: the practice “{row['title']}” from this source is already there")
        seen.add(key)
        if not row["text"]:
            errors.append(f"line {line}: the text is empty")
        unknown = [code for code in _split(row["parties"]) if code not in codes and code not in valid_codes]
        if unknown:
            errors.append(f"line {line}: not ISO 3166-1 alpha-3 State code(s): {', '.join(unknown)}")
        errors.extend(f"line {line}: {problem}" for problem in _parse_citations(row["articles"], articles)[1])
        errors.extend(_theme_errors(line, row["themes"], THEMES))
    if errors:
        raise ImportRejected(errors)

    result = ImportReport()

    def write():
        themes = ensure_themes()
        parties = {party.code: party for party in Party.objects.all()}
        for line, row in rows:
            codes = _split(row["parties"])
            # States outside the Council of Europe (USA, Japan ...) are kept by code, not as Parties.
            others = ";".join(code for code in codes if code not in parties)
            practice = Practice(
                title=row["title"], text=row["text"], source=row["source"], other_states=others
            )
            try:
                practice.full_clean()
            except ValidationError as error:
                raise ImportRejected([f"line {line}: {message}" for message in error.messages]) from None
            practice.save()
            practice.parties.set([parties[code] for code in codes if code in parties])
            practice.themes.set([themes[slug] for slug in _split(row["themes"])])
            Citation.objects.bulk_create(
                Citation(practice=practice, article=article, paragraph=paragraph)
                for article, paragraph in _parse_citations(row["articles"], articles)[0]
            )
            result.created["practices"] += 1
            result.preview.append({"line": line, "title": practice.title, "parties": row["parties"]})

    return run_all_or_nothing(write, dry_run, result)
