"""Demo accounts and records for a development back office (never with DEBUG off).

The core creates the demo organisations, accounts and documents; each app adds its own records
from its `demo` module, which `load_demo` discovers (as the admin discovers `admin` modules) and
whose functions marked `@loader(order=N)` it runs in order, as the demo administrator.
"""

import datetime
from collections.abc import Callable, Iterator

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .models import Document, Organisation, Party, Role, User

DEMO_PASSWORD = "lanzarote-demo"
DEMO_ADMIN = "secretariat-admin"

DemoLoader = Callable[..., list[str]]
_LOADERS: dict[str, tuple[int, DemoLoader]] = {}


def loader(*, order: int) -> Callable[[DemoLoader], DemoLoader]:
    """Mark a function `load(*, by: User) -> list[str]` as one step of the demo; lower orders run first."""

    def mark(function: DemoLoader) -> DemoLoader:
        _LOADERS[f"{function.__module__}.{function.__qualname__}"] = (order, function)
        return function

    return mark


def load_app_demos(by: User) -> Iterator[str]:
    """Run every app's demo loaders, in order, yielding what each reports."""
    autodiscover_modules("demo")
    for _, function in sorted(_LOADERS.values(), key=lambda item: item[0]):
        yield from function(by=by)


DEMO_ORGANISATIONS = [
    # name, French name, kind, Party code
    ("La Strada – Ukraine", "La Strada – Ukraine", Organisation.Kind.NGO, "UKR"),
    ("Défenseur des droits", "Défenseur des droits", Organisation.Kind.OMBUDSPERSON, "FRA"),
    (
        "European Network of Ombudspersons for Children (ENOC)",
        "Réseau européen des médiateurs pour enfants (ENOC)",
        Organisation.Kind.INTERNATIONAL,
        None,
    ),
]

DEMO_ACCOUNTS = [
    # username, first name, last name, role, Party code, organisation name
    (DEMO_ADMIN, "Anna", "Admin", Role.SECRETARIAT_ADMIN, None, None),
    ("secretariat-officer", "Oscar", "Officer", Role.SECRETARIAT_OFFICER, None, None),
    ("committee-member", "Clara", "Member", Role.COMMITTEE_MEMBER, None, None),
    ("fra-coordinator", "Camille", "Coordinatrice", Role.STATE_COORDINATOR, "FRA", None),
    ("fra-contributor", "Louis", "Contributeur", Role.STATE_CONTRIBUTOR, "FRA", None),
    ("rus-coordinator", "Irina", "Coordinator", Role.STATE_COORDINATOR, "RUS", None),
    ("rus-contributor", "Pavel", "Contributor", Role.STATE_CONTRIBUTOR, "RUS", None),
    (
        "lastrada-contributor",
        "Olena",
        "Stakeholder",
        Role.STAKEHOLDER_CONTRIBUTOR,
        None,
        "La Strada – Ukraine",
    ),
]

DEMO_DOCUMENTS = [
    # reference, title, kind, date, language, Party code
    (
        "T-ES(2017)ICT-RU",
        "Replies to the thematic questionnaire – Russian Federation",
        Document.Kind.REPLIES,
        datetime.date(2017, 10, 24),
        Document.Language.ENGLISH,
        "RUS",
    ),
    (
        "T-ES(2017)ICT-FR",
        "Réponses au questionnaire thématique – France",
        Document.Kind.REPLIES,
        datetime.date(2017, 11, 6),
        Document.Language.FRENCH,
        "FRA",
    ),
    (
        "T-ES(2018)21_bil rev.2",
        "Compilation of replies to question 16 (international co-operation)",
        Document.Kind.COMPILATION,
        datetime.date(2019, 3, 1),
        Document.Language.BILINGUAL,
        None,
    ),
    (
        "T-ES(2019)03_en",
        "Implementation report: protection of children against sexual exploitation and abuse "
        "facilitated by ICTs",
        Document.Kind.IMPLEMENTATION_REPORT,
        datetime.date(2019, 3, 6),
        Document.Language.ENGLISH,
        None,
    ),
]

LANZAROTE_URL = "https://www.coe.int/en/web/children/lanzarote-committee"


@transaction.atomic
def load_demo_records() -> list[tuple[str, str, str]]:
    """Create or refresh the demo organisations, accounts and documents; return the accounts."""
    parties = {party.code: party for party in Party.objects.all()}
    organisations = {}
    for name, name_fr, kind, code in DEMO_ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"name_fr": name_fr, "kind": kind, "party": parties.get(code)}
        )
    accounts = []
    for username, first_name, last_name, role, code, organisation in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name, user.role = first_name, last_name, role
        user.party = parties.get(code)
        user.organisation = organisations.get(organisation)
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.save()
        affiliation = (
            code or organisation or ("Committee" if role == Role.COMMITTEE_MEMBER else "Secretariat")
        )
        accounts.append((username, str(role.label), affiliation))
    for reference, title, kind, date, language, code in DEMO_DOCUMENTS:
        Document.objects.update_or_create(
            reference=reference,
            defaults={
                "title": title,
                "kind": kind,
                "date": date,
                "language": language,
                "party": parties.get(code),
                "url": LANZAROTE_URL,
            },
        )
    return accounts


@loader(order=95)
def load_meetings(*, by: User) -> list[str]:
    """A plenary meeting held, with a published decision, and the next one, its agenda proposed
    from the state of the work as the apps see it (after every app's records)."""
    from . import meetings
    from .models import AgendaItem, Meeting

    held, _ = Meeting.objects.get_or_create(
        number=47,
        defaults={
            "starts_on": datetime.date(2026, 10, 13),
            "ends_on": datetime.date(2026, 10, 15),
            "place": "Strasbourg",
            "status": Meeting.Status.HELD,
        },
    )
    if not held.agenda.exists():
        item = AgendaItem.objects.create(
            meeting=held,
            order=1,
            title_en="Exchange of views on child participation in the third monitoring round",
            title_fr="Échange de vues sur la participation des enfants au troisième cycle de suivi",
        )
        meetings.decision_record(
            item,
            kind=meetings.TAKE_NOTE.name,
            text_en="The Committee took note of the Secretariat's proposals and will revert to them.",
            text_fr="Le Comité a pris note des propositions du Secrétariat et y reviendra.",
            published=True,
            by=by,
        )
    upcoming, _ = Meeting.objects.get_or_create(
        number=48,
        defaults={
            "starts_on": datetime.date(2027, 3, 8),
            "ends_on": datetime.date(2027, 3, 10),
            "place": "Strasbourg",
        },
    )
    if not upcoming.agenda.exists():
        meetings.agenda_add(upcoming, meetings.agenda_proposals(upcoming, user=by), by=by)
    return [f"Meetings: 47 (held, 1 decision), 48 (planned, {upcoming.agenda.count()} agenda items)"]
