"""Searching the promising practices (recommendations/practices.py)."""

import pytest

from recommendations.models import Citation
from recommendations.practices import describe, practice_articles, practice_parties, search_practices
from secretariat.models import Role
from tests.factories import ArticleFactory, PartyFactory, UserFactory

from .factories import PracticeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def titles(practices) -> list[str]:
    return [practice.title for practice in practices]


def cite(practice, number: int, paragraph: str = "") -> None:
    Citation.objects.create(practice=practice, article=ArticleFactory(number=number), paragraph=paragraph)


def test_every_word_must_appear_in_the_title_or_the_text_whatever_its_case(officer):
    PracticeFactory(title="Barnahus network", text="Child-friendly interviews across borders.")
    PracticeFactory(title="Hotline", text="A national hotline for reports.")
    assert titles(search_practices(user=officer, query="barnahus BORDERS")) == ["Barnahus network"]
    assert titles(search_practices(user=officer, query="barnahus hotline")) == []


def test_empty_query_lists_every_practice_by_title(officer):
    PracticeFactory(title="Zeta")
    PracticeFactory(title="Alpha")
    assert titles(search_practices(user=officer)) == ["Alpha", "Zeta"]


def test_party_filter_matches_the_practice_s_parties_and_other_states(officer, party_a, party_b):
    PracticeFactory(title="French practice", parties=[party_a])
    PracticeFactory(title="Joint practice", parties=[party_b], other_states="USA;FRA")
    PracticeFactory(title="Russian practice", parties=[party_b])
    assert titles(search_practices(user=officer, party="fra")) == ["French practice", "Joint practice"]
    assert titles(search_practices(user=officer, party=party_b)) == ["Joint practice", "Russian practice"]


def test_theme_filter_takes_a_slug_or_a_theme(officer):
    cooperation = ThemeFactory(slug="international-cooperation")
    PracticeFactory(title="Co-operation", themes=[cooperation, ThemeFactory()])
    PracticeFactory(title="Other", themes=[ThemeFactory()])
    assert titles(search_practices(user=officer, theme="international-cooperation")) == ["Co-operation"]
    assert titles(search_practices(user=officer, theme=cooperation)) == ["Co-operation"]


def test_article_filter_goes_through_citations_once_per_practice(officer):
    cited = PracticeFactory(title="Cites 38 twice")
    cite(cited, 38, "(1)(a)")
    cite(cited, 38, "(2)")
    cite(PracticeFactory(title="Cites 20"), 20)
    assert titles(search_practices(user=officer, article=38)) == ["Cites 38 twice"]


def test_filters_combine(officer, party_a):
    theme = ThemeFactory()
    PracticeFactory(title="Helpline for children", parties=[party_a], themes=[theme])
    PracticeFactory(title="Helpline for parents", parties=[party_a])
    PracticeFactory(title="Helpline abroad", themes=[theme])
    found = search_practices(user=officer, query="helpline", party="FRA", theme=theme.slug)
    assert titles(found) == ["Helpline for children"]


def test_state_user_of_any_party_searches_every_published_practice(coordinator_b, party_a):
    PracticeFactory(title="French practice", parties=[party_a])
    assert titles(search_practices(user=coordinator_b)) == ["French practice"]
    assert [party.code for party in practice_parties(user=coordinator_b)] == ["FRA"]


def test_user_without_a_scope_finds_nothing():
    PracticeFactory()
    inactive = UserFactory(role=Role.SECRETARIAT_OFFICER, is_active=False)
    assert not search_practices(user=inactive).exists()


def test_filter_choices_are_the_parties_and_articles_practices_name(officer, party_a):
    PartyFactory(code="BEL")  # no practice
    practice = PracticeFactory(parties=[party_a])
    cite(practice, 38)
    ArticleFactory(number=20)  # cited by none
    assert [party.code for party in practice_parties(user=officer)] == ["FRA"]
    assert [article.number for article in practice_articles(user=officer)] == [38]


def test_results_name_states_and_articles(officer, party_a):
    practice = PracticeFactory(parties=[party_a], other_states="USA")
    cite(practice, 38, "(1)(a)")
    [result] = describe(search_practices(user=officer))
    assert result.states == ["France", "United States"]
    assert result.articles == ["38(1)(a)"]


def test_reading_results_costs_four_queries_whatever_their_number(
    officer, party_a, django_assert_max_num_queries, django_assert_num_queries
):
    theme = ThemeFactory()
    practice = PracticeFactory(parties=[party_a], themes=[theme])
    cite(practice, 38)
    # Allowed: the practices, then their Parties, themes and citations (with articles).
    with django_assert_max_num_queries(4) as few:
        describe(search_practices(user=officer, query="practice"))
    for _ in range(20):
        cite(PracticeFactory(parties=[party_a, PartyFactory()], themes=[theme]), 20)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(describe(search_practices(user=officer, query="practice"))) == 21
