"""The monitoring's sections of a Party's case file (secretariat.case_file): its submissions in
every round with their history and reply counts, and what it said last time (the round of its
latest registered submission). Registered from MonitoringConfig.ready()."""

from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import access
from secretariat.case_file import Link, Part, Table, Text, admin_url, day, person, register_section
from secretariat.models import Party, User, localized

from .models import Reply, Submission, Transition


def _submissions(party: Party, user: User) -> list[Submission]:
    replies = (
        access.scoped(Reply, user)
        .filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        access.scoped(Submission, user)
        .filter(party=party)
        .select_related("round", "organisation")
        .annotate(reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), Value(0)))
        .order_by("-round__number", "organisation__name")
    )


def _reply_count(submission: Submission) -> int:
    return getattr(submission, "reply_count", 0)  # annotated by _submissions


def _respondent(submission: Submission) -> str:
    return submission.organisation.name if submission.organisation is not None else _("the State")


def _replies_link(submission: Submission) -> Link:
    query = urlencode(
        {
            "submission__round__id__exact": submission.round_id,
            "submission__party__id__exact": submission.party_id,
        }
    )
    return Link(str(_reply_count(submission)), admin_url("admin:monitoring_reply_changelist", query=query))


def submissions(party: Party, user: User) -> list[Part]:
    rows = _submissions(party, user)
    history = (
        access.scoped(Transition, user)
        .filter(submission__party=party)
        .select_related("submission__round", "submission__organisation", "by")
        .order_by("-at", "-pk")
    )
    return [
        Table(
            [
                _("round"),
                _("respondent"),
                _("status"),
                _("deadline"),
                _("sent"),
                _("registered"),
                _("replies"),
            ],
            [
                [
                    Link(
                        localized(submission.round, "title"),
                        admin_url("admin:monitoring_submission_change", submission.pk),
                    ),
                    _respondent(submission),
                    submission.get_status_display(),
                    day(submission.effective_deadline),
                    day(submission.submitted_at),
                    day(submission.registered_at),
                    _replies_link(submission),
                ]
                for submission in rows
            ],
            caption=_("Replies by round"),
            empty=_("No submission."),
        ),
        Table(
            [_("date"), _("round"), _("respondent"), _("from"), _("to"), _("by"), _("message")],
            [
                [
                    day(move.at),
                    str(move.submission.round.number),
                    _respondent(move.submission),
                    move.get_from_status_display(),
                    move.get_to_status_display(),
                    person(move.by),
                    move.comment,
                ]
                for move in history
            ],
            caption=_("History of the submissions"),
            empty=_("Nothing has happened yet."),
        ),
    ]


def last_time(party: Party, user: User) -> list[Part]:
    """What the Party said last time: its latest registered replies and their round."""
    registered = [
        submission
        for submission in _submissions(party, user)
        if submission.status == Submission.Status.REGISTERED and submission.is_state_reply
    ]
    if not registered:
        return [Text(_("The Party has no registered replies yet."))]
    latest = max(registered, key=lambda submission: submission.round.number)
    round = latest.round
    return [
        Text(
            _("Round %(number)s: %(title)s") % {"number": round.number, "title": localized(round, "title")},
            admin_url("admin:monitoring_monitoringround_change", round.pk),
            strong=True,
        ),
        Text(_("Theme: %(theme)s") % {"theme": localized(round, "theme")}),
        Text(
            _("Replies registered on %(date)s (%(count)s replies); reference %(reference)s.")
            % {
                "date": day(latest.registered_at),
                "count": _reply_count(latest),
                "reference": latest.reference or "—",
            },
            _replies_link(latest).url,
        ),
    ]


def register() -> None:
    register_section(
        "monitoring_last_time",
        gettext_lazy("What the Party said last time (latest registered replies)"),
        20,
        last_time,
    )
    register_section("monitoring_submissions", gettext_lazy("Submissions and their history"), 30, submissions)
