"""The follow-up's sections of a Party's case file (secretariat.case_file): what the Party was asked
to do in the latest report (the recommendations addressed to it, with their status), and its
follow-ups of every report (counts by assessed status, the latest assessments and updates).
Registered from RecommendationsConfig.ready()."""

from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import access, rendering
from secretariat.case_file import (
    Link,
    Part,
    Table,
    Text,
    admin_change_url,
    admin_url,
    day,
    person,
    register_section,
)
from secretariat.models import Party, User, choice_labels, localized

from .models import (
    AssessedStatus,
    Assessment,
    EscalationStep,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Recommendation,
)

SHOWN = 20
_EXCERPTS = ("text_excerpt_en", "text_excerpt_fr")


def asked_last_time(party: Party, user: User) -> list[Part]:
    """The recommendations of the latest report addressed to the Party, with their status."""
    report = (
        access.scoped(ImplementationReport, user)
        .filter(pk__in=access.scoped(FollowUp, user).filter(party=party).values("recommendation__report"))
        .order_by("-round__number", "-adoption_date", "-pk")
        .first()
    )
    if report is None:
        return [Text(_("No recommendation has been addressed to the Party yet."))]
    follow_ups = (
        access.scoped(FollowUp, user)
        .filter(party=party, recommendation__report=report)
        .select_related("recommendation")
        # The table shows each recommendation's stored excerpt, not its texts.
        .defer(
            *rendering.text_columns(
                Recommendation, keep=("text_excerpt_en", "text_excerpt_fr"), path="recommendation"
            )
        )
        .order_by("recommendation__order", "recommendation__pk")
    )
    urgencies = choice_labels(Recommendation, "urgency")
    assessed, reported = (
        choice_labels(FollowUp, "assessed_status"),
        choice_labels(FollowUp, "reported_status"),
    )
    follow_up_url = admin_change_url("admin:recommendations_followup_changelist")
    return [
        Text(
            _("%(title)s (%(reference)s)")
            % {"title": localized(report, "title"), "reference": report.reference},
            admin_url("admin:recommendations_implementationreport_change", report.pk),
            strong=True,
        ),
        Table(
            [
                _("recommendation"),
                _("urgency"),
                _("text"),
                _("assessed"),
                _("reported by the State"),
                _("deadline"),
            ],
            [
                [
                    Link(follow_up.recommendation.number, follow_up_url(follow_up.pk)),
                    urgencies.get(follow_up.recommendation.urgency, follow_up.recommendation.urgency),
                    Truncator(follow_up.recommendation.text_excerpt).chars(240),
                    assessed.get(follow_up.assessed_status, follow_up.assessed_status),
                    reported.get(follow_up.reported_status, follow_up.reported_status),
                    day(follow_up.deadline),
                ]
                for follow_up in follow_ups
            ],
        ),
    ]


def follow_ups(party: Party, user: User) -> list[Part]:
    counts = (
        access.scoped(FollowUp, user)
        .filter(party=party)
        .order_by()
        .values("recommendation__report", "recommendation__report__reference", "assessed_status")
        .annotate(count=Count("pk"))
    )
    by_report: dict[str, dict[str, int]] = {}
    for row in counts:
        by_report.setdefault(row["recommendation__report__reference"], {})[row["assessed_status"]] = row[
            "count"
        ]
    statuses = list(AssessedStatus)
    assessments = (
        access.scoped(Assessment, user)
        .filter(follow_up__party=party)
        .select_related("follow_up__recommendation__report", "assessed_by")
        .order_by("-assessed_at", "-pk")[:SHOWN]
    )
    updates = (
        access.scoped(FollowUpUpdate, user)
        .filter(follow_up__party=party)
        .select_related("follow_up__recommendation__report", "author", "organisation")
        .order_by("-submitted_at", "-pk")[:SHOWN]
    )
    return [
        Table(
            [_("report"), *(status.label for status in statuses), _("total")],
            [
                [reference, *(str(counts.get(status, 0)) for status in statuses), str(sum(counts.values()))]
                for reference, counts in sorted(by_report.items())
            ],
            caption=_("Follow-ups by assessed status"),
            empty=_("No follow-up."),
        ),
        Table(
            [_("date"), _("recommendation"), _("from"), _("to"), _("published"), _("by")],
            [
                [
                    day(assessment.assessed_at),
                    Link(
                        assessment.follow_up.recommendation.number,
                        admin_url("admin:recommendations_assessment_change", assessment.pk),
                    ),
                    assessment.get_previous_status_display(),
                    assessment.get_status_display(),
                    _("yes") if assessment.published else _("no"),
                    person(assessment.assessed_by),
                ]
                for assessment in assessments
            ],
            caption=_("Latest assessments"),
            empty=_("No assessment."),
        ),
        Table(
            [_("date"), _("recommendation"), _("from"), _("reported"), _("review")],
            [
                [
                    day(update.submitted_at),
                    Link(
                        update.follow_up.recommendation.number,
                        admin_url("admin:recommendations_followupupdate_change", update.pk),
                    ),
                    update.organisation.name if update.organisation_id else _("the State"),
                    update.get_reported_status_display(),
                    update.get_status_display(),
                ]
                for update in updates
            ],
            caption=_("Latest updates"),
            empty=_("No update."),
        ),
    ]


def escalation_steps(party: Party, user: User) -> list[Part]:
    """The Committee's escalation steps towards the Party, report by report (one query)."""
    steps = (
        access.scoped(EscalationStep, user)
        .filter(party=party)
        .select_related("report__round", "decision__item__meeting")
        .order_by("report_id", "step")
    )
    return [
        Table(
            [_("report"), _("step"), _("opened on"), _("decision"), _("outcome"), _("closed on")],
            [
                [
                    step.report.short_title,
                    Link(
                        step.get_step_display(),
                        admin_url("admin:recommendations_escalationstep_change", step.pk),
                    ),
                    day(step.opened_on),
                    str(step.decision.item.meeting) if step.decision_id else "–",
                    Truncator(step.outcome).chars(120) or "–",
                    day(step.closed_on) if step.closed_on else "–",
                ]
                for step in steps
            ],
            empty=_("No escalation step."),
        )
    ]


def register() -> None:
    register_section(
        "recommendations_asked",
        gettext_lazy("What the Party was asked to do (latest report)"),
        25,
        asked_last_time,
    )
    register_section(
        "recommendations_follow_ups", gettext_lazy("Follow-ups, assessments and updates"), 40, follow_ups
    )
    register_section("recommendations_escalation", gettext_lazy("Escalation steps"), 45, escalation_steps)
