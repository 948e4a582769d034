"""Children's views arranged directly with the models (the workflow's own tests use its services)."""

import datetime

from monitoring.models import ChildParticipation, ChildQuote, SafeguardingFlag, Submission
from secretariat.history import set_author
from secretariat.models import Organisation
from tests.factories import OrganisationFactory

REGISTERED = Submission.Status.REGISTERED


def child_organisation(party, name: str | None = None) -> Organisation:
    """The Party's child-participation organisation ("Children's Voices FRA"), created once."""
    name = name or f"Children's Voices {party.code}"
    found = Organisation.objects.filter(name=name).first()
    return found or OrganisationFactory(name=name, party=party, kind=Organisation.Kind.CHILD_PARTICIPATION)


def contribution(
    *, round, party, organisation=None, by, status=REGISTERED, ages=None, genders=None, questions=(), **fields
) -> ChildParticipation:
    """A contribution whose counts add up: `ages` and `genders` by field name (default: all 10-12, girls)."""
    ages = ages or {"children_10_12": 10}
    genders = genders or {"girls": sum(ages.values())}
    record = ChildParticipation(
        round=round,
        party=party,
        organisation=organisation or child_organisation(party),
        title=fields.pop("title", "Workshop on online safety"),
        method=fields.pop("method", "workshop"),
        started_on=fields.pop("started_on", datetime.date(2026, 3, 14)),
        ended_on=fields.pop("ended_on", datetime.date(2026, 3, 15)),
        children_count=sum(ages.values()),
        consent_given_by="children_and_parents",
        consent_description="Parents signed a form; children could leave at any time.",
        how_informed="A leaflet in plain words.",
        status=status,
        **ages,
        **genders,
        **fields,
    )
    record.full_clean()
    set_author(record, by).save()
    record.questions.set(questions)
    return record


def quote(
    contribution, text: str, *, by, questions=(), order: int = 0, open_flag: bool = False
) -> ChildQuote:
    record = set_author(ChildQuote(contribution=contribution, text=text, order=order), by)
    record.save()
    record.questions.set(questions)
    if open_flag:
        SafeguardingFlag.objects.create(
            contribution=contribution, quote=record, kind=SafeguardingFlag.Kind.SCHOOL, matched="x"
        )
    return record
