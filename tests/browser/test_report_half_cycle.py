"""End to end in Chromium, the Committee's half of the cycle: a rapporteur drafts a finding citing a
State's reply, the Secretariat drafts and translates a recommendation from it, puts the report on a
meeting's agenda and records its adoption; the follow-ups open and the State reads the recommendation
in the portal. Only the set-up goes through the ORM."""

import pytest
from django.urls import reverse

from monitoring.models import RapporteurAssignment, Submission
from recommendations.models import Finding, FollowUp, ImplementationReport, Recommendation
from secretariat.models import User
from tests.factories import PartyFactory, QuestionFactory, ReplyFactory, RoundFactory, SubmissionFactory
from tests.recommendations.factories import ChapterFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUND = 8
ENGLISH = "The Committee requests the Parties to set up joint investigation teams."


def _user(username, role, party=None):
    user = User(username=username, role=role, party=party)
    user.set_password("pw")
    user.save()
    return user


#: every Content Security Policy violation met on the way (settings.SECURE_CSP): there should be none
VIOLATIONS: list[str] = []


def _new_page(browser):
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console",
        lambda message: (
            VIOLATIONS.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def _admin_login(browser, live_server, username):
    page = _new_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def _portal_login(browser, live_server, username):
    page = _new_page(browser)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    return page


@pytest.fixture
def world():
    """Round 8 of France, its question 16 with a registered French reply; a report in preparation
    whose chapter I analyses question 16; Rita rapporteur for it, Oscar of the Secretariat, Camille
    France's coordinator."""
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = RoundFactory(number=ROUND)
    round_.parties.set([france])
    question = QuestionFactory(section__round=round_, ref="16")
    submission = SubmissionFactory(round=round_, party=france, status=Submission.Status.REGISTERED)
    reply = ReplyFactory(submission=submission, questions=[question], text="Joint teams since 2024.")
    report = ReportFactory(
        round=round_, status=ImplementationReport.Status.IN_PREPARATION, reference="LC-R8-DRAFT"
    )
    chapter = ChapterFactory(
        report=report,
        number="I",
        title_en="International co-operation",
        title_fr="Coopération internationale",
    )
    chapter.questions.set([question])
    rapporteur = _user("rita", "committee_member")
    RapporteurAssignment.objects.create(question=question, member=rapporteur)
    _user("oscar", "secretariat_officer")
    _user("camille", "state_coordinator", france)
    return {"report": report, "chapter": chapter, "reply": reply, "france": france}


def _rapporteur_drafts_a_finding(browser, live_server, world) -> Finding:
    page = _admin_login(browser, live_server, "rita")
    # From the chapter on her question, which she reads, to a new finding in it.
    page.goto(
        f"{live_server.url}{reverse('admin:recommendations_chapter_change', args=[world['chapter'].pk])}"
    )
    page.click("#add-finding")
    assert page.locator("#id_chapter").input_value() == str(world["chapter"].pk)
    page.fill("#id_text_en", "France reports **joint investigation teams**.")
    page.fill("#id_text_fr", "La France signale des **équipes communes d'enquête**.")
    page.select_option("#id_citations-0-reply", str(world["reply"].pk))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.context.close()
    finding = Finding.objects.get()
    assert (finding.author.username, finding.citations.get().party) == ("rita", world["france"])
    return finding


def _secretariat_drafts_and_translates(page, live_server, finding) -> Recommendation:
    page.goto(f"{live_server.url}{reverse('admin:recommendations_finding_change', args=[finding.pk])}")
    page.click("#draft-recommendation")
    page.check("input[name=urgency][value=request]")
    page.fill("#id_legal_basis", "Article 38 of the Convention.")
    page.fill("#id_text_en", ENGLISH)
    page.click("#draft-recommendation-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    recommendation = Recommendation.objects.get()
    assert (recommendation.number, list(recommendation.addressees.all())) == (
        "I-1",
        [finding.citations.get().party],
    )

    # The French, on the recommendation's page; then the English is reworded, the French still holds.
    page.fill("#id_text_fr", "Le Comité demande aux Parties de créer des équipes communes d'enquête.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.fill("#id_text_en", ENGLISH.replace("set up", "establish"))
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    recommendation.refresh_from_db()
    assert recommendation.translation_fr == "revised"
    page.goto(f"{live_server.url}{reverse('admin:recommendations_recommendation_changelist')}")
    page.check(f"input.action-select[value='{recommendation.pk}']")
    page.select_option("select[name=action]", "mark_fr_translated")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    recommendation.refresh_from_db()
    assert recommendation.translated
    return recommendation


def _secretariat_adopts_at_a_meeting(page, live_server) -> None:
    page.goto(f"{live_server.url}{reverse('admin:secretariat_meeting_add')}")
    page.fill("#id_number", "90")
    page.fill("#id_starts_on", "2026-11-18")
    page.fill("#id_ends_on", "2026-11-20")
    page.fill("#id_place", "Strasbourg")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.get_by_role("link", name="Propose agenda items").click()
    for box in page.locator("input[name=proposal]").all():
        box.uncheck()
    page.get_by_label(f"Adoption of the round {ROUND} implementation report").check()
    page.locator("form:has(input[name=proposal]) [type=submit]").click()
    page.wait_for_selector(".messagelist .success")
    page.get_by_role("link", name="Record a decision").click()
    page.select_option("select[name=kind]", "adopt_report")
    page.fill("textarea[name=text_en]", "The Committee adopts the round 8 implementation report.")
    page.locator("form:has(textarea[name=text_en]) [type=submit]").click()
    page.wait_for_selector(".messagelist .success")
    assert "Report adopted on 2026-11-18; 1 follow-up opened." in page.locator(".messagelist").inner_text()


def test_from_a_rapporteur_s_finding_to_the_adopted_recommendation_in_the_portal(browser, live_server, world):
    VIOLATIONS.clear()
    finding = _rapporteur_drafts_a_finding(browser, live_server, world)

    page = _admin_login(browser, live_server, "oscar")
    recommendation = _secretariat_drafts_and_translates(page, live_server, finding)
    _secretariat_adopts_at_a_meeting(page, live_server)
    page.context.close()
    assert ImplementationReport.objects.get(pk=world["report"].pk).is_adopted
    follow_up = FollowUp.objects.get(recommendation=recommendation)
    assert follow_up.party == world["france"]

    # France's coordinator finds I-1 among the recommendations addressed to France.
    page = _portal_login(browser, live_server, "camille")
    page.goto(f"{live_server.url}{reverse('follow_up:list')}")
    page.locator("tr[data-recommendation='I-1'] a", has_text="I-1").click()
    assert page.get_by_text("establish joint investigation teams").first.is_visible()
    page.context.close()
    assert VIOLATIONS == []
