"""The safeguarding check (monitoring/safeguarding.py): what could identify a child, in English and
French, and the ordinary texts it must leave alone."""

import pytest

from monitoring import safeguarding
from monitoring.models import SafeguardingFlag

Kind = SafeguardingFlag.Kind


def found(text: str, language: str | None = None) -> list[tuple[str, str]]:
    return [(match.kind, match.text) for match in safeguarding.check(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # e-mail addresses
        ("You can write to me at lea.martin2011@gmail.com if you want.", "en", "lea.martin2011@gmail.com"),
        ("Mon adresse c'est noah-d@laposte.net, écris-moi.", "fr", "noah-d@laposte.net"),
    ],
)
def test_email_addresses(text, language, expected):
    assert found(text, language) == [(Kind.EMAIL, expected)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Call me on 07700 900123 after school.", "en", "07700 900123"),
        ("My cousin's number is +44 7700 900123.", "en", "+44 7700 900123"),
        ("Mon numéro c'est le 06 12 34 56 78.", "fr", "06 12 34 56 78"),
        ("Appelle-moi au +33 6 12 34 56 78 ce soir", "fr", "+33 6 12 34 56 78"),
        ("Ruf an: +49 151 23456789", None, "+49 151 23456789"),
    ],
)
def test_phone_numbers(text, language, expected):
    assert found(text, language) == [(Kind.PHONE, expected)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Follow me @sunny_girl14 on insta", "en", "@sunny_girl14"),
        ("my snap is lily.b2010", "en", "lily.b2010"),
        ("Add me, my Snapchat: jayden_x", "en", "jayden_x"),
        ("mon snap c'est lilou_du_59", "fr", "lilou_du_59"),
        (
            "regarde https://www.instagram.com/lucas.p/ pour les photos",
            "fr",
            "https://www.instagram.com/lucas.p/",
        ),
        ("It's all on tiktok.com/@dancequeen", "en", "tiktok.com/@dancequeen"),
    ],
)
def test_social_media_handles(text, language, expected):
    assert found(text, language) == [(Kind.HANDLE, expected)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Emma said her teacher did not believe her.", "en", "Emma"),
        ("My name is Jordan Smith and I hate being online.", "en", "Jordan Smith"),
        ("I'm Kacper and nobody listens to me.", "en", "Kacper"),
        ("We told Mrs Grant and she told Will.", "en", "Will"),
        ("Je m'appelle Inès et j'ai peur.", "fr", "Inès"),
        ("Moi c'est Kylian, j'ai rien dit à personne.", "fr", "Kylian"),
        ("Ma copine Chloé Martin a reçu des messages.", "fr", "Chloé Martin"),
    ],
)
def test_person_names(text, language, expected):
    assert found(text, language) == [(Kind.NAME, expected)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("At St Mary's Primary School the teachers never talked about it.", "en", "St Mary's Primary School"),
        ("Everyone at Lincoln High knows about the videos.", "en", "Lincoln High"),
        ("At Oakwood Academy we had one lesson.", "en", "Oakwood Academy"),
        ("À l'école Jules-Ferry, personne ne nous a parlé de ça.", "fr", "école Jules-Ferry"),
        ("Au collège Victor Hugo on a eu une seule séance.", "fr", "collège Victor Hugo"),
        ("Au lycée Pasteur les profs s'en fichent.", "fr", "lycée Pasteur"),
        ("À l'école primaire Jean Moulin on en parle.", "fr", "école primaire Jean Moulin"),
    ],
)
def test_school_names(text, language, expected):
    assert found(text, language) == [(Kind.SCHOOL, expected)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("I live in Leeds and the police never came.", "en", "Leeds"),
        ("It happened to a friend in Birmingham.", "en", "Birmingham"),
        ("We come from Little Whinging.", "en", "Little Whinging"),
        ("We went to Nice last summer.", "en", "Nice"),
        ("J'habite à Marseille avec ma mère.", "fr", "Marseille"),
        ("Je vis à Saint-Étienne depuis deux ans.", "fr", "Saint-Étienne"),
        ("Nous habitons près de Plouescat.", "fr", "Plouescat"),
    ],
)
def test_places(text, language, expected):
    assert found(text, language) == [(Kind.PLACE, expected)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("I am 14 and live in Lyon.", "en", "I am 14 and live in Lyon"),
        ("As a 15-year-old from Leeds, I think adults don't get it.", "en", "15-year-old from Leeds"),
        ("j'ai 12 ans et j'habite à Marseille", "fr", "j'ai 12 ans et j'habite à Marseille"),
        ("Une fille de 13 ans de Lille nous l'a dit.", "fr", "de 13 ans de Lille"),
    ],
)
def test_ages_with_places(text, language, expected):
    assert found(text, language) == [(Kind.AGE_WITH_PLACE, expected)]


