"""The safeguarding check: what in a child participation text could identify a child.

`check(text, language)` returns what it finds, each a `Match` (kind, where, the words), in English
and French: contact details (e-mail addresses, phone numbers, social-media handles), person names,
school names, places, and ages given with a place. It is deliberately cautious: a flag costs the
Secretariat a decision (redact or confirm), a miss could expose a child. It avoids the false
positives that would flag every text: a capitalised word that starts a sentence, and countries
("Children in France said…" identifies nobody: the Parties are countries, not places).

Contact details (`CONTACT_KINDS`) are refused outright when a quote is saved
(monitoring/participation.py); the other kinds are flagged when the contribution is submitted.
The word lists are data files in `safeguarding_data/` (given names; European capitals and large
towns, English and French spellings).
"""

import gettext
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers
import pycountry

from .models import Language, SafeguardingFlag

Kind = SafeguardingFlag.Kind

#: Kinds that are never acceptable in a quote or a summary: refused when saved, not just flagged.
CONTACT_KINDS = frozenset({Kind.EMAIL, Kind.PHONE, Kind.HANDLE})

DATA = Path(__file__).resolve().parent / "safeguarding_data"

#: Which kind wins where two findings overlap: the more specific (and the more dangerous) first.
PRIORITY = (Kind.EMAIL, Kind.HANDLE, Kind.PHONE, Kind.AGE_WITH_PLACE, Kind.SCHOOL, Kind.NAME, Kind.PLACE)

#: Regions whose national formats the phone search knows, beyond international "+NN" numbers.
PHONE_REGIONS = ("GB", "FR", "IE", "BE", "CH", "LU", "DE", "NL", "IT", "ES", "PT", "PL", "SE", "MT")


@dataclass(frozen=True)
class Match:
    kind: SafeguardingFlag.Kind
    start: int
    end: int
    text: str


# --- word lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordList:
    """Entries of a data file: those flagged anywhere, and those ("?") also ordinary words."""

    always: frozenset[str]
    ambiguous: frozenset[str]

    def __contains__(self, word: str) -> bool:
        return word in self.always or word in self.ambiguous


def _read_list(name: str) -> WordList:
    always, ambiguous = set(), set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        (ambiguous if line.startswith("?") else always).add(line.lstrip("?"))
    countries = country_names()
    return WordList(frozenset(always - countries), frozenset(ambiguous - countries))


