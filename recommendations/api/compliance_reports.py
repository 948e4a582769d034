"""The API's `compliance-reports/` (read-only): the Committee's compliance reports, each with its
conclusions and each Party's status as adopted. Everyone signed in reads the adopted ones (the row
rule of ComplianceReport), the Secretariat and the Committee those in preparation too; the statuses
name only the Parties the reader sees (a State its own)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from recommendations.models import AssessedStatus, ComplianceReport
from secretariat import access
from secretariat.api.filters import IdFilter
from secretariat.api.views.base import ReadOnlyViewSet


class PartyStatusesField(serializers.DictField):
    """{Party code: assessed status as adopted}, among the Parties the reader sees."""

    child = serializers.ChoiceField(choices=AssessedStatus.choices)

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: ComplianceReport) -> dict:
        return instance.statuses

    def to_representation(self, value: dict) -> dict:
        codes = self.context["party_codes"]
        return {codes[int(pk)]: status for pk, status in value.items() if int(pk) in codes}


class ComplianceReportSerializer(serializers.ModelSerializer):
    recommendation = serializers.IntegerField(source="recommendation_id", read_only=True)
    number = serializers.CharField(source="recommendation.number", read_only=True)
    report = serializers.CharField(source="recommendation.report.reference", read_only=True)
    adopted = serializers.BooleanField(source="is_adopted", read_only=True)
    meeting = serializers.IntegerField(source="decision.item.meeting.number", read_only=True, allow_null=True)
    statuses = PartyStatusesField(help_text=_("Each Party's assessed status as adopted, by Party code."))

    class Meta:
        model = ComplianceReport
        fields = [
            "id",
            "recommendation",
            "number",
            "report",
            "text_en",
            "text_fr",
            "adopted",
            "adopted_on",
            "meeting",
            "statuses",
        ]
        read_only_fields = fields


class ComplianceReportFilter(filters.FilterSet):
    report = IdFilter(field_name="recommendation__report", help_text=_("The report's id."))
    recommendation = IdFilter(help_text=_("The recommendation's id."))

    class Meta:
        model = ComplianceReport
        fields = ["report", "recommendation"]


class ComplianceReportViewSet(ReadOnlyViewSet):
    """The Committee's compliance reports, one per recommendation and adoption."""

    model = ComplianceReport
    related = ("recommendation__report", "decision__item__meeting")
    serializer_class = ComplianceReportSerializer
    filterset_class = ComplianceReportFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-created_at", "-id"]

    def get_serializer_context(self) -> dict:
        # The Parties' codes once for the page (a Party is its code in the API), in the reader's scope.
        context = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        context["party_codes"] = dict(access.parties_for(user).values_list("pk", "code")) if user else {}
        return context
