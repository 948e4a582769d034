"""End to end in Chromium: a State reports, the Secretariat assesses, the dashboard shows the status."""

import pytest
from django.urls import reverse

from recommendations.models import Assessment, FollowUp, FollowUpUpdate
from secretariat.models import User
from tests.factories import PartyFactory, RoundFactory
from tests.recommendations.factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(username, role, party=None):
    user = User(username=username, role=role, party=party)
    user.set_password("pw")
    user.save()
    return user


def _new_page(browser):
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    return page


def _portal_login(browser, live_server, username):
    page = _new_page(browser)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    return page


def _admin_login(browser, live_server, username):
    page = _new_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def test_an_update_is_assessed_and_the_dashboard_shows_the_new_status(browser, live_server):
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = RoundFactory(number=7)
    round_.parties.set([france])
    report = ReportFactory(round=round_, reference="LC-R7-REPORT")
    recommendation = RecommendationFactory(
        chapter=ChapterFactory(report=report), number="V-17", addressees=[france]
    )
    follow_up = recommendation.follow_ups.get()
    _user("camille", "state_coordinator", france)
    _user("oscar", "secretariat_officer")

    # The French coordinator finds V-17 in the portal's follow-up list and reports on it.
    page = _portal_login(browser, live_server, "camille")
    page.click(f"a[href='{reverse('follow_up:list')}']")
    page.locator("#follow-ups a", has_text="V-17").click()
    form = page.locator("#update-form")
    form.locator("textarea[name=text]").fill("A **specialised unit** handles cross-border cases since 2024.")
    form.locator("select[name=reported_status]").select_option("done")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages .success")
    assert page.locator("#reported-status").get_attribute("data-status") == "done"
    assert page.locator(".update strong", has_text="specialised unit").is_visible()
    page.context.close()
    update = FollowUpUpdate.objects.get()

    # A Secretariat officer opens the update awaiting review and assesses it from there.
    page = _admin_login(browser, live_server, "oscar")
    page.goto(
        f"{live_server.url}{reverse('admin:recommendations_followupupdate_changelist')}?review=submitted"
    )
    page.locator("#result_list a", has_text="Assess").click()
    assert page.locator(f"input[name=updates][value='{update.pk}']").is_checked()
    page.select_option("select[name=status]", "implemented")
    page.fill("textarea[name=reasoning]", "The unit is in place and staffed.")
    page.check("input[name=published]")
    page.click("input[name=record]")
    page.wait_for_selector(".messagelist")
    follow_up.refresh_from_db()
    assert follow_up.assessed_status == "implemented"
    assessment = Assessment.objects.get()
    assert list(assessment.updates.all()) == [update]

    # The dashboard's cell for France and V-17 now shows the new status.
    page.goto(f"{live_server.url}{reverse('recommendations_dashboard')}?report={report.pk}")
    cell = page.locator("#compliance-matrix td[data-party='FRA'][data-recommendation='V-17']")
    assert cell.get_attribute("data-status") == "implemented"
    page.context.close()

    # Back in the portal, the coordinator reads the published assessment.
    page = _portal_login(browser, live_server, "camille")
    page.goto(f"{live_server.url}{reverse('follow_up:detail', args=[follow_up.pk])}")
    assert page.locator("#assessed-status").get_attribute("data-status") == "implemented"
    assert page.locator(".assessment", has_text="The unit is in place and staffed.").is_visible()
    assert FollowUp.objects.get().reported_status == "done"
    page.context.close()