@cache
def country_names() -> frozenset[str]:
    """Countries in English and French (ISO 3166 names, common and short forms): never places."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    names = set(EXTRA_COUNTRY_NAMES)
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            if value := getattr(country, attribute, None):
                names.update({value, french.gettext(value)})
    return frozenset(names)


# Names people use that ISO 3166 spells otherwise, and the United Kingdom's nations.
EXTRA_COUNTRY_NAMES = {
    "Russia",
    "Russie",
    "Britain",
    "Great Britain",
    "Grande-Bretagne",
    "UK",
    "England",
    "Angleterre",
    "Scotland",
    "Écosse",
    "Wales",
    "Pays de Galles",
    "Northern Ireland",
    "Irlande du Nord",
    "Europe",
    "Turkey",
    "Turquie",
    "Türkiye",
    "Moldova",
    "Moldavie",
    "Czech Republic",
    "République tchèque",
    "Tchéquie",
    "Holland",
    "Hollande",
    "Pays-Bas",
    "Netherlands",
    "Macedonia",
    "Macédoine",
}


@cache
def first_names() -> WordList:
    return _read_list("first_names.txt")


@cache
def places() -> WordList:
    return _read_list("places.txt")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# --- patterns -------------------------------------------------------------------------------------

# A capitalised word (Jules-Ferry, O'Neill, Saint-Étienne), only from the start of a word: a scan
# never restarts inside a long one, so a hostile text costs linear time.
CAPITALISED = r"(?<![\w'’-])[^\W\d_a-zà-ÿ][\w'’]*(?:-[^\W\d_][\w'’]*)*"
WORD = re.compile(CAPITALISED)
NAME_LIKE = rf"{CAPITALISED}(?:\s+{CAPITALISED})?"

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}")
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
SOCIAL_URL = re.compile(
    r"(?i:\b(?:https?://)?(?:www\.|m\.|vm\.)?"
    r"(?:instagram\.com|instagr\.am|tiktok\.com|snapchat\.com|facebook\.com|fb\.com|x\.com|twitter\.com"
    r"|youtube\.com|twitch\.tv|discord\.gg|t\.me|threads\.net)/[\w@.~/?=&%-]+)"
)
SOCIAL_SAID = re.compile(
    r"(?i:\b(?:snap(?:chat)?|insta(?:gram)?|tik\s?tok|discord|telegram|whatsapp|twitter|facebook|fb|"
    r"twitch|youtube|pseudo)\b\s*(?:handle\s+|name\s+|username\s+|id\s+)?"
    r"(?:is|:|=|->|c'est|c’est|est|it's|it’s)\s*)@?([A-Za-z0-9_][A-Za-z0-9_.]{2,29})"
)
#: How many stretches of digits phonenumbers reads in one text (some 20 ms each, all regions).
PHONE_BUDGET = 30
PHONE_SHAPE = re.compile(r"(?:\+|0)\d(?:[\s.-]?\d{2,4}){3,6}")
PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|\()?\d[\d\s().\/-]{4,28}\d(?!\w)")
INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])(?:\+|00)\d{2,3}(?:[\s.()-]*\d){6,12}")

SCHOOL_EN = re.compile(
    rf"((?:{CAPITALISED}\s+){{1,4}})"
    r"(Primary School|Secondary School|High School|Middle School|Junior School|Infant School|"
    r"Grammar School|Elementary School|Comprehensive|Academy|School|College|High|Primary)\b"
)
SCHOOL_FR = re.compile(
    r"(?i:\b(?:école|ecole|collège|college|lycée|lycee|groupe scolaire|cité scolaire)"
    r"(?:\s+(?:primaire|maternelle|élémentaire|elementaire|privée|privé|publique|public|professionnel|"
    r"professionnelle|général|générale|technique|agricole|international|internationale))?)"
    rf"\s+(?:(?:de la|du|des|de|d'|d’)\s*)?{CAPITALISED}(?:\s+{CAPITALISED})*"
)
# Capitalised words that start a school's name without naming it ("The School", "Our College").
SCHOOL_NOT_NAMES = {"The", "A", "An", "My", "Our", "Their", "His", "Her", "At", "In", "This", "That", "Every"}

INTRODUCTION = re.compile(
    r"(?i:\b(?:my name is|my name's|i am called|i'm called|call me|they call me|i am|i'm|"
    r"je m'appelle|je m’appelle|mon nom est|mon prénom est|moi c'est|moi c’est|on m'appelle|je suis)\s+)"
    rf"({NAME_LIKE})"
)
LIVES_IN = re.compile(
    r"(?i:\b(?:live|lives|living|lived|grew up|come|comes|am|I'm|we're|are)\s+(?:in|at|near|from)"
    r"|\b(?:habite|habites|habitons|habitent|vis|vit|vivons|vivent|viens|vient|venons|viennent|suis|sommes)"
    r"\s+(?:à|a|au|aux|en|dans|près de|pres de|de|du|d'|d’)"
    r"|\bfrom|\bdepuis)"
    rf"\s*(?:(?:the|la|le|les|l'|l’)\s*)?({CAPITALISED}(?:\s+{CAPITALISED})*)"
)
AGE = re.compile(
    r"(?i:\b(?:i am|i'm|i’m|aged|age|we are|we're)\s+(?:only\s+|just\s+)?\d{1,2}\b(?:\s+years?\s+old)?"
    r"|\b\d{1,2}[-\s]years?[-\s]old\b"
    r"|\b(?:j'ai|j’ai|a|avons|ont|âgée?s?\s+de|de)\s+\d{1,2}\s+ans\b)"
)
SENTENCE_END = re.compile(r"[.!?…]\s|[\n\r]")
#: How far after an age a place may be to go with it, in the same sentence.
AGE_PLACE_REACH = 80


# --- the check ------------------------------------------------------------------------------------


def check(text: str, language: str | None = None) -> list[Match]:
    """What in `text` could identify a child, in order, one finding per stretch of text.

    `language` ("en", "fr") selects that language's phrases ("my name is", "je m'appelle"); None
    looks for both. Contact details, names, schools and places are looked for whatever the language,
    since children mix languages and names are the same in both.
    """
    if not text:
        return []
    found = [
        *_emails(text),
        *_handles(text),
        *_phones(text),
        *_schools(text, language),
        *_names(text, language),
        *_places(text, language),
    ]
    found.extend(_ages_with_places(text, [match for match in found if match.kind == Kind.PLACE]))
    return _without_overlaps(found)


def contact_details(text: str, language: str | None = None) -> list[Match]:
    """The findings that may never be saved: e-mail addresses, phone numbers, handles."""
    return [match for match in check(text, language) if match.kind in CONTACT_KINDS]


def guess_language(text: str) -> str:
    """French or English, from the commonest words (the summary carries no language of its own)."""
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower())
    french = sum(word in FRENCH_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    return Language.FRENCH if french > english else Language.ENGLISH


FRENCH_WORDS = _words("le la les des une est et que qui dans pour pas sont nous ont ils elles du au avec")
ENGLISH_WORDS = _words("the a an is and that who in for not are we have they with of to")


def _match(kind: Kind, text: str, start: int, end: int) -> Match:
    return Match(kind=kind, start=start, end=end, text=text[start:end])


def _emails(text: str) -> Iterator[Match]:
    for found in EMAIL.finditer(text):
        yield _match(Kind.EMAIL, text, *found.span())


def _handles(text: str) -> Iterator[Match]:
    for pattern in (HANDLE, SOCIAL_URL):
        for found in pattern.finditer(text):
            yield _match(Kind.HANDLE, text, *found.span())
    for found in SOCIAL_SAID.finditer(text):
        yield _match(Kind.HANDLE, text, *found.span(1))


def _phones(text: str) -> Iterator[Match]:
    """Numbers valid in one of `PHONE_REGIONS`, read by phonenumbers in the stretches of digits
    that could be one (over a whole text its matcher takes minutes on a hostile one, "1 1 1 …").
    Past `PHONE_BUDGET` stretches, a stretch shaped like a phone number is flagged unread: a text
    with so many numbers is not a child's words, and a miss would cost more than a question."""
    examined = 0
    for candidate in PHONE_CANDIDATE.finditer(text):
        stretch = candidate.group()
        if sum(character.isdigit() for character in stretch) < 7:
            continue
        examined += 1
        if examined > PHONE_BUDGET:
            if PHONE_SHAPE.fullmatch(stretch):
                yield _match(Kind.PHONE, text, *candidate.span())
            continue
        for start, end in _numbers_in(stretch):
            yield _match(Kind.PHONE, text, candidate.start() + start, candidate.start() + end)
    for found in INTERNATIONAL_PHONE.finditer(text):
        yield _match(Kind.PHONE, text, *found.span())


