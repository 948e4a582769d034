import datetime
import itertools

import factory
import pycountry

from secretariat.models import ConventionArticle, Document, Organisation, Party, Role, User

# Real alpha-3 codes, handed out in turn; FRA and RUS are kept for the personas' Parties.
_SPARE_CODES = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in {"FRA", "RUS"})
_next_code = itertools.count()


def _free_party_code() -> str:
    """The next spare code that no Party in the database uses yet (tests also create Parties by code)."""
    taken = set(Party.objects.values_list("code", flat=True))
    for _ in range(len(_SPARE_CODES)):
        code = _SPARE_CODES[next(_next_code) % len(_SPARE_CODES)]
        if code not in taken:
            return code
    raise RuntimeError("No free ISO 3166-1 alpha-3 code left for a test Party.")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["code"]

    code = factory.LazyFunction(_free_party_code)
    name_en = factory.LazyAttribute(lambda p: pycountry.countries.get(alpha_3=p.code).name)
    name_fr = factory.LazyAttribute(lambda p: f"{p.name_en} (fr)")
    coe_member = True
    lanzarote_status = "party"


def party_admin_form(**changes) -> dict:
    """What the admin's Party form posts for France (no users inline), with `changes`."""
    form = {
        "code": "FRA",
        "name_en": "France",
        "name_fr": "France",
        "lanzarote_status": "party",
        "budapest_status": "party",
        "uncrc_status": "party",
        "opsc_status": "party",
        "users-TOTAL_FORMS": "0",
        "users-INITIAL_FORMS": "0",
    }
    return {**form, **changes}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NGO
    party = factory.SubFactory(PartyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.SECRETARIAT_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionArticle
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n % 50 + 1)
    title_en = factory.Sequence(lambda n: f"Article title {n}")
    title_fr = factory.Sequence(lambda n: f"Titre d'article {n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    reference = factory.Sequence(lambda n: f"T-ES(2026){n:03d}")
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = Document.Kind.REPLIES
    date = datetime.date(2026, 1, 15)
    language = Document.Language.ENGLISH
    url = "https://www.coe.int/lanzarote"
    party = factory.SubFactory(PartyFactory)


# --- monitoring ---------------------------------------------------------------------------

from monitoring.models import MonitoringRound, Question, Reply, Section, Submission  # noqa: E402


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringRound
        django_get_or_create = ["number"]

    # Far above the numbers tests pick themselves (2, 71, 77…), which get_or_create would otherwise
    # return when a long worker's sequence reaches them.
    number = factory.Sequence(lambda n: n + 1000)
    theme_en = "ICT-facilitated abuse"
    theme_fr = "Abus facilités par les TIC"
    title_en = factory.LazyAttribute(lambda r: f"Round {r.number}")
    title_fr = factory.LazyAttribute(lambda r: f"Cycle {r.number}")
    status = MonitoringRound.Status.COLLECTING
    reply_deadline = datetime.date(2026, 12, 31)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    round = factory.SubFactory(RoundFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Section {n}")
    title_fr = factory.Sequence(lambda n: f"Partie {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    round = factory.SelfAttribute("section.round")
    parent = None
    kind = factory.LazyAttribute(
        lambda q: Question.Kind.QUESTION if q.parent is None else Question.Kind.SUBQUESTION
    )
    ref = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(lambda n: n + 1)
    text_en = factory.Sequence(lambda n: f"Question text {n}")
    text_fr = factory.Sequence(lambda n: f"Texte de la question {n}")


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    round = factory.SubFactory(RoundFactory)
    party = factory.SubFactory(PartyFactory)
    organisation = None


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply
        skip_postgeneration_save = True

    submission = factory.SubFactory(SubmissionFactory)
    language = "en"
    text = factory.Sequence(lambda n: f"Reply text {n}")
    order = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.questions.set(extracted)


def build_round(*, parties, questions_per_section=3, sections=2, number=None):
    """A round with a small questionnaire (questions with two items each) and its Parties."""
    round = RoundFactory(**({"number": number} if number else {}))
    round.parties.set(parties)
    order = 0
    for s in range(1, sections + 1):
        section = SectionFactory(round=round, order=s, title_en=f"Section {s}", title_fr=f"Partie {s}")
        for q in range(1, questions_per_section + 1):
            order += 1
            ref = str((s - 1) * questions_per_section + q)
            question = QuestionFactory(round=round, section=section, ref=ref, order=order * 10)
            for letter in "ab":
                order += 1
                QuestionFactory(
                    round=round,
                    section=section,
                    parent=question,
                    ref=f"{ref}.{letter}",
                    kind="item",
                    order=order * 10,
                )
    return round


# --- children's views -------------------------------------------------------------------------

from monitoring.models import ChildParticipation, ChildQuote  # noqa: E402


class ChildParticipationFactory(factory.django.DjangoModelFactory):
    """A draft contribution of 12 children whose counts add up; its Party takes part in its round."""

    class Meta:
        model = ChildParticipation
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    party = factory.SubFactory(PartyFactory)
    organisation = factory.SubFactory(OrganisationFactory, party=factory.SelfAttribute("..party"))
    title = factory.Sequence(lambda n: f"Workshop {n}")
    method = "workshop"
    started_on = datetime.date(2026, 3, 2)
    ended_on = datetime.date(2026, 3, 4)
    children_count = 12
    children_13_15 = 12
    girls = 7
    boys = 5
    consent_given_by = "children_and_parents"
    consent_description = "Written consent of the parents; the children could leave at any time."
    how_informed = "A leaflet in plain language and a first session on how their views would be used."
    summary = "The children said they wanted adults to listen and act."

    @factory.post_generation
    def in_round(obj, create, extracted, **kwargs):
        if create:
            obj.round.parties.add(obj.party)


class ChildQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildQuote
        skip_postgeneration_save = True

    contribution = factory.SubFactory(ChildParticipationFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Teachers should talk about what happens online before it happens."
    language = "en"
