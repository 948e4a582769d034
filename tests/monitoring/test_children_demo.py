"""The demo's children's views: a registered workshop in France whose small counts are suppressed,
and La Strada – Ukraine's survey waiting with open safeguarding flags; loading again changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from monitoring.models import ChildParticipation, MonitoringRound, SafeguardingFlag, Submission
from monitoring.participation_aggregates import round_aggregates
from recommendations.models import FindingCitation
from recommendations.report_document import report_document
from secretariat.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_loaded, settings):
    settings.DEBUG = True


def test_the_workshop_in_france_is_registered_with_its_quotes_cleared(demo):
    workshop = ChildParticipation.objects.get(party__code="FRA", round__number=2)
    assert workshop.status == Submission.Status.REGISTERED
    assert workshop.quotes.count() == 4
    assert not workshop.flags.filter(decision=SafeguardingFlag.Decision.OPEN).exists()
    assert workshop.transitions.filter(to_status=Submission.Status.REGISTERED).exists()


def test_the_survey_in_ukraine_waits_with_a_school_and_a_first_name_flagged(demo):
    survey = ChildParticipation.objects.get(organisation__name="La Strada – Ukraine")
    assert survey.status == Submission.Status.SUBMITTED
    open_kinds = set(
        survey.flags.filter(decision=SafeguardingFlag.Decision.OPEN).values_list("kind", flat=True)
    )
    assert open_kinds == {SafeguardingFlag.Kind.SCHOOL, SafeguardingFlag.Kind.NAME}


def test_the_round_s_aggregates_suppress_the_workshop_s_small_cells(demo):
    officer = User.objects.get(username="secretariat-officer")
    aggregates = round_aggregates(round=MonitoringRound.objects.get(number=2), user=officer)
    assert aggregates.headline == "26 children in 1 Party"  # the survey is not registered yet
    ages = {row.label: str(row.cells[0]) for row in aggregates.by_age.rows}
    assert ages["16 to 17"] == "fewer than 5"


def test_the_secretariat_opens_the_demo_s_children_views(demo, client):
    client.force_login(User.objects.get(username="secretariat-officer"))
    round_ = MonitoringRound.objects.get(number=2)
    page = client.get(reverse("admin:monitoring_monitoringround_children", args=[round_.pk]))
    assert "If a picture of you is shared" in page.content.decode()


def test_loading_the_demo_again_changes_nothing(demo):
    before = (ChildParticipation.objects.count(), SafeguardingFlag.objects.count())
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    assert (ChildParticipation.objects.count(), SafeguardingFlag.objects.count()) == before


def test_the_draft_report_s_finding_cites_the_children_s_words(demo):
    citation = FindingCitation.objects.get(child_quote__isnull=False)
    assert citation.child_quote.contribution.party.code == "FRA"
    assert citation.finding.chapter.report.reference == "LC-R2-COOPERATION-DRAFT"


def test_the_draft_report_s_notes_name_who_heard_the_children(demo):
    citation = FindingCitation.objects.get(child_quote__isnull=False)
    officer = User.objects.get(username="secretariat-officer")
    printed = report_document(report_id=citation.finding.chapter.report_id, user=officer, language="en")
    notes = [block.text.split("] ", 1)[1] for block in printed.blocks if "Views of children" in block.text]
    assert notes == [
        "Views of children consulted by Children's Voices Network (demo) in France (workshop, "
        "September 2017): “When the website is in another country, nobody seems able to get the pictures "
        "taken down.”"
    ]
