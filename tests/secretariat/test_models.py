import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from secretariat.models import ConventionArticle, Role, User
from tests.factories import ArticleFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("38(2)", (38, "(2)")),
        ("Article 38(1)(a)", (38, "(1)(a)")),
        ("20", (20, "")),
        ("Art. 5(3)", (5, "(3)")),
    ],
)
def test_article_citation_is_parsed(citation, expected):
    assert ConventionArticle.parse_citation(citation) == expected


def test_bad_article_citation_is_refused():
    with pytest.raises(ValidationError, match="is not an article citation"):
        ConventionArticle.parse_citation("paragraph two")


def test_party_name_follows_active_language():
    party = PartyFactory(code="DEU", name_en="Germany", name_fr="Allemagne")
    with translation.override("fr"):
        assert str(party) == "Allemagne"
    assert str(party) == "Germany"


def test_article_title_follows_active_language():
    article = ArticleFactory(
        number=38, title_en="International co-operation", title_fr="Coopération internationale"
    )
    with translation.override("fr"):
        assert article.title == "Coopération internationale"


def test_state_user_without_party_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        User.objects.create(username="nobody", role=Role.STATE_COORDINATOR)


def test_state_user_without_party_is_refused_by_validation():
    with pytest.raises(ValidationError, match="must belong to a Party"):
        User(username="nobody", role=Role.STATE_COORDINATOR).full_clean()


def test_secretariat_user_with_party_is_refused_by_validation():
    user = User(username="x", role=Role.SECRETARIAT_OFFICER, party=PartyFactory())
    with pytest.raises(ValidationError, match="belong to neither"):
        user.full_clean()


def test_role_puts_user_in_its_group_and_outside_the_admin(party_a):
    user = UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a)
    assert list(user.groups.values_list("name", flat=True)) == ["State contributor"]
    assert not user.is_staff


def test_changing_role_moves_user_to_the_new_group(party_a):
    user = UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a)
    user.role = Role.STATE_COORDINATOR
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == ["State coordinator"]


def test_committee_member_has_only_view_permissions():
    user = UserFactory(role=Role.COMMITTEE_MEMBER)
    permissions = user.get_all_permissions()
    assert "secretariat.view_document" in permissions
    assert all(p.split(".")[1].startswith("view_") for p in permissions)


def test_officer_cannot_manage_users():
    user = UserFactory(role=Role.SECRETARIAT_OFFICER)
    assert user.has_perm("secretariat.change_document")
    assert not user.has_perm("secretariat.change_user")
