"""The main pages in French, in Chromium: no English left where the catalogue has the French.

Each page is read as its user sees it (the text Chromium renders), cut into its lines and cells;
a piece that is exactly an English msgid of the catalogue (Django's and the project's) whose
French differs is an untranslated string, and so is any of a few English words people reported.
The data is written in French, so that only the interface could bring English in. French
typography is checked too: a label ends with " :", never with a colon stuck to its word.
"""

import re

import pytest
from django.utils.translation import trans_real

from monitoring.models import Submission
from recommendations.models import Urgency
from secretariat.models import User
from tests.factories import PartyFactory, ReplyFactory, SubmissionFactory, build_round
from tests.recommendations.factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Words seen in English on French pages before (issue 13): each must come from the catalogue.
ENGLISH_WORDS = (
    "Report",
    "Status",
    "Chapter",
    "Urgency",
    "Theme",
    "Round",
    "Submission",
    "Reply",
    "Replies",
    "Deadline",
    "Recommendation",
    "Follow-up",
    "Party",
    "Overdue",
    "Yes",
    "None",
    # Other packages' models, named by admin_site.MODEL_NAMES.
    "Auth tokens",
    "Authenticators",
    "Task Results",
)
#: English msgids a French page rightly shows: the language switch names each language in itself.
ALLOWED = {"English"}
#: A word with a colon stuck to it ("Statut:"); French writes "Statut :".
STUCK_COLON = re.compile(r"(?<![\w/])([^\W\d_]{2,}):(?=\s|$)")


def english_msgids() -> set[str]:
    """The English msgids whose French differs, from every catalogue Django reads."""
    catalogue = trans_real.translation("fr")._catalog
    return {
        msgid
        for msgid in catalogue.keys()  # noqa: SIM118 - a TranslationCatalog is not iterable
        if isinstance(msgid, str)
        and "\x04" not in msgid  # a msgid with a context: its text may also be French
        and len(msgid) > 2
        and re.search(r"[A-Za-z]{2}", msgid)
        and catalogue[msgid] != msgid
        and msgid not in ALLOWED
    }


def untranslated(text: str, msgids: set[str]) -> list[str]:
    """What of a page's visible text is still English."""
    found = set()
    for line in text.split("\n"):
        for cell in line.split("\t"):
            piece = cell.strip().rstrip(":").strip()
            if piece in msgids:
                found.add(piece)
    for word in ENGLISH_WORDS:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            found.add(word)
    found |= {f"{word}:" for word in STUCK_COLON.findall(text)}
    return sorted(found)


def test_the_reader_finds_english_left_on_a_french_page():
    msgids = {"Status", "Draft"}
    text = "Statut :\tBrouillon\nRapport\tReport\nDraft\nÉchéance: demain"
    assert untranslated(text, msgids) == ["Draft", "Report", "Échéance:"]
    assert untranslated("Statut :\tBrouillon\nRéponse de l'État", msgids) == []


def _user(username, role, party=None, first_name="", last_name=""):
    user = User(username=username, role=role, party=party, first_name=first_name, last_name=last_name)
    user.set_password("pw")
    user.save()
    return user


def _log_in(browser, live_server, path: str, username: str):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state("load")
    return page


@pytest.fixture
def french_data():
    """A round France answered, a report with a recommendation to France, all written in French."""
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], questions_per_section=1, sections=1, number=7)
    submission = SubmissionFactory(round=round_, party=france, status=Submission.Status.SUBMITTED)
    ReplyFactory(
        submission=submission,
        language="fr",
        text="La France protège les enfants.",
        questions=[round_.questions.get(ref="1")],
    )
    report = ReportFactory(round=round_, reference="LC-R7", title_en="Report 7", title_fr="Rapport 7")
    recommendation = RecommendationFactory(
        chapter=ChapterFactory(report=report, title_en="Chapter one", title_fr="Chapitre un"),
        number="V-1",
        urgency=Urgency.REQUIRE,
        text_en="The Committee requires France to act.",
        text_fr="Le Comité exige que la France agisse.",
        addressees=[france],
    )
    _user("oscar", "secretariat_officer", first_name="Oscar", last_name="Dupont")
    _user("camille", "state_coordinator", france, first_name="Camille", last_name="Martin")
    return {
        "france": france,
        "submission": submission,
        "reply": submission.replies.get(),
        "recommendation": recommendation,
        "follow_up": recommendation.follow_ups.get(),
        "round": round_,
    }


def test_the_main_pages_have_no_english_left_in_french(browser, live_server, french_data):
    msgids = english_msgids()
    data = french_data
    admin_pages = [
        "/admin/",
        "/admin/monitoring/submission/",
        f"/admin/monitoring/submission/{data['submission'].pk}/change/",
        "/admin/monitoring/reply/",
        f"/admin/monitoring/reply/{data['reply'].pk}/change/",
        "/admin/recommendations/recommendation/",
        f"/admin/recommendations/recommendation/{data['recommendation'].pk}/change/",
        "/admin/recommendations/followup/",
        f"/admin/recommendations/followup/{data['follow_up'].pk}/change/",
        "/admin/recommendations/dashboard/",
        "/admin/recommendations/parties/FRA/",
        f"/admin/secretariat/party/{data['france'].pk}/case-file/",
        "/admin/secretariat/case/",
        "/imports/",
    ]
    portal_pages = [
        "/portal/",
        f"/portal/rounds/{data['round'].number}/",
        "/portal/follow-up/",
        f"/portal/follow-up/{data['follow_up'].pk}/",
    ]
    found = {}
    for login, username, pages in (
        ("/admin/login/", "oscar", admin_pages),
        ("/portal/login/", "camille", portal_pages),
    ):
        page = _log_in(browser, live_server, login, username)
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == "fr", path
            text = page.inner_text("body")
            if english := untranslated(text, msgids):
                # Each with the line it is on, to find it in the page.
                found[path] = {
                    piece: next((line.strip()[:120] for line in text.split("\n") if piece in line), "")
                    for piece in english
                }
        page.context.close()
    assert found == {}
