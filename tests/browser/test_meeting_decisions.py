"""The record-decision page in Chromium: the details of the kind chosen show under it, the others'
hide; closing a follow-up through them."""

import datetime

import pytest

from recommendations.models import FollowUp
from secretariat.models import AgendaItem, Meeting, User
from tests.factories import PartyFactory
from tests.recommendations.factories import RecommendationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chosen_kind_s_details_show_and_close_the_follow_up(log_in, live_server):
    officer = User(username="olga", role="secretariat_officer")
    officer.set_password("pw")
    officer.save()
    party = PartyFactory(code="FRA", name_en="France", name_fr="France")
    recommendation = RecommendationFactory(addressees=[party])
    follow_up = recommendation.follow_ups.get()
    day = datetime.date(2027, 3, 8)
    meeting = Meeting.objects.create(number=47, starts_on=day, ends_on=day)
    item = AgendaItem(meeting=meeting, order=1, title_en="Follow-up", title_fr="Suivi", party=party)
    item.subject = recommendation.report
    item.save()

    page = log_in("olga")
    page.goto(f"{live_server.url}/admin/secretariat/decision/record/{item.pk}/")
    assert page.locator("#details-close_follow_ups").is_hidden()
    assert page.locator("#details-send_letter").is_hidden()

    page.select_option("#id_kind", "close_follow_ups")
    assert page.locator("#details-close_follow_ups").is_visible()
    assert page.locator("#details-send_letter").is_hidden()
    page.fill("#id_text_en", "The Committee closes the follow-up.")
    page.select_option("#id_close_follow_ups-follow_ups_from", str(follow_up.pk))
    page.click("#id_close_follow_ups-follow_ups_add")
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist")

    assert FollowUp.objects.get(pk=follow_up.pk).closed_on == day
