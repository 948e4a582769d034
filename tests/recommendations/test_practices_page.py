"""/factsheets/practices/: the promising practices search, for every signed-in user."""

import pytest
from django.urls import reverse

from recommendations.models import Citation
from tests.factories import ArticleFactory, PartyFactory

from .factories import PracticeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = "/factsheets/practices/"


def test_url_is_named():
    assert reverse("factsheets:practices") == URL


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "persona", ["officer", "committee_member", "coordinator_a", "coordinator_b", "stakeholder_b"]
)
def test_every_signed_in_role_searches_the_published_practices(client_for, persona, request, party_a):
    # Practices are published: a State user of another Party reads France's (no 404 here by design).
    PracticeFactory(title="French helpline", parties=[party_a])
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert "French helpline" in response.text


def test_page_uses_the_admin_look(client_for, officer):
    response = client_for(officer).get(URL)
    assert 'id="site-name"' in response.text
    assert "<h1>Promising practices</h1>" in response.text


def test_results_show_parties_themes_articles_and_source(client_for, officer, party_a):
    theme = ThemeFactory(name_en="International co-operation")
    practice = PracticeFactory(
        title="Bilateral co-operation", parties=[party_a], themes=[theme], source="Factsheet, section III.4"
    )
    Citation.objects.create(practice=practice, article=ArticleFactory(number=38), paragraph="(1)")
    text = client_for(officer).get(URL, {"q": "bilateral"}).text
    for shown in (
        "Bilateral co-operation",
        "States: France",
        "Themes: International co-operation",
        "Articles: 38(1)",
        "Source: Factsheet, section III.4",
    ):
        assert shown in text


def test_filters_narrow_the_results(client_for, officer, party_a, party_b):
    PracticeFactory(title="French practice", parties=[party_a])
    PracticeFactory(title="Russian practice", parties=[party_b])
    response = client_for(officer).get(URL, {"party": "RUS"})
    assert [result.practice.title for result in response.context["results"]] == ["Russian practice"]


def test_practice_text_is_sanitised(client_for, officer):
    PracticeFactory(title="Hostile", text="Text <script>alert(1)</script> [x](javascript:alert(2)) **bold**")
    text = client_for(officer).get(URL).text
    assert "<script>alert" not in text
    assert "javascript:" not in text
    assert "<strong>bold</strong>" in text


def test_unknown_filter_value_shows_the_error_and_no_results(client_for, officer):
    PracticeFactory()
    response = client_for(officer).get(URL, {"party": "XXX"})
    assert response.status_code == 200
    assert response.context["form"].errors["party"]
    assert response.context["results"] == []


def test_results_are_paginated(client_for, officer):
    for index in range(30):
        PracticeFactory(title=f"Practice {index:02d}")
    response = client_for(officer).get(URL, {"q": "practice", "page": 2})
    assert response.context["results"][0].practice.title == "Practice 25"
    assert "q=practice&amp;page=1" in response.text


def test_page_runs_a_fixed_number_of_queries(
    client_for, officer, party_a, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(officer)
    theme = ThemeFactory()
    PracticeFactory(parties=[party_a], themes=[theme])
    # Allowed: session, user, the form's choices (Parties, themes, articles), the count for the
    # paginator, the user's and their groups' permissions (the admin's page frame), the page of
    # practices, their Parties, themes and citations.
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL, {"q": "practice"}).status_code == 200
    for _ in range(40):
        PracticeFactory(parties=[party_a, PartyFactory()], themes=[theme, ThemeFactory()])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(URL, {"q": "practice"}).status_code == 200


def test_a_search_finding_nothing_says_so_and_how_to_widen_it(client_for, officer):
    PracticeFactory(title="Helpline for children")
    response = client_for(officer).get(URL, {"q": "helpline submarine"})
    content = response.content.decode()
    assert "No practice matches your search." in content
    assert "use fewer words" in content
    assert 'href="?"' in content  # every practice, one click away


def test_a_search_finding_something_does_not_say_nothing_matches(client_for, officer):
    PracticeFactory(title="Helpline for children")
    content = client_for(officer).get(URL, {"q": "helpline"}).content.decode()
    assert "No practice matches" not in content
