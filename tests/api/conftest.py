"""Arrangements for the API tests: a JSON client per persona, and one small world of both Parties."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from monitoring.models import MonitoringRound, Submission
from recommendations import services as recommendation_services
from recommendations.models import AssessedStatus, Factsheet, ReportedStatus
from secretariat import cases, meetings
from secretariat.models import AgendaItem, Case, Correspondence, Meeting, Notification, Role
from tests.conftest import (
    make_coordinator_a,
    make_coordinator_b,
    make_officer,
    make_party_a,
    make_party_b,
    make_user,
    shared_records,
)
from tests.factories import (
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    RoundFactory,
    SubmissionFactory,
    build_round,
)
from tests.recommendations.factories import (
    ChapterFactory,
    PracticeFactory,
    RecommendationFactory,
    ReportFactory,
    ThemeFactory,
)

Status = Submission.Status


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # The API counts each user's calls in the default cache: every test starts from none.
    cache.clear()


@pytest.fixture
def api():
    """An anonymous JSON client."""
    return APIClient()


@pytest.fixture
def api_for():
    """A JSON client signed in (with a session, as the portal's users are) as the given user."""

    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def party_c():
    return make_party_c()


def make_party_c():
    return PartyFactory(code="ITA", name_en="Italy", name_fr="Italie")  # got or created by its code


@shared_records
def world():
    """Round 2 of France, Russia and Italy, with each one's submission, replies and follow-up.

    - France (A): a draft with one reply to 1.a.
    - Russia (B): a registered submission whose author consents to publication, one reply to 2.
    - Italy (C): a registered submission kept confidential (no consent), one reply to 3.
    - A round in preparation, and a round of Russia alone, each with a question.
    - A report on round 2 with one recommendation to all three: their follow-ups, an update
      from France and one from Russia, an unpublished assessment of each of those two.
    - A practice by France on a theme, and a factsheet on that theme.

    Built once for the tests that follow each other taking it (tests/conftest.py, SharedRecords).
    Its personas (party_a, party_b, party_c, officer, coordinator_a, coordinator_b) are those of
    the fixtures: a test taking both gets the same records.
    """
    party_a, party_b, party_c = make_party_a(), make_party_b(), make_party_c()
    officer = make_officer()
    coordinator_a, coordinator_b = make_coordinator_a(party_a), make_coordinator_b(party_b)
    round = build_round(parties=[party_a, party_b, party_c], number=2)
    questions = {question.ref: question for question in round.questions.all()}
    submission_a = SubmissionFactory(round=round, party=party_a, status=Status.DRAFT)
    submission_b = SubmissionFactory(round=round, party=party_b, status=Status.REGISTERED)
    submission_c = SubmissionFactory(
        round=round, party=party_c, status=Status.REGISTERED, consent_to_publication=False
    )
    reply_a = ReplyFactory(submission=submission_a, questions=[questions["1.a"]], text="France's **draft**.")
    reply_b = ReplyFactory(submission=submission_b, questions=[questions["2"]], text="Russia's reply.")
    reply_c = ReplyFactory(
        submission=submission_c, questions=[questions["3"]], text="Italy's confidential reply."
    )
    preparation = RoundFactory(number=3, status=MonitoringRound.Status.PREPARATION)
    preparation.parties.set([party_a, party_b])
    question_in_preparation = QuestionFactory(section__round=preparation, ref="1")
    round_of_b = RoundFactory(number=4)
    round_of_b.parties.set([party_b])
    question_of_b = QuestionFactory(section__round=round_of_b, ref="1")

    report = ReportFactory(round=round, reference="LC-R2-TEST")
    theme = ThemeFactory(slug="co-operation", name_en="Co-operation", name_fr="Coopération")
    recommendation = RecommendationFactory(
        chapter=ChapterFactory(report=report, number="V"),
        number="V-17",
        addressed_to_all=True,
        themes=[theme],
    )
    follow_ups = {follow_up.party.code: follow_up for follow_up in recommendation.follow_ups.all()}
    update_a = recommendation_services.update_submit(
        follow_up=follow_ups["FRA"], by=coordinator_a, text="A law.", reported_status=ReportedStatus.DONE
    )
    update_b = recommendation_services.update_submit(
        follow_up=follow_ups["RUS"], by=coordinator_b, text="A plan.", reported_status=ReportedStatus.PLANNED
    )
    assessment_a = recommendation_services.follow_up_assess(
        follow_up=follow_ups["FRA"], by=officer, status=AssessedStatus.IMPLEMENTED, reasoning="The law."
    )
    assessment_b = recommendation_services.follow_up_assess(
        follow_up=follow_ups["RUS"], by=officer, status=AssessedStatus.PARTLY, reasoning="A plan only."
    )
    practice = PracticeFactory(parties=[party_a], themes=[theme], title="A helpline")
    factsheet = Factsheet.objects.create(
        slug="co-operation", title_en="Co-operation", theme=theme, report=report
    )
    # How the cycle is run: every submission and follow-up as a case (France's assigned), a
    # notification for each persona, a letter in France's and in Russia's log.
    cases.sync_all()
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    case_a = Case.objects.filter(party=party_a).order_by("pk").first()
    cases.assign([case_a], handler=officer, by=make_user("ada", role=Role.SECRETARIAT_ADMIN))
    notifications = [
        Notification.objects.create(
            recipient=person,
            event="submission.registered",
            key=f"world:{person.pk}",
            subject="Registered",
            body="…",
        )
        for person in (coordinator_a, officer)
    ]
    letters = [
        Correspondence.objects.create(
            party=party,
            case=Case.objects.filter(party=party).first(),
            kind=Correspondence.Kind.LETTER_SENT,
            subject=f"Reminder to {party.code}",
        )
        for party in (party_a, party_b)
    ]
    meeting = Meeting.objects.create(
        number=47, starts_on=datetime.date(2027, 3, 8), ends_on=datetime.date(2027, 3, 10)
    )
    decisions = [
        meetings.decision_record(
            AgendaItem.objects.create(meeting=meeting, order=order, title_en=f"Item {order}", party=party),
            kind="take_note",
            text_en=f"Decision on {party.code}",
            published=True,
            by=officer,
        )
        for order, party in enumerate((party_a, party_b), start=1)
    ]
    return locals()  # every record above, by its name
