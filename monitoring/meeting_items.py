"""What a round brings to the Committee's meetings (secretariat/meetings.py): the state of play of
each round collecting or analysing replies, and the Parties late with their replies."""

from django.utils.translation import gettext_lazy

from secretariat import access
from secretariat.meetings import Proposal, in_both_languages, register_proposer
from secretariat.models import Meeting, User

from .models import MonitoringRound
from .state_of_play import state_of_play

Status = MonitoringRound.Status
COLLECTING = (Status.QUESTIONNAIRE_SENT, Status.COLLECTING)
OPEN = (*COLLECTING, Status.ANALYSIS)

STATE_OF_PLAY = gettext_lazy("State of play of round %(number)s")
LATE_REPLIES = gettext_lazy("Parties late with their replies to round %(number)s (%(count)s)")


def state_of_play_items(meeting: Meeting, user: User) -> list[Proposal]:
    """One item a round collecting or analysing replies: where each Party stands."""
    return [
        Proposal("round_state_of_play", *in_both_languages(STATE_OF_PLAY, number=round.number), subject=round)
        for round in access.scoped(MonitoringRound, user).filter(status__in=OPEN).order_by("number")
    ]


def late_replies_items(meeting: Meeting, user: User) -> list[Proposal]:
    """One item a round still collecting replies where Parties are late on the meeting's first day,
    naming them in its notes."""
    proposals = []
    for round in access.scoped(MonitoringRound, user).filter(status__in=COLLECTING).order_by("number"):
        rows = state_of_play(round=round, user=user, today=meeting.starts_on)
        # Notes are the Secretariat's working text (no French column): names in its page's language.
        late = [row.party.name for row in rows if row.overdue]
        if late:
            titles = in_both_languages(LATE_REPLIES, number=round.number, count=len(late))
            proposals.append(Proposal("late_replies", *titles, subject=round, notes=", ".join(late)))
    return proposals


def register() -> None:
    register_proposer("round_state_of_play", state_of_play_items)
    register_proposer("late_replies", late_replies_items)
