"""Query-string filters of the API's lists (django-filter), by natural keys: ?party=FRA&round=2.

They narrow a queryset that already comes from secretariat.access, so a filter naming another
Party's records only ever gives an empty list.
"""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from monitoring.models import Language, MonitoringRound, Question, Reply, Submission
from recommendations.models import (
    AssessedStatus,
    Assessment,
    Factsheet,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Practice,
    Recommendation,
    ReportedStatus,
    Urgency,
)
from recommendations.practices import search_practices
from secretariat.models import Party, TreatyStatus

_ROUND_HELP = _("The round's number.")
_PARTY_HELP = _("The Party's code, e.g. FRA.")
_REPORT_HELP = _("The report's id.")


class IdFilter(filters.NumberFilter):
    """A whole number, compared as is: never a lookup of the record itself.

    django-filter's default for a foreign key (ModelChoiceFilter) would check the id against every
    row of the table, answering differently for another Party's record and a missing one.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
        _document(self, type="integer", minimum=kwargs["min_value"], maximum=kwargs["max_value"])


def _document(filter_: filters.Filter, **schema) -> None:
    """Show the bounds the filter's form field checks in the OpenAPI schema (drf-spectacular sees a type)."""
    help_text = filter_.extra.get("help_text")
    set_override(filter_, "field", schema | ({"description": help_text} if help_text else {}))


def _party(field_name: str) -> filters.CharFilter:
    return filters.CharFilter(field_name=field_name, lookup_expr="iexact", help_text=_PARTY_HELP)


def _round(field_name: str) -> IdFilter:
    return IdFilter(field_name=field_name, max_value=32767, help_text=_ROUND_HELP)


class PartyFilter(filters.FilterSet):
    lanzarote_status = filters.ChoiceFilter(choices=TreatyStatus.choices)

    class Meta:
        model = Party
        fields = ["lanzarote_status", "coe_member"]


class RoundFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=MonitoringRound.Status.choices)

    class Meta:
        model = MonitoringRound
        fields = ["status"]


class QuestionFilter(filters.FilterSet):
    round = _round("round__number")
    section = IdFilter(
        field_name="section__order", min_value=0, max_value=32767, help_text=_("The section's order.")
    )
    kind = filters.ChoiceFilter(choices=Question.Kind.choices)

    class Meta:
        model = Question
        fields = ["round", "section", "ref", "kind"]


class SubmissionFilter(filters.FilterSet):
    round = _round("round__number")
    party = _party("party__code")
    status = filters.ChoiceFilter(choices=Submission.Status.choices)
    organisation = IdFilter(help_text=_("The stakeholder organisation's id."))
    stakeholder = filters.BooleanFilter(
        field_name="organisation",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("A stakeholder's comments."),
    )

    class Meta:
        model = Submission
        fields = ["round", "party", "status", "organisation", "stakeholder"]


class ReplyFilter(filters.FilterSet):
    submission = IdFilter()
    round = _round("submission__round__number")
    party = _party("submission__party__code")
    status = filters.ChoiceFilter(field_name="submission__status", choices=Submission.Status.choices)
    language = filters.ChoiceFilter(choices=Language.choices)
    question = filters.CharFilter(
        method="filter_question",
        help_text=_("A question's ref: replies to it or to any node below it (16 gives 16.1.a too)."),
    )

    class Meta:
        model = Reply
        fields = ["submission", "round", "party", "status", "language", "question"]

    def filter_question(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        answering = Reply.questions.through.objects.filter(
            Q(question__ref=value) | Q(question__ref__startswith=f"{value}.")
        )
        return queryset.filter(pk__in=answering.values("reply"))


class ReportFilter(filters.FilterSet):
    round = _round("round__number")

    class Meta:
        model = ImplementationReport
        fields = ["round", "reference"]


class RecommendationFilter(filters.FilterSet):
    report = IdFilter(help_text=_REPORT_HELP)
    chapter = filters.CharFilter(field_name="chapter__number", help_text=_("The chapter's number, e.g. V."))
    urgency = filters.ChoiceFilter(choices=Urgency.choices)
    theme = filters.CharFilter(field_name="themes__slug", help_text=_("The theme's slug."))

    class Meta:
        model = Recommendation
        fields = ["report", "chapter", "number", "urgency", "theme"]


class FollowUpFilter(filters.FilterSet):
    report = IdFilter(field_name="recommendation__report", help_text=_REPORT_HELP)
    recommendation = filters.CharFilter(
        field_name="recommendation__number", lookup_expr="iexact", help_text=_("The number, e.g. V-17.")
    )
    party = _party("party__code")
    urgency = filters.ChoiceFilter(field_name="recommendation__urgency", choices=Urgency.choices)
    assessed_status = filters.ChoiceFilter(field_name="visible_status", choices=AssessedStatus.choices)
    reported_status = filters.ChoiceFilter(choices=ReportedStatus.choices)

    class Meta:
        model = FollowUp
        fields = [
            "report",
            "recommendation",
            "party",
            "urgency",
            "assessed_status",
            "reported_status",
            "active",
        ]


class FollowUpUpdateFilter(filters.FilterSet):
    follow_up = IdFilter()
    report = IdFilter(field_name="follow_up__recommendation__report", help_text=_REPORT_HELP)
    recommendation = filters.CharFilter(
        field_name="follow_up__recommendation__number",
        lookup_expr="iexact",
        help_text=_("The number, e.g. V-17."),
    )
    party = _party("follow_up__party__code")
    status = filters.ChoiceFilter(choices=FollowUpUpdate.Status.choices)
    reported_status = filters.ChoiceFilter(choices=ReportedStatus.choices)

    class Meta:
        model = FollowUpUpdate
        fields = ["follow_up", "report", "recommendation", "party", "status", "reported_status"]


class AssessmentFilter(filters.FilterSet):
    follow_up = IdFilter()
    report = IdFilter(field_name="follow_up__recommendation__report", help_text=_REPORT_HELP)
    recommendation = filters.CharFilter(
        field_name="follow_up__recommendation__number",
        lookup_expr="iexact",
        help_text=_("The number, e.g. V-17."),
    )
    party = _party("follow_up__party__code")
    status = filters.ChoiceFilter(choices=AssessedStatus.choices)

    class Meta:
        model = Assessment
        fields = ["follow_up", "report", "recommendation", "party", "status", "published"]


class PracticeFilter(filters.FilterSet):
    """The practice search's own rules (a Party's code also matches States outside the Council of Europe)."""

    # A few words: each one is a condition of the query, and SQLite refuses a thousand of them.
    q = filters.CharFilter(
        method="search", max_length=200, help_text=_("Words, each found in the title or the text.")
    )
    _document(q, type="string", maxLength=200)
    party = filters.CharFilter(method="search", help_text=_PARTY_HELP)
    theme = filters.CharFilter(method="search", help_text=_("The theme's slug."))
    article = IdFilter(
        method="search", max_value=1000, help_text=_("The number of a cited Convention article.")
    )
    round = _round("round__number")

    class Meta:
        model = Practice
        fields = ["q", "party", "theme", "article", "round"]

    def search(self, queryset: QuerySet, name: str, value) -> QuerySet:
        criteria = {"query" if name == "q" else name: value}
        found = search_practices(user=self.request.user, **criteria)
        return queryset.filter(pk__in=found.values("pk"))


class FactsheetFilter(filters.FilterSet):
    report = IdFilter(help_text=_REPORT_HELP)
    theme = filters.CharFilter(field_name="theme__slug", help_text=_("The theme's slug."))

    class Meta:
        model = Factsheet
        fields = ["report", "theme"]
