"""The demo officers' queue: cases waiting on the Secretariat and on Parties, some assigned, some not.

Made through the services, as the portal and the admin would: La Strada – Ukraine sends its
comments on round 2 (to register, unassigned), France reports on a recommendation (to assess,
assigned to the demo officer), the Secretariat asks the Russian Federation for more information
by a date already past (overdue, assigned), and two Parties still have to open their replies of
round 2 (late against the deadline, unassigned). Loaded once: a second run changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from monitoring import services as monitoring_services
from monitoring.models import MonitoringRound, Question, Submission
from secretariat import cases
from secretariat.models import Case, Organisation, Party, User

from . import services
from .demo import REPORT_2
from .models import FollowUp, FollowUpUpdate

OFFICER = "secretariat-officer"
LATE_PARTIES = ("DEU", "ITA")


def _stakeholder_comments(round_: MonitoringRound, by: User) -> list[Case]:
    author = User.objects.get(username="lastrada-contributor")
    organisation = Organisation.objects.get(name="La Strada – Ukraine")
    submission = monitoring_services.submission_create(
        round=round_, party=organisation.party, organisation=organisation, by=by
    )
    question = Question.objects.filter(round=round_, kind=Question.Kind.QUESTION).order_by("order").first()
    monitoring_services.reply_save(
        submission=submission,
        by=author,
        data=monitoring_services.ReplyInput(
            text="Helplines report a steady rise of cases of self-generated images shared without consent.",
            language="en",
            question_ids=[question.pk],
        ),
    )
    monitoring_services.submission_submit(submission=submission, by=author)
    return []  # left unassigned


def _late_drafts(round_: MonitoringRound, by: User) -> list[Case]:
    for party in Party.objects.filter(code__in=LATE_PARTIES):
        if not Submission.objects.filter(round=round_, party=party, organisation__isnull=True).exists():
            monitoring_services.submission_create(round=round_, party=party, by=by)
    return []  # left unassigned


def _follow_up_of(code: str, number_index: int) -> FollowUp:
    follow_ups = FollowUp.objects.filter(
        recommendation__report__reference=REPORT_2["reference"], party__code=code, active=True
    ).order_by("recommendation__order")
    return follow_ups[number_index]


def _update_to_assess() -> None:
    coordinator = User.objects.get(username="fra-coordinator")
    services.update_submit(
        follow_up=_follow_up_of("FRA", 0),
        by=coordinator,
        text="A national plan against online sexual exploitation was adopted; the police received training.",
        reported_status="in_progress",
        measures_date=datetime.date(2025, 5, 1),
    )


def _information_requested(by: User) -> None:
    coordinator = User.objects.get(username="rus-coordinator")
    update = services.update_submit(
        follow_up=_follow_up_of("RUS", 1),
        by=coordinator,
        text="Measures are planned.",
        reported_status="planned",
    )
    services.update_request_information(
        update=update,
        by=by,
        message="Which measures, adopted when? Please send the texts.",
        due=timezone.localdate() - datetime.timedelta(days=10),
    )


@transaction.atomic
def load_work_queue(*, by: User) -> list[str]:
    round_ = MonitoringRound.objects.get(number=2)
    reference = REPORT_2["reference"]
    updates = FollowUpUpdate.objects.filter(follow_up__recommendation__report__reference=reference)
    if updates.exists():
        return []  # loaded before: the queue is the officers' now
    _stakeholder_comments(round_, by)
    _late_drafts(round_, by)
    _update_to_assess()
    _information_requested(by)
    cases.sync_all(by=by)
    officer = User.objects.get(username=OFFICER)
    mine = Case.objects.filter(kind="follow_up", party__code__in=("FRA", "RUS", "BEL", "AUT"))
    cases.assign(mine, handler=officer, by=by)
    return [f"Work queue: {Case.objects.filter(handler=officer).count()} cases assigned to {OFFICER}"]
