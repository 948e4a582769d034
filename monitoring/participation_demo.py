"""Demo: two FICTIONAL child participation contributions to round 2 (no real child's words or data).

- A workshop in France by a child-participation organisation, sent by its contributor and
  registered by the Secretariat: its counts show the suppression of small cells (three children
  aged 16 to 17, one child of another gender) and its quotes may be cited and compiled.
- A survey in Ukraine by La Strada – Ukraine (the demo user lastrada-contributor's organisation),
  sent and waiting: the safeguarding check found a school's name and a first name in its quotes,
  open flags for the Secretariat to redact or confirm.

Everything goes through monitoring/participation.py, as the portal and the admin do; each
contribution is created once (by its organisation and title), so loading the demo again changes nothing.
"""

import datetime

from django.contrib.auth.hashers import make_password

from secretariat.models import Organisation, Party, Role, User

from . import participation
from .models import ChildParticipation, ChildQuote, MonitoringRound, SafeguardingFlag

WORKSHOP_ORGANISATION = ("Children's Voices Network (demo)", "Réseau Voix d'enfants (démo)")
WORKSHOP_CONTRIBUTOR = "voices-contributor"  # sends the workshop's contribution; never signs in
WORKSHOP_TITLE = "Workshop: staying safe when pictures are shared (fictional)"
SURVEY_TITLE = "Survey of secondary pupils on sharing images (fictional)"

CONSENT = {
    "consent_given_by": "children_and_parents",
    "consent_description": (
        "Parents signed a consent form a week before; the children agreed at the start and were told "
        "they could stop at any time without giving a reason."
    ),
    "how_informed": (
        "A leaflet in plain words, read together at the start: what the Committee is, what the "
        "workshop is for, and that nobody would be named."
    ),
    "feedback_to_children": "A letter to the group with what the Committee did with their views.",
    "ethics_review": "Two facilitators trained in child protection; a counsellor was present throughout.",
}

WORKSHOP = {
    "title": WORKSHOP_TITLE,
    "method": "workshop",
    "started_on": datetime.date(2017, 9, 16),
    "ended_on": datetime.date(2017, 9, 16),
    "children_count": 26,
    "children_10_12": 9,
    "children_13_15": 14,
    "children_16_17": 3,  # fewer than 5: never shown on its own
    "girls": 14,
    "boys": 11,
    "children_other_gender": 1,
    "summary": (
        "The children said that adults too often blame the child whose picture was shared, and "
        "asked for lessons on what to do **before** it happens."
    ),
    **CONSENT,
}
WORKSHOP_QUOTES = [
    ("If a picture of you is shared, adults should help you get it removed, not blame you.", "en", "1"),
    ("On devrait apprendre en classe ce qu'il faut faire quand quelqu'un demande une photo.", "fr", "3"),
    ("We do not tell our parents because we are scared they will take our phone away.", "en", "1"),
    ("When the website is in another country, nobody seems able to get the pictures taken down.", "en", "16"),
]

SURVEY = {
    "title": SURVEY_TITLE,
    "method": "survey",
    "started_on": datetime.date(2017, 8, 1),
    "ended_on": datetime.date(2017, 9, 15),
    "children_count": 41,
    "children_10_12": 12,
    "children_13_15": 21,
    "children_16_17": 8,
    "girls": 23,
    "boys": 18,
    **CONSENT,
}
SURVEY_QUOTES = [
    (
        "When a boy at Ivan Franko Secondary School shared a photo, the teachers only blamed the girl.",
        "en",
        "3",
    ),
    ("My friend Anna got messages from a stranger and did not know who to tell.", "en", "1"),
]


def load(*, by: User) -> list[str]:
    round_ = MonitoringRound.objects.filter(number=2).first()
    if round_ is None:
        return []
    return [*_workshop(round_, by), *_survey(round_)]


def _workshop(round_: MonitoringRound, secretariat: User) -> list[str]:
    name, name_fr = WORKSHOP_ORGANISATION
    france = Party.objects.get(code="FRA")
    organisation, _ = Organisation.objects.get_or_create(
        name=name,
        defaults={"name_fr": name_fr, "kind": Organisation.Kind.CHILD_PARTICIPATION, "party": france},
    )
    if ChildParticipation.objects.filter(organisation=organisation, title=WORKSHOP_TITLE).exists():
        return []
    contributor = User.objects.filter(username=WORKSHOP_CONTRIBUTOR).first() or User.objects.create(
        username=WORKSHOP_CONTRIBUTOR,
        first_name="Demo",
        last_name="Facilitator",
        role=Role.STAKEHOLDER_CONTRIBUTOR,
        organisation=organisation,
        password=make_password(None),  # unusable: a record's author, not an account to sign in with
    )
    contribution = _contribution(round_, france, organisation, contributor, WORKSHOP, WORKSHOP_QUOTES)
    # Anything the check found in these invented words is confirmed, with the reason.
    for flag in contribution.flags.filter(decision=SafeguardingFlag.Decision.OPEN):
        participation.flag_confirm(flag=flag, by=secretariat, reason="Invented demo text: identifies nobody.")
    participation.participation_register(contribution=contribution, by=secretariat)
    return [
        f"Children's views: {organisation} in France, registered ({contribution.children_count} children)"
    ]


def _survey(round_: MonitoringRound) -> list[str]:
    author = User.objects.filter(username="lastrada-contributor").select_related("organisation").first()
    ukraine = Party.objects.filter(code="UKR").first()
    if author is None or author.organisation is None or ukraine is None:
        return []
    if not round_.parties.filter(pk=ukraine.pk).exists():
        return []
    if ChildParticipation.objects.filter(organisation=author.organisation, title=SURVEY_TITLE).exists():
        return []
    contribution = _contribution(round_, ukraine, author.organisation, author, SURVEY, SURVEY_QUOTES)
    flags = contribution.flags.filter(decision=SafeguardingFlag.Decision.OPEN).count()
    return [
        f"Children's views: {author.organisation} in Ukraine, submitted with {flags} open safeguarding flags"
    ]


def _contribution(round_, party, organisation, author, fields, quotes) -> ChildParticipation:
    """Created, its quotes added and sent by `author`, as the organisation does in the portal."""
    refs = sorted({ref for _text, _language, ref in quotes})
    questions = list(round_.questions.filter(ref__in=refs))
    contribution = participation.participation_create(
        round=round_, party=party, organisation=organisation, by=author, questions=questions, **fields
    )
    for order, (text, language, ref) in enumerate(quotes, start=1):
        quote = ChildQuote(contribution=contribution, text=text, language=language, order=order)
        participation.quote_save(quote=quote, by=author, questions=round_.questions.filter(ref=ref))
    participation.participation_submit(contribution=contribution, by=author)
    return contribution
