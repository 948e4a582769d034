"""End to end in Chromium: draft, submit, register, compile."""

import pytest

from monitoring.models import Submission
from secretariat.models import User
from tests.factories import PartyFactory, build_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(username, role, party=None):
    user = User(username=username, role=role, party=party)
    user.set_password("pw")
    user.save()
    return user


def _portal_login(browser, live_server, username):
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    return page


def _add_reply(page, question, item, text):
    """Write a reply under a numbered question, answering one of its items only."""
    card = page.locator(f"#q{question.pk}")
    adding = card.locator("details.add")
    adding.locator("summary").click()
    form = adding.locator("form")
    # The portal prefixes each question's form fields with q<pk>- so several forms can share a page.
    form.locator("textarea[name$='-text']").fill(text)
    form.locator(f"input[name$='-questions'][value='{question.pk}']").uncheck()
    form.locator(f"input[name$='-questions'][value='{item.pk}']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_replies_go_from_draft_to_the_compilation(browser, live_server):
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], number=5)
    question = round_.questions.get(ref="1")
    _user("louis", "state_contributor", france)
    _user("camille", "state_coordinator", france)
    _user("oscar", "secretariat_officer")

    # A State contributor drafts two replies to question 1 in the portal.
    page = _portal_login(browser, live_server, "louis")
    page.goto(f"{live_server.url}/portal/rounds/5/")
    _add_reply(page, question, round_.questions.get(ref="1.a"), "Awareness campaigns in every school.")
    _add_reply(page, question, round_.questions.get(ref="1.b"), "A national helpline for children.")
    assert page.locator(f"#q{question.pk} p", has_text="A national helpline for children.").is_visible()
    assert "1 / 6" in page.locator("#summary").inner_text()  # question 1 of the 6 numbered ones
    page.context.close()

    # The coordinator sends them to the Secretariat, after a page saying what is unanswered.
    page = _portal_login(browser, live_server, "camille")
    page.goto(f"{live_server.url}/portal/rounds/5/")
    page.locator("#send-link").click()
    page.wait_for_selector("#unanswered")
    page.locator("#submit textarea, #submit input[name=comment]").first.fill("Replies of France")
    page.locator("#submit button[type=submit]").click()
    page.wait_for_selector(".badge.submitted")
    page.context.close()

    # A Secretariat officer registers the submission from the admin.
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", "oscar")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/monitoring/submission/")
    page.locator("#result_list input.action-select").first.check()
    page.select_option("select[name=action]", "register")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert Submission.objects.get().status == Submission.Status.REGISTERED

    # The compilation of question 1 shows both replies under France.
    page.goto(f"{live_server.url}/monitoring/rounds/5/compilation/")
    page.select_option("select[name=question]", "1")
    page.select_option("select[name=format]", "html")
    with page.expect_download() as download:
        page.click("input[type=submit]")
    html = download.value.path().read_text(encoding="utf-8")
    assert "FRANCE / FRANCE" in html
    assert html.index("Awareness campaigns in every school.") < html.index(
        "A national helpline for children."
    )
    page.context.close()
