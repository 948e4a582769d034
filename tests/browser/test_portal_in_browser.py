"""The State portal in Chromium at a laptop's size: sending asks first, and a save lands where it was."""

import pytest

from monitoring.models import Reply, Submission
from secretariat.models import User
from tests.factories import PartyFactory, ReplyFactory, SubmissionFactory, build_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


def _portal_page(browser, live_server, username, role, party):
    user = User(username=username, role=role, party=party)
    user.set_password("pw")
    user.save()
    page = browser.new_context(locale="en-GB", viewport=LAPTOP).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    return page


def _in_viewport(page, selector: str) -> bool:
    """Whether the element is entirely inside the window as scrolled now."""
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"
    )


def test_sending_shows_what_is_unanswered_and_sends_only_once_confirmed(browser, live_server):
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], number=5)
    submission = SubmissionFactory(round=round_, party=france)
    ReplyFactory(submission=submission, questions=[round_.questions.get(ref="1")])
    page = _portal_page(browser, live_server, "camille", "state_coordinator", france)

    page.goto(f"{live_server.url}/portal/rounds/5/")
    page.locator("#send-link").click()
    assert "1 of 6 questions answered." in page.locator("#answered-count").inner_text()
    assert page.locator("#unanswered li").count() == 5
    assert page.locator("#what-next").is_visible()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT  # nothing sent by opening the page

    page.locator("#submit button[type=submit]").click()
    page.wait_for_selector(".badge.submitted")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    page.context.close()


def test_after_a_save_the_message_and_the_reply_are_in_view(browser, live_server):
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], number=6, questions_per_section=3)
    question = round_.questions.get(ref="3")  # the last of section 1, far below the top at 1366x768
    page = _portal_page(browser, live_server, "louis", "state_contributor", france)

    page.goto(f"{live_server.url}/portal/rounds/6/")
    card = page.locator(f"#q{question.pk}")
    card.locator("details.add summary").click()
    card.locator("textarea[name$='-text']").fill("A national helpline for children.")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()

    reply = Reply.objects.get()
    assert page.url.endswith(f"#r{reply.pk}")
    assert page.evaluate("window.scrollY") > 0
    message = f"#r{reply.pk} .notice.success"
    assert page.locator(message).inner_text() == "Your reply has been saved."
    assert _in_viewport(page, message)
    page.context.close()


def test_a_refused_reply_shows_its_errors_in_view(browser, live_server):
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], number=7, questions_per_section=3)
    question = round_.questions.get(ref="3")
    page = _portal_page(browser, live_server, "louis", "state_contributor", france)

    page.goto(f"{live_server.url}/portal/rounds/7/")
    card = page.locator(f"#q{question.pk}")
    card.locator("details.add summary").click()
    card.locator("button[type=submit]").click()  # nothing written
    page.wait_for_load_state()

    assert page.evaluate("window.scrollY") > 0
    assert _in_viewport(page, f"#add-q{question.pk} .notice.error")
    assert not Reply.objects.exists()
    page.context.close()
