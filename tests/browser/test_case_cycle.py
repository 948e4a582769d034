"""End to end in Chromium: a State sends its replies, its handler sees them in My work and the bell,
registers them, and the State is told, in the application and by e-mail (sent by the worker)."""

import pytest
from django.core import mail

from monitoring import services
from monitoring.models import Submission
from secretariat import cases
from secretariat.models import Case, User
from tests.factories import PartyFactory, ReplyFactory, build_round
from tests.secretariat.import_helpers import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(username, role, party=None, **fields):
    user = User(username=username, role=role, party=party, email=f"{username}@example.org", **fields)
    user.set_password("pw")
    user.save()
    return user


def _page(browser, live_server, path, username):
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()
    return page


def test_a_sent_submission_reaches_its_handler_who_registers_it_and_the_state_is_told(browser, live_server):
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], number=5)
    camille = _user("camille", "state_coordinator", france, first_name="Camille")
    oscar = _user("oscar", "secretariat_officer", first_name="Oscar", last_name="Officer")
    submission = services.submission_create(round=round_, party=france, by=camille)
    ReplyFactory(submission=submission, questions=[round_.questions.get(ref="1")])
    case = cases.case_of("submission", submission, france)
    cases.assign([case], handler=oscar, by=_user("ada", "secretariat_admin"))

    # The coordinator sends the replies from the portal.
    page = _page(browser, live_server, "/portal/login/", "camille")
    page.goto(f"{live_server.url}/portal/rounds/5/")
    page.locator("#send-link").click()  # the confirmation page, then the send itself
    page.locator("#submit button[type=submit]").click()
    page.wait_for_selector(".badge.submitted")
    page.context.close()

    # Its handler finds it on the admin's home page (My work) and in the bell.
    page = _page(browser, live_server, "/admin/login/", "oscar")
    page.goto(f"{live_server.url}/admin/")
    work = page.locator("#my-work")
    assert "to register" in work.inner_text()
    assert "France" in work.locator("table.work-items").inner_text()
    assert page.locator("#notification-bell .unread-count").inner_text() == "1"

    # From My work, one click to the submission, where it is registered.
    work.locator("table.work-items a", has_text="France").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/admin/monitoring/submission/")
    page.locator("#result_list input.action-select").first.check()
    page.select_option("select[name=action]", "register")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert Submission.objects.get().status == Submission.Status.REGISTERED
    assert Case.objects.get(pk=case.pk).waiting_on == Case.WaitingOn.NOBODY
    page.context.close()

    # The worker sends the e-mails: the handler's (sent) and the coordinator's (registered).
    run_worker()
    to_camille = [message for message in mail.outbox if message.to == ["camille@example.org"]]
    assert len(to_camille) == 1
    assert "registered" in to_camille[0].subject.lower()

    # The coordinator sees the notification in the portal.
    page = _page(browser, live_server, "/portal/login/", "camille")
    assert page.locator("#notification-bell .unread-count").inner_text() == "1"
    page.locator("#notification-bell").click()
    page.wait_for_load_state()
    assert "registered" in page.locator("main").inner_text().lower()
    page.context.close()
