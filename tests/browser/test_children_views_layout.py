"""The round's children's views page at a laptop's width (1366 px), in English and French."""

import pytest
from django.urls import reverse

from tests.factories import PartyFactory, build_round
from tests.monitoring.children_data import contribution, quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def round_with_children(officer, party_a, party_b):
    parties = [party_a, party_b, *PartyFactory.create_batch(6)]
    round_ = build_round(parties=parties, sections=3, questions_per_section=4)
    questions = list(round_.questions.filter(parent=None))
    for index, party in enumerate(parties):
        record = contribution(
            round=round_,
            party=party,
            by=officer,
            ages={"children_10_12": 2 + index, "children_13_15": 9},
            questions=questions[index % 4 :: 3],
        )
        quote(
            record,
            "Adults should believe us the first time we tell them. " * 3,
            by=officer,
            questions=questions[:2],
        )
    return round_


def test_the_children_views_page_fits_a_laptop_screen(browser, live_server, officer, round_with_children):
    for locale in ("en-GB", "fr-FR"):
        page = browser.new_context(viewport=LAPTOP, locale=locale).new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_login", officer.username)
        page.fill("#id_password", "pw")
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        url = reverse("admin:monitoring_monitoringround_children", args=[round_with_children.pk])
        page.goto(f"{live_server.url}{url}")
        page.wait_for_selector(".children-tables")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), locale
        page.context.close()