def _numbers_in(stretch: str) -> list[tuple[int, int]]:
    """Where phone numbers are in `stretch`, read with the first region that finds any."""
    for region in PHONE_REGIONS:
        leniency = phonenumbers.Leniency.VALID
        found = [
            (n.start, n.end) for n in phonenumbers.PhoneNumberMatcher(stretch, region, leniency=leniency)
        ]
        if found:
            return found
    return []


def _schools(text: str, language: str | None) -> Iterator[Match]:
    for found in SCHOOL_EN.finditer(text):
        words = found.group(1).split()
        while words and words[0] in SCHOOL_NOT_NAMES:
            words.pop(0)
        if words and not (
            len(words) == 1 and _starts_sentence(text, found.start(1)) and found.group(2) == "High"
        ):
            start = found.start(1) + found.group(1).index(words[0])
            yield _match(Kind.SCHOOL, text, start, found.end())
    for found in SCHOOL_FR.finditer(text):
        yield _match(Kind.SCHOOL, text, *found.span())


def _names(text: str, language: str | None) -> Iterator[Match]:
    names = first_names()
    for found in WORD.finditer(text):
        word = found.group()
        if word in names.always or (word in names.ambiguous and not _starts_sentence(text, found.start())):
            yield _match(Kind.NAME, text, found.start(), _with_surname(text, found.end()))
    for found in INTRODUCTION.finditer(text):
        phrase = found.group(0)[: found.start(1) - found.start()]
        if _phrase_of(phrase, language) and _is_a_name(found.group(1), phrase):
            yield _match(Kind.NAME, text, *found.span(1))


def _with_surname(text: str, end: int) -> int:
    """Where a given name ends, its surname included ("Emma Dupont")."""
    following = re.compile(rf"\s({CAPITALISED})").match(text, end)
    if following and following.group(1) not in NOT_SURNAMES and following.group(1) not in country_names():
        return following.end()
    return end


