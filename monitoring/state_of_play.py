"""Selectors on a round's progress: deadlines, lateness, and the state of play by Party.

The state of play answers, for every participating Party, "where is its reply, is it late,
which questions has it answered, how many stakeholders commented on it" — in a fixed number
of queries whatever the number of Parties, questions and replies.
"""

import datetime
from dataclasses import dataclass

import tablib
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat import access
from secretariat.models import Party
from secretariat.spreadsheets import safe_dataset

from .models import MonitoringRound, Question, Reply, Submission


def with_due_date(queryset: QuerySet) -> QuerySet:
    """Submissions annotated with `due_date`: the extended deadline if any, else the deadline."""
    if "due_date" in queryset.query.annotations:
        return queryset
    return queryset.annotate(due_date=Coalesce("extended_deadline", "deadline"))


def overdue(queryset: QuerySet, *, today: datetime.date, late: bool = True) -> QuerySet:
    """Submissions still awaited after their effective deadline (Submission.is_overdue), or the others."""
    queryset = with_due_date(queryset)
    is_late = Q(status__in=Submission.AWAITED, due_date__lt=today)
    if late:
        return queryset.filter(is_late)
    # Spelled out rather than ~is_late: a missing deadline must count as "not late", not as unknown.
    return queryset.filter(
        ~Q(status__in=Submission.AWAITED) | Q(due_date__isnull=True) | Q(due_date__gte=today)
    )


@dataclass(frozen=True)
class Row:
    """One Party's line of the state of play."""

    party: Party
    submission: Submission | None
    status_label: str
    deadline: datetime.date | None
    overdue: bool
    answered: tuple[tuple[str, bool], ...]  # (question number, answered?) in questionnaire order
    stakeholder_comments: int

    @property
    def answered_refs(self) -> list[str]:
        return [ref for ref, done in self.answered if done]


def _late_to_start(round: MonitoringRound, today: datetime.date) -> bool:
    # A Party that has not even opened its submission after the round's deadline is late too.
    return bool(round.reply_deadline) and today > round.reply_deadline


def numbered_questions(*, round: MonitoringRound, user) -> list[str]:
    """The refs of the round's numbered questions ('1' … '16'), in questionnaire order."""
    questions = access.scoped(Question, user).filter(round=round, kind=Question.Kind.QUESTION)
    return list(questions.order_by("order").values_list("ref", flat=True))


def _answered_top_refs(user, submission_ids: list[int]) -> dict[int, set[str]]:
    # A numbered question is answered when a reply answers it or any node below it,
    # so each answered ref is reduced to its top ref ('16.1.a' counts for '16').
    replies = access.scoped(Reply, user).filter(submission__in=submission_ids)
    replies = replies.filter(~Q(text="") | Q(see_reply__isnull=False))
    links = Reply.questions.through.objects.filter(reply__in=replies.values("pk"))
    answered: dict[int, set[str]] = {}
    for submission_id, ref in links.values_list("reply__submission_id", "question__ref"):
        answered.setdefault(submission_id, set()).add(ref.split(".")[0])
    return answered


def _stakeholder_comment_counts(user, round: MonitoringRound) -> dict[int, int]:
    # "Received" means sent at least once: drafts are the stakeholder's own business.
    comments = access.scoped(Submission, user).filter(round=round, organisation__isnull=False)
    comments = comments.exclude(status=Submission.Status.DRAFT).order_by()
    return dict(comments.values("party").annotate(n=Count("pk")).values_list("party", "n"))


def state_of_play(
    *, round: MonitoringRound, user, today: datetime.date | None = None, questions: list[str] | None = None
) -> list[Row]:
    """One row per participating Party (English name order), from what `user` may see.

    Queries: the numbered questions (unless given), the Parties, the State submissions, the
    answered refs, the stakeholder counts — five at most.
    """
    today = today or timezone.localdate()
    questions = numbered_questions(round=round, user=user) if questions is None else questions
    parties = access.parties_for(user).filter(monitoring_rounds=round).order_by("name_en")
    state_submissions = with_due_date(
        access.scoped(Submission, user).filter(round=round, organisation__isnull=True)
    ).order_by()
    by_party = {submission.party_id: submission for submission in state_submissions}
    answered = _answered_top_refs(user, [s.pk for s in by_party.values()])
    comments = _stakeholder_comment_counts(user, round)
    rows = []
    for party in parties:
        submission = by_party.get(party.pk)
        done = answered.get(submission.pk, set()) if submission else set()
        rows.append(
            Row(
                party=party,
                submission=submission,
                status_label=submission.get_status_display() if submission else _("not started"),
                deadline=submission.due_date if submission else round.reply_deadline,
                overdue=submission.is_overdue(today) if submission else _late_to_start(round, today),
                answered=tuple((ref, ref in done) for ref in questions),
                stakeholder_comments=comments.get(party.pk, 0),
            )
        )
    return rows


def as_dataset(*, round: MonitoringRound, rows: list[Row], questions: list[str]) -> tablib.Dataset:
    """The state of play as a table for CSV or XLSX: one line per Party, one column per question."""
    headers = [_("Party"), _("Code"), _("Status"), _("Deadline"), _("Overdue")]
    headers += [_("Q%(number)s") % {"number": ref} for ref in questions]
    headers.append(_("Stakeholder comments"))
    lines = [
        [
            row.party.name_en,
            row.party.code,
            str(row.status_label),
            row.deadline.isoformat() if row.deadline else "",
            _("yes") if row.overdue else _("no"),
            *("✓" if done else "" for _ref, done in row.answered),
            row.stakeholder_comments,
        ]
        for row in rows
    ]
    return safe_dataset(headers, lines, title=str(_("Round %(number)s") % {"number": round.number}))
