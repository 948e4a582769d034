"""Query-string filters of the lists of reports, recommendations, follow-ups, practices and factsheets.

They narrow a queryset that already comes from secretariat.access (see secretariat.api.filters).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from recommendations.models import (
    AssessedStatus,
    Assessment,
    EscalationStep,
    Factsheet,
    Finding,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Practice,
    Recommendation,
    ReportedStatus,
    Urgency,
)
from recommendations.practices import search_practices
from secretariat.api.filters import PARTY_HELP, IdFilter, document_schema, party_filter, round_filter

_REPORT_HELP = _("The report's id.")


class ReportFilter(filters.FilterSet):
    round = round_filter("round__number")

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


class FindingFilter(filters.FilterSet):
    report = IdFilter(field_name="chapter__report", help_text=_REPORT_HELP)
    chapter = filters.CharFilter(field_name="chapter__number", help_text=_("The chapter's number, e.g. V."))

    class Meta:
        model = Finding
        fields = ["report", "chapter"]


class EscalationStepFilter(filters.FilterSet):
    report = IdFilter(help_text=_REPORT_HELP)
    party = filters.CharFilter(
        field_name="party__code", lookup_expr="iexact", help_text=_("The Party's code.")
    )
    step_at_least = filters.NumberFilter(field_name="step", lookup_expr="gte", help_text=_("Step 1 to 5."))
    open = filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", help_text=_("Still open."))

    class Meta:
        model = EscalationStep
        fields = ["report", "party", "step_at_least", "open"]


class FollowUpFilter(filters.FilterSet):
    report = IdFilter(field_name="recommendation__report", help_text=_REPORT_HELP)
    recommendation = filters.CharFilter(
        field_name="recommendation__number", lookup_expr="iexact", help_text=_("The number, e.g. V-17.")
    )
    party = party_filter("party__code")
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
    party = party_filter("follow_up__party__code")
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
    party = party_filter("follow_up__party__code")
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
    document_schema(q, type="string", maxLength=200)
    party = filters.CharFilter(method="search", help_text=PARTY_HELP)
    theme = filters.CharFilter(method="search", help_text=_("The theme's slug."))
    article = IdFilter(
        method="search", max_value=1000, help_text=_("The number of a cited Convention article.")
    )
    round = round_filter("round__number")

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
