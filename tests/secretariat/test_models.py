import pytest
from django.contrib.auth.models import update_last_login
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


def _group_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if "group" in query["sql"].lower()]


def test_signing_in_saves_last_login_without_a_group_query(client, party_a, django_assert_num_queries):
    UserFactory(username="signer", role=Role.STATE_CONTRIBUTOR, party=party_a)
    user = User.objects.get(username="signer")  # as the sign-in loads it
    with django_assert_num_queries(1) as captured:
        update_last_login(None, user=user)  # what a sign-in saves (user_logged_in)
    assert not _group_queries(captured)
    assert User.objects.get(pk=user.pk).last_login is not None


def test_saving_a_user_whose_role_is_unchanged_runs_no_group_query(party_a, django_assert_max_num_queries):
    user = User.objects.get(pk=UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a).pk)
    user.first_name = "Renamed"
    with django_assert_max_num_queries(3) as captured:
        user.save()
    assert not _group_queries(captured)


@pytest.mark.parametrize("update_fields", [None, ["role"]])
def test_a_role_changed_on_a_user_read_from_the_database_moves_them_to_its_group(party_a, update_fields):
    user = User.objects.get(pk=UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a).pk)
    user.role = Role.STATE_COORDINATOR
    user.save(update_fields=update_fields)
    assert list(user.groups.values_list("name", flat=True)) == ["State coordinator"]
    user.role = Role.STATE_CONTRIBUTOR  # and back, on the same instance
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == ["State contributor"]


def test_a_role_read_again_from_the_database_is_the_one_compared(party_a):
    user = User.objects.get(pk=UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a).pk)
    elsewhere = User.objects.get(pk=user.pk)
    elsewhere.role = Role.STATE_COORDINATOR
    elsewhere.save()
    user.refresh_from_db()
    user.role = Role.STATE_CONTRIBUTOR  # the role it was loaded with, no longer the database's
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == ["State contributor"]


def test_a_role_set_on_a_user_read_without_it_is_synced(party_a):
    user = User.objects.only("username").get(pk=UserFactory(role=Role.STATE_CONTRIBUTOR, party=party_a).pk)
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