def test_a_match_says_where_it_is():
    text = "Write to tom@example.org now"
    (match,) = safeguarding.check(text)
    assert text[match.start : match.end] == match.text == "tom@example.org"


def test_several_findings_in_one_text_in_order():
    assert found("Emma lives in Leeds; text her on 07700 900123.") == [
        (Kind.NAME, "Emma"),
        (Kind.PLACE, "Leeds"),
        (Kind.PHONE, "07700 900123"),
    ]


def test_contact_details_are_the_contact_kinds_only():
    matches = safeguarding.contact_details("Emma's e-mail is emma@example.org")
    assert [(m.kind, m.text) for m in matches] == [(Kind.EMAIL, "emma@example.org")]
    assert {Kind.EMAIL, Kind.PHONE, Kind.HANDLE} == safeguarding.CONTACT_KINDS


@pytest.mark.parametrize(
    "text",
    [
        "Children in France said teachers should talk more about online risks.",
        "Children from the Russian Federation and Georgia said they wanted more help.",
        "Les enfants ont dit que l'école devrait en parler plus tôt.",
        "Les enfants en France veulent être écoutés.",
        "Des enfants vivent en Belgique et au Luxembourg.",
        "306 children in 10 Parties took part in the consultation in 2019.",
        "The helpline 116 111 was the number they knew.",
        "Will anyone listen to us?",
        "Nice teachers would help.",
        "School should teach us about consent.",
        "High school is when it gets worse.",
        "The school never told us anything.",
        "I'm English and I'm scared.",
        "Sometimes I am 13 and feel 30.",
        "We talked about Instagram and TikTok for an hour.",
        "Rose petals were on the table; May was the month of the workshop.",
        "Les ados de 15 ans veulent plus d'éducation sexuelle.",
        "On Monday we live in fear of the group chat.",
    ],
)
def test_ordinary_texts_are_not_flagged(text):
    assert found(text) == []


def test_the_language_selects_the_phrases_of_that_language():
    # "I'm Lou": an introduction in English; a French text does not read English phrases.
    assert found("I'm Lou.", "en") == [(Kind.NAME, "Lou")]
    assert found("I'm Lou.", "fr") == []


def test_a_text_is_guessed_french_or_english():
    assert safeguarding.guess_language("Les enfants ont dit que l'école devrait agir.") == "fr"
    assert safeguarding.guess_language("The children said that the school should act.") == "en"


def test_a_text_full_of_numbers_still_has_its_phone_number_flagged():
    # Past the stretches phonenumbers reads, a stretch shaped like a phone number is flagged unread.
    text = "Years 2019-2020, " * (safeguarding.PHONE_BUDGET + 5) + "call 07700 900123"
    assert found(text)[-1] == (Kind.PHONE, "07700 900123")


def test_a_hostile_text_is_checked_in_bounded_time():
    import time

    started = time.perf_counter()
    safeguarding.check("1 " * 10_000 + "A" * 20_000 + "a." * 10_000)
    assert time.perf_counter() - started < 10  # some 0.5 s; minutes before the stretches were bounded
