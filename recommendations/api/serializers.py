"""Serializers of implementation reports, recommendations, their follow-up, practices and factsheets."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from recommendations.models import (
    Assessment,
    Chapter,
    EscalationStep,
    Factsheet,
    FactsheetSection,
    Finding,
    FindingCitation,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Practice,
    Recommendation,
    ReportedStatus,
)
from recommendations.report_document import citation_kind, citation_note
from secretariat.api.serializers import MAX_ID, MAX_TEXT_LENGTH, MarkdownHtmlField, party_code, round_number

# What a State may report ("nothing reported" is only the follow-up's starting point).
REPORTABLE_STATUSES = [
    choice for choice in ReportedStatus.choices if choice[0] != ReportedStatus.NOT_REPORTED
]


class ChapterSerializer(serializers.ModelSerializer):
    articles = serializers.SlugRelatedField(many=True, slug_field="number", read_only=True)

    class Meta:
        model = Chapter
        fields = ["id", "number", "order", "title_en", "title_fr", "articles"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    round = round_number()
    chapters = ChapterSerializer(many=True, read_only=True)

    class Meta:
        model = ImplementationReport
        fields = [
            "id",
            "reference",
            "round",
            "title_en",
            "title_fr",
            "adoption_date",
            "deadline_require_request",
            "deadline_invite",
            "chapters",
        ]
        read_only_fields = fields


def _citations(obj) -> list[str]:
    return [f"{citation.article.number}{citation.paragraph}" for citation in obj.citations.all()]


class RecommendationSerializer(serializers.ModelSerializer):
    report = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    chapter = serializers.SlugRelatedField(slug_field="number", read_only=True)
    addressees = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
    themes = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    citations = serializers.SerializerMethodField(help_text=_("Articles cited, e.g. “38(1)(a)”."))
    rests_on = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("The earlier round's recommendation this one takes up, if any."),
    )
    rests_on_number = serializers.CharField(source="rests_on.number", read_only=True, allow_null=True)
    rests_on_report = serializers.CharField(
        source="rests_on.report.reference", read_only=True, allow_null=True
    )

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "report",
            "chapter",
            "number",
            "order",
            "urgency",
            "addressed_to_all",
            "addressees",
            "text_en",
            "text_fr",
            "themes",
            "citations",
            "rests_on",
            "rests_on_number",
            "rests_on_report",
        ]
        read_only_fields = fields

    def get_citations(self, obj: Recommendation) -> list[str]:
        return _citations(obj)


class FollowUpSerializer(serializers.ModelSerializer):
    report = serializers.IntegerField(source="recommendation.report_id", read_only=True)
    recommendation_number = serializers.CharField(source="recommendation.number", read_only=True)
    party = party_code()
    # The status of the latest assessment the user may read (a stakeholder reads only published ones).
    assessed_status = serializers.CharField(source="visible_status", read_only=True)
    assessed_at = serializers.DateTimeField(source="visible_assessed_at", read_only=True, allow_null=True)
    # Closed by a decision of the Committee: the meeting that took it (null: open, or closed outside one).
    closed_by_meeting = serializers.IntegerField(
        source="closing_decision.item.meeting.number", read_only=True, allow_null=True
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "report",
            "recommendation",
            "recommendation_number",
            "party",
            "active",
            "deadline",
            "assessed_status",
            "assessed_at",
            "reported_status",
            "closed_on",
            "closed_by_meeting",
        ]
        read_only_fields = fields


class FollowUpUpdateSerializer(serializers.ModelSerializer):
    recommendation_number = serializers.CharField(source="follow_up.recommendation.number", read_only=True)
    party = party_code("follow_up.party")
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    text_html = MarkdownHtmlField()
    links = serializers.ListField(source="link_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = FollowUpUpdate
        fields = [
            "id",
            "follow_up",
            "recommendation_number",
            "party",
            "author",
            "organisation",
            "text",
            "text_html",
            "measures_date",
            "links",
            "reported_status",
            "status",
            "review_comment",
            "submitted_at",
        ]
        read_only_fields = fields


class FollowUpUpdateCreateSerializer(serializers.Serializer):
    follow_up = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    text = serializers.CharField(max_length=MAX_TEXT_LENGTH)
    reported_status = serializers.ChoiceField(choices=REPORTABLE_STATUSES)
    measures_date = serializers.DateField(required=False, allow_null=True, default=None)
    links = serializers.ListField(
        child=serializers.URLField(max_length=1000), max_length=50, required=False, default=list
    )


class AssessmentSerializer(serializers.ModelSerializer):
    recommendation_number = serializers.CharField(source="follow_up.recommendation.number", read_only=True)
    party = party_code("follow_up.party")
    reasoning_html = MarkdownHtmlField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "follow_up",
            "recommendation_number",
            "party",
            "status",
            "previous_status",
            "reasoning",
            "reasoning_html",
            "assessed_at",
            "published",
            "updates",
            "replies",
            "documents",
        ]
        read_only_fields = fields


class PracticeSerializer(serializers.ModelSerializer):
    parties = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
    other_states = serializers.SerializerMethodField(help_text=_("Codes of States that are not Parties."))
    themes = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    citations = serializers.SerializerMethodField(help_text=_("Articles cited, e.g. “38(1)(a)”."))
    round = round_number(allow_null=True)
    text_html = MarkdownHtmlField()

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "text",
            "text_html",
            "parties",
            "other_states",
            "themes",
            "citations",
            "source",
            "round",
        ]
        read_only_fields = fields

    def get_other_states(self, obj: Practice) -> list[str]:
        return [code.strip() for code in obj.other_states.split(";") if code.strip()]

    def get_citations(self, obj: Practice) -> list[str]:
        return _citations(obj)


class FactsheetSectionSerializer(serializers.ModelSerializer):
    recommendations = serializers.SlugRelatedField(many=True, slug_field="number", read_only=True)

    class Meta:
        model = FactsheetSection
        fields = ["order", "heading_en", "heading_fr", "text_en", "text_fr", "recommendations"]
        read_only_fields = fields


class FactsheetSerializer(serializers.ModelSerializer):
    # A factsheet is on a theme, a chapter or an article of a report (or stands alone): any may be null.
    report = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    chapter = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    article = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    sections = FactsheetSectionSerializer(many=True, read_only=True)

    class Meta:
        model = Factsheet
        fields = [
            "slug",
            "title_en",
            "title_fr",
            "report",
            "chapter",
            "theme",
            "article",
            "article_text",
            "introduction_en",
            "introduction_fr",
            "practices",
            "sections",
        ]
        read_only_fields = fields


class FindingCitationSerializer(serializers.ModelSerializer):
    """A piece of evidence a finding cites. Children's words show who heard the children, where,
    how and when, and the words: never the contribution's counts nor its consent details."""

    party = party_code(allow_null=True)
    recommendation = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    kind = serializers.SerializerMethodField(
        help_text=_("What is cited: reply, document, recommendation or child_quote (children's words).")
    )
    label = serializers.SerializerMethodField(
        help_text=_("The note the report prints for it, in the language asked for (Accept-Language).")
    )

    class Meta:
        model = FindingCitation
        fields = ["order", "kind", "label", "party", "reply", "document", "recommendation", "child_quote"]
        read_only_fields = fields

    def get_kind(self, citation: FindingCitation) -> str:
        return citation_kind(citation)

    def get_label(self, citation: FindingCitation) -> str:
        return citation_note(citation)


class FindingSerializer(serializers.ModelSerializer):
    report = serializers.CharField(source="chapter.report.reference", read_only=True)
    chapter = serializers.CharField(source="chapter.number", read_only=True)
    citations = FindingCitationSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "report",
            "chapter",
            "order",
            "text_en",
            "text_fr",
            "translation_en",
            "translation_fr",
            "citations",
        ]
        read_only_fields = fields


class EscalationStepSerializer(serializers.ModelSerializer):
    report = serializers.CharField(source="report.reference", read_only=True)
    party = party_code()
    meeting = serializers.IntegerField(source="decision.item.meeting.number", read_only=True, allow_null=True)

    class Meta:
        model = EscalationStep
        fields = ["id", "report", "party", "step", "opened_on", "meeting", "decision", "outcome", "closed_on"]
        read_only_fields = fields
