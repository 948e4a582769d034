import datetime

import factory
import pycountry

from secretariat.models import ConventionArticle, Document, Organisation, Party, Role, User

# Real alpha-3 codes not in fixtures/parties.csv, so factories never clash with reference data.
_SPARE_CODES = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in {"FRA", "RUS"})


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: _SPARE_CODES[n % len(_SPARE_CODES)])
    name_en = factory.LazyAttribute(lambda p: pycountry.countries.get(alpha_3=p.code).name)
    name_fr = factory.LazyAttribute(lambda p: f"{p.name_en} (fr)")
    coe_member = True
    lanzarote_status = "party"


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
