"""Every kind of page works in Chromium under the strict Content Security Policy (settings.SECURE_CSP).

Chromium reports each blocked script, style or inline handler as a `securitypolicyviolation`
event and on the console: a page visited here must raise none, while its widgets still work.
"""

import pytest
from django.urls import reverse

from monitoring.models import Submission
from recommendations.models import Factsheet
from secretariat.models import User
from tests.factories import PartyFactory, SubmissionFactory, build_round
from tests.recommendations.factories import (
    ChapterFactory,
    PracticeFactory,
    RecommendationFactory,
    ReportFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts (Playwright injects it past the policy).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def _user(username, role, party=None):
    user = User(username=username, role=role, party=party)
    user.set_password("pw")
    user.save()
    return user


class Visitor:
    """A signed-in browser page that keeps every CSP violation it meets, page by page."""

    def __init__(self, browser, live_server):
        self.live_server = live_server
        self.page = browser.new_context(locale="en-GB").new_page()
        self.page.set_default_timeout(10_000)
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.violations: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.violations.append(f"{self.page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def open(self, path: str, ready: str = "body"):
        self.page.goto(f"{self.live_server.url}{path}")
        self.page.wait_for_selector(ready)
        self.collect()
        return self.page

    def collect(self) -> None:
        self.page.wait_for_load_state("networkidle")
        events = self.page.evaluate("window.cspViolations.splice(0)")
        self.violations += [f"{self.page.url}: {event}" for event in events]

    def sign_in(self, path: str, username: str) -> None:
        self.open(path, "input[name=password]")
        self.page.fill("input[name=login]", username)
        self.page.fill("input[name=password]", "pw")
        self.page.locator("form:has(input[name=password]) [type=submit]").click()
        self.page.wait_for_load_state()
        self.collect()


@pytest.fixture
def visitor(browser, live_server):
    visitor = Visitor(browser, live_server)
    yield visitor
    visitor.page.context.close()  # before the live server stops: no request left in flight


@pytest.fixture
def world():
    france = PartyFactory(code="FRA", name_en="France", name_fr="France")
    round_ = build_round(parties=[france], number=5)
    SubmissionFactory(round=round_, party=france, status=Submission.Status.DRAFT)
    report = ReportFactory(round=round_, reference="LC-R5-REPORT")
    theme = ThemeFactory(slug="co-operation")
    RecommendationFactory(
        chapter=ChapterFactory(report=report), number="V-17", addressees=[france], themes=[theme]
    )
    PracticeFactory(parties=[france], themes=[theme], title="A helpline")
    Factsheet.objects.create(slug="co-operation", title_en="Co-operation", theme=theme, report=report)
    _user("oscar", "secretariat_officer")
    _user("camille", "state_coordinator", france)
    return {"round": round_, "report": report}


def test_back_office_pages_raise_no_csp_violation(visitor, world):
    visitor.sign_in("/admin/login/", "oscar")
    round_, report = world["round"], world["report"]

    visitor.open(reverse("admin:index"), "#secretariat-tools")
    visitor.open(reverse("admin:secretariat_party_changelist"), "#result_list")
    visitor.open(
        f"{reverse('admin:monitoring_question_changelist')}?round__id__exact={round_.pk}", ".ref-depth-1"
    )
    visitor.open(
        reverse("admin:monitoring_monitoringround_state_of_play", args=[round_.pk]), "#state-of-play"
    )
    visitor.open(f"{reverse('recommendations_dashboard')}?report={report.pk}", "#compliance-matrix")
    visitor.open(reverse("import_start"), "#content-main")
    visitor.open(reverse("factsheets:practices"), ".practice-search")
    visitor.open(reverse("factsheets:factsheet", args=["co-operation"]), ".title-block")

    # A change form with date widgets and autocomplete: both work.
    page = visitor.open(reverse("admin:monitoring_submission_add"), "#id_deadline")
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()
    assert page.input_value("#id_deadline")
    page.locator(".field-party .select2-selection").click()
    page.locator(".select2-search__field").fill("Fra")
    page.locator(".select2-results__option", has_text="France").click()
    assert page.locator(".field-party .select2-selection__rendered").inner_text().strip().endswith("France")
    visitor.collect()

    # The language menu switches on choice (a script of ours, not an inline handler).
    page.select_option("#language-select", "fr")
    page.wait_for_selector("html[lang=fr]")
    visitor.collect()

    # Swagger UI renders the API's operations.
    visitor.open(reverse("api:docs"), ".swagger-ui .opblock")

    assert visitor.violations == []


def test_portal_pages_raise_no_csp_violation(visitor, world):
    visitor.sign_in(reverse("portal:login"), "camille")

    visitor.open(reverse("portal:home"), "main")
    page = visitor.open(reverse("portal:questionnaire", args=[5]), "details.add")
    page.locator("details.add summary").first.click()
    visitor.collect()
    visitor.open(reverse("follow_up:list"), "#follow-ups")

    assert visitor.violations == []


def test_a_blocked_script_is_reported(visitor, world, settings):
    # The check above sees violations: with scripts forbidden, the admin's own scripts are reported.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": ["'none'"]}
    visitor.open("/admin/login/", "input[name=password]")
    assert any("script-src" in violation for violation in visitor.violations)
