"""The admin at a laptop's width (1366 px), on the demo data: the main lists show their key columns
without scrolling sideways, and the small things of every page (icon, sidebar, sign-in) are right."""

from io import StringIO

import pytest
from django.core.management import call_command

from secretariat import demo
from secretariat.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}

# Each main list, and the columns that must be in view on it (their <th> classes).
MAIN_LISTS = {
    "/admin/monitoring/submission/": ["column-status", "column-effective_deadline", "column-reply_count"],
    "/admin/recommendations/recommendation/": ["column-urgency", "column-follow_ups_count", "column-excerpt"],
    "/admin/recommendations/factsheet/": ["column-downloads"],
    "/admin/secretariat/party/": ["column-lanzarote_column", "column-weprotect_column"],
    "/admin/monitoring/question/": ["column-short_text", "column-section"],
    "/admin/recommendations/followup/": ["column-assessed_status", "column-deadline_column"],
    "/admin/monitoring/childparticipation/": ["column-status", "column-children", "column-open_flags"],
}

# How far a table reaches past the box that holds it, and where its given columns end.
MEASURE = """([table, columns]) => {
  const element = document.querySelector(table);
  const box = element.parentElement.getBoundingClientRect();
  const hidden = columns.filter(name => {
    const th = element.querySelector('thead th.' + name);
    return !th || th.getBoundingClientRect().right > box.right + 1;
  });
  return {overflow: element.scrollWidth - element.parentElement.clientWidth, hidden};
}"""


def _officer_page(browser, live_server, locale: str):
    page = browser.new_context(viewport=LAPTOP, locale=locale).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", "secretariat-officer")
    page.fill("#id_password", "lanzarote-demo")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


@pytest.fixture
def demo_data():
    # What `load_demo` loads (it refuses to while DEBUG is off, as in tests): long titles and all.
    call_command("load_reference", stdout=StringIO())
    demo.load_demo_records()
    list(demo.load_app_demos(by=User.objects.get(username=demo.DEMO_ADMIN)))


def test_main_lists_fit_a_laptop_screen_in_english_and_french(browser, live_server, demo_data):
    # One test for both languages: the demo data is long to load.
    for locale, language in (("en-GB", "en"), ("fr-FR", "fr")):
        page = _officer_page(browser, live_server, locale)
        if language == "fr":
            page.select_option("#language-switcher select", "fr")
            page.wait_for_selector("html[lang=fr]")
        for path, key_columns in MAIN_LISTS.items():
            page.goto(f"{live_server.url}{path}")
            measured = page.evaluate(MEASURE, ["#result_list", key_columns])
            assert measured["overflow"] <= 0, f"{path} ({language}) is {measured['overflow']} px too wide"
            assert measured["hidden"] == [], f"{path} ({language}) hides {measured['hidden']}"
        # My work, everyone's cases, on the home page: its table and the page itself.
        page.goto(f"{live_server.url}/admin/?scope=everyone")
        measured = page.evaluate(MEASURE, ["#my-work table.work-items", []])
        assert measured["overflow"] <= 0, f"My work ({language}) is {measured['overflow']} px too wide"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), language
        page.context.close()


def test_compliance_dashboard_shows_its_summary_columns_on_a_laptop_screen(browser, live_server, demo_data):
    page = _officer_page(browser, live_server, "en-GB")
    page.goto(f"{live_server.url}/admin/recommendations/dashboard/")
    page.wait_for_selector("#compliance-matrix")
    # The totals of each Party (a column per status, then "Addressed") end inside the box.
    past_the_box = page.evaluate(
        """() => {
          const table = document.querySelector('#compliance-matrix');
          const box = table.parentElement.getBoundingClientRect();
          return table.querySelector('thead th.summary-end').getBoundingClientRect().right - box.right;
        }"""
    )
    assert past_the_box <= 0, f"the summary columns end {past_the_box} px outside the table's box"


def _user(username: str, role: str) -> User:
    user = User(username=username, role=role, first_name="Anna", last_name="Officer")
    user.set_password("pw")
    user.save()
    return user


def test_sign_in_fields_are_equally_wide_and_the_site_has_an_icon(page, live_server):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/admin/login/")
    widths = page.evaluate(
        "() => ['#id_login', '#id_password'].map(s => document.querySelector(s).offsetWidth)"
    )
    assert widths[0] == widths[1]
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    assert page.request.get(f"{live_server.url}/favicon.ico").ok


def test_home_page_puts_the_tools_beside_the_records_not_below_them(log_in, live_server):
    _user("anna", "secretariat_officer")
    page = log_in("anna")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/admin/")
    records = page.locator("#content-main").bounding_box()
    tools = page.locator("#secretariat-tools").bounding_box()
    assert tools["x"] >= records["x"] + records["width"], "the tools are not in the sidebar"
    assert tools["y"] < records["y"] + records["height"], "the tools come after the records"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