def _is_a_name(words: str, phrase: str) -> bool:
    """What follows "my name is" is a name (Jordan, Georgia too); after "I'm" or "je suis", a
    capitalised word is a name unless it is a country or a nationality ("I'm English")."""
    first = words.split()[0]
    if first in NOT_SURNAMES:
        return False
    explicit = re.search(r"(?i:name|nom|prénom|appelle|call)", phrase)
    return bool(explicit) or (first not in country_names() and first not in NATIONALITIES)


def _places(text: str, language: str | None) -> Iterator[Match]:
    gazetteer = places()
    for found in _gazetteer_pattern().finditer(text):
        entry = found.group()
        if entry in gazetteer.always or (
            entry in gazetteer.ambiguous and _after_preposition(text, found.start())
        ):
            yield _match(Kind.PLACE, text, *found.span())
    for found in LIVES_IN.finditer(text):
        place = found.group(1)
        first = place.split()[0]
        if place not in country_names() and first not in NOT_SURNAMES | NATIONALITIES | country_names():
            yield _match(Kind.PLACE, text, found.start(1), found.start(1) + len(_without_country_tail(place)))


def _without_country_tail(place: str) -> str:
    """ "Leeds England" → "Leeds": a country written after the town is not part of it."""
    words = place.split()
    while len(words) > 1 and words[-1] in country_names():
        words.pop()
    return " ".join(words)


@cache
def _gazetteer_pattern() -> re.Pattern:
    entries = sorted(places().always | places().ambiguous, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, entries)) + r")(?![\w-])")


def _ages_with_places(text: str, found_places: list[Match]) -> Iterator[Match]:
    for age in AGE.finditer(text):
        sentence_end = SENTENCE_END.search(text, age.end())
        limit = min(age.end() + AGE_PLACE_REACH, sentence_end.start() if sentence_end else len(text))
        place = next((p for p in found_places if age.end() <= p.start and p.end <= limit), None)
        if place is None:  # or the place came first: "from Leeds, I am 15"
            begin = SENTENCE_START.search(text[: age.start()][::-1])
            lower = age.start() - (begin.start() if begin else age.start())
            place = next(
                (p for p in reversed(found_places) if lower <= p.start and p.end <= age.start()), None
            )
            if place is not None:
                yield _match(Kind.AGE_WITH_PLACE, text, place.start, age.end())
            continue
        yield _match(Kind.AGE_WITH_PLACE, text, age.start(), place.end)


SENTENCE_START = re.compile(r"\s[.!?…]|[\n\r]")  # searched in the reversed text before an age


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\"'“«‘(")
    return not before or before[-1] in ".!?…:\n\r"


PREPOSITIONS = re.compile(r"(?i:\b(?:in|at|near|from|to|à|a|au|de|près de|vers|sur)\s+$)")


def _after_preposition(text: str, position: int) -> bool:
    return bool(PREPOSITIONS.search(text[max(0, position - 12) : position]))


def _phrase_of(phrase: str, language: str | None) -> bool:
    if language is None:
        return True
    french = phrase.lower().startswith(("je ", "mon ", "moi ", "on "))
    return french == (language == Language.FRENCH)


def _without_overlaps(found: Iterable[Match]) -> list[Match]:
    """One finding per stretch of text: the kind first in `PRIORITY`, then the longest."""
    ranked = sorted(set(found), key=lambda m: (PRIORITY.index(m.kind), -(m.end - m.start), m.start))
    kept: list[Match] = []
    taken = bytearray(max((match.end for match in ranked), default=0))
    for match in ranked:
        if not any(taken[match.start : match.end]):
            kept.append(match)
            taken[match.start : match.end] = b"\x01" * (match.end - match.start)
    return sorted(kept, key=lambda m: m.start)


# Capitalised words that follow "I'm", "from" or a name without being a name or a place.
NOT_SURNAMES = _words(
    "I A An The My Our Your And Or But So We They He She It Me You Mr Mrs Ms Miss Dr "
    "Le La Les Un Une Et Ou Mais Je Tu Il Elle Nous Vous Ils Elles Mon Ma Mes "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche "
    "January February March April June July August September October November December "
    "Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre "
    "School College Year Grade Class Internet Instagram TikTok Snapchat Facebook YouTube God Dieu"
)
NATIONALITIES = _words(
    "English French British Irish Scottish Welsh German Italian Spanish Portuguese Dutch Belgian Swiss "
    "Polish Romanian Ukrainian Russian Greek Turkish Albanian Serbian Croatian Bosnian Muslim Christian "
    "Jewish Catholic Roma Black White Asian African European Arab Kurdish Syrian Afghan Moroccan Algerian"
)
