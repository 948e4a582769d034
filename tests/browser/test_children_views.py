"""End to end in Chromium: an organisation sends its children's views with a quote naming a child's
school; the Secretariat sees the flag, redacts the words and registers the contribution."""

import pytest

from monitoring.models import ChildParticipation
from secretariat.models import Organisation, Role, User
from tests.factories import OrganisationFactory, PartyFactory, build_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "At Oakwood Primary School the teachers never listen to us."


def _user(username: str, role: str, **affiliation) -> User:
    user = User(username=username, role=role, **affiliation)
    user.set_password("pw")
    user.save()
    return user


def _new_page(browser):
    page = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    return page


def _portal_login(browser, live_server, username: str):
    page = _new_page(browser)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    return page


def _admin_login(browser, live_server, username: str):
    page = _new_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def _fill_contribution(page) -> None:
    form = page.locator("#contribution-form")
    form.locator("[name=title]").fill("Workshop on online safety")
    form.locator("[name=method]").select_option("workshop")
    form.locator("[name=started_on]").fill("2026-03-14")
    form.locator("[name=ended_on]").fill("2026-03-15")
    for name, value in {"children_count": "8", "children_13_15": "8", "girls": "5", "boys": "3"}.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=consent_given_by]").select_option("children_and_parents")
    form.locator("[name=consent_description]").fill(
        "Parents signed a form; children could leave at any time."
    )
    form.locator("[name=how_informed]").fill("A leaflet in plain words.")
    form.locator("[name=summary]").fill("The children want adults to listen to them.")


def test_an_organisation_sends_childrens_views_and_the_secretariat_redacts_and_registers(
    browser, live_server
):
    ukraine = PartyFactory(code="UKR", name_en="Ukraine", name_fr="Ukraine")
    build_round(parties=[ukraine], number=7)
    organisation = OrganisationFactory(
        name="Children's Voices", party=ukraine, kind=Organisation.Kind.CHILD_PARTICIPATION
    )
    _user("olena", Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation)
    _user("oscar", Role.SECRETARIAT_OFFICER)

    # The organisation's contributor writes the contribution, with a quote naming a school, and sends it.
    page = _portal_login(browser, live_server, "olena")
    page.get_by_role("link", name="Children's views").first.click()
    page.locator("#open-rounds a.button").click()
    assert page.locator("#field-party select").input_value() == str(ukraine.pk)  # the organisation's Party
    _fill_contribution(page)
    page.locator("#contribution-form button[type=submit]").click()
    page.wait_for_selector("#quotes")
    page.locator("#add-quote").click()
    page.locator("#quote-form [name=text]").fill(QUOTE)
    page.locator("#quote-form button[type=submit]").click()
    page.wait_for_selector(".quote")
    page.locator("#send-link").click()
    page.locator("#send button[type=submit]").click()
    page.wait_for_selector("#status.submitted")
    page.context.close()

    # The Secretariat sees the flag, with the school's name highlighted, redacts it and registers.
    contribution = ChildParticipation.objects.get()
    page = _admin_login(browser, live_server, "oscar")
    page.goto(f"{live_server.url}/admin/monitoring/childparticipation/?flags=open")
    page.locator("#result_list a", has_text="Workshop on online safety").click()
    assert page.locator("#safeguarding mark").inner_text() == "Oakwood Primary School"
    assert page.locator("#register-button").is_disabled()
    page.locator("#safeguarding input[name=redact]").click()
    page.wait_for_selector("#no-open-flags")
    page.locator("#register-button").click()
    page.wait_for_selector(".messagelist .success")
    contribution.refresh_from_db()
    assert contribution.status == ChildParticipation.Status.REGISTERED
    assert "[redacted]" in page.locator("#quotes-group, .inline-group").first.inner_text()
    assert "Oakwood" not in page.content()
    page.context.close()
