"""How the API shows records, and how it parses what clients send.

Read serializers expose bilingual texts side by side (`title_en`, `title_fr`), and Markdown
texts raw with their sanitised HTML beside them (`text_html`). Related records appear by their
natural keys (a Party's code, a round's number, a question's ref). Write serializers only check
the shape of the input; the services decide what may change.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.models import Language, MonitoringRound, Question, Reply, Section, Submission
from recommendations.models import (
    Assessment,
    Chapter,
    Factsheet,
    FactsheetSection,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Practice,
    Recommendation,
    ReportedStatus,
)
from secretariat.models import Party
from secretariat.text import render_markdown

# Far above any real reply (the 2nd round's longest is a few thousand characters), far below
# what would strain the database or the renderers.
MAX_TEXT_LENGTH = 100_000
MAX_ID = 2**63 - 1  # the largest key the databases hold: bigger numbers are refused as input
# What a State may report ("nothing reported" is only the follow-up's starting point).
REPORTABLE_STATUSES = [
    choice for choice in ReportedStatus.choices if choice[0] != ReportedStatus.NOT_REPORTED
]


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHtmlField(serializers.ReadOnlyField):
    """A Markdown text rendered to sanitised HTML (no script, no event handler, no javascript: link)."""

    def to_representation(self, value: str) -> str:
        return str(render_markdown(value))


def _code(source: str | None = None) -> serializers.SlugRelatedField:
    """A Party shown by its code."""
    return serializers.SlugRelatedField(source=source, slug_field="code", read_only=True)


def _number(source: str | None = None, *, allow_null: bool = False) -> serializers.SlugRelatedField:
    """A round shown by its number (null where the record may have no round)."""
    return serializers.SlugRelatedField(
        source=source, slug_field="number", read_only=True, allow_null=allow_null
    )


# --- the core and the monitoring ---------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "code",
            "name_en",
            "name_fr",
            "coe_member",
            "lanzarote_status",
            "lanzarote_date",
            "budapest_status",
            "budapest_date",
            "uncrc_status",
            "uncrc_date",
            "opsc_status",
            "opsc_date",
            "weprotect_member",
            "statuses_as_of",
        ]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    parties = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)

    class Meta:
        model = MonitoringRound
        fields = [
            "number",
            "theme_en",
            "theme_fr",
            "title_en",
            "title_fr",
            "launch_date",
            "reply_deadline",
            "status",
            "parties",
        ]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["order", "title_en", "title_fr"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    round = _number()
    section = SectionSerializer(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="ref", read_only=True, allow_null=True)

    class Meta:
        model = Question
        fields = ["id", "round", "section", "ref", "parent", "kind", "order", "text_en", "text_fr"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    round = _number()
    party = _code()
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, allow_null=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "party",
            "organisation",
            "organisation_name",
            "status",
            "deadline",
            "extended_deadline",
            "consent_to_publication",
            "reference",
            "submitted_at",
            "registered_at",
            "created_at",
        ]
        read_only_fields = fields


class ReplySerializer(serializers.ModelSerializer):
    round = _number("submission.round")
    party = _code("submission.party")
    submission_status = serializers.CharField(source="submission.status", read_only=True)
    questions = serializers.SlugRelatedField(many=True, slug_field="ref", read_only=True)
    text_html = MarkdownHtmlField(source="text")

    class Meta:
        model = Reply
        fields = [
            "id",
            "submission",
            "submission_status",
            "round",
            "party",
            "questions",
            "order",
            "language",
            "text",
            "text_html",
            "see_reply",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "minLength": 1, "maxLength": 20, "pattern": r"\S"},
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        ],
        "description": "A question's ref (“16.1.a”) or id.",
    }
)
class QuestionKeyField(serializers.Field):
    """A question given by its ref in the round ("16.1.a") or by its id (7): parsed to ("ref"|"id", value)."""

    default_error_messages = {"invalid": _("Give a question's ref (for example “16.1.a”) or its id.")}

    def to_internal_value(self, data) -> tuple[str, str | int]:
        if isinstance(data, int) and not isinstance(data, bool) and 0 < data <= MAX_ID:
            return ("id", data)
        if isinstance(data, str) and 0 < len(data.strip()) <= 20:
            return ("ref", data.strip())
        self.fail("invalid")

    def to_representation(self, value):
        return value


def _question_keys(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=QuestionKeyField(), min_length=1, max_length=500, **kwargs)


class ReplyCreateSerializer(serializers.Serializer):
    """A new reply in the user's submission: given by its id, or by the round's number."""

    submission = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    round = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    questions = _question_keys()
    text = serializers.CharField(
        max_length=MAX_TEXT_LENGTH, allow_blank=True, trim_whitespace=False, default=""
    )
    language = serializers.ChoiceField(choices=Language.choices)
    see_reply = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, default=None)

    def validate(self, data: dict) -> dict:
        if ("submission" in data) == ("round" in data):
            raise serializers.ValidationError(
                _("Give either the submission's id or the round's number (not both).")
            )
        return data


class ReplyUpdateSerializer(serializers.Serializer):
    """A change to a reply, based on the version the client read (optimistic locking)."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    questions = _question_keys(required=False)
    text = serializers.CharField(
        max_length=MAX_TEXT_LENGTH, allow_blank=True, trim_whitespace=False, required=False
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    see_reply = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, required=False)


class EditConflictSerializer(serializers.Serializer):
    """The answer to a save based on an outdated version: both texts, nothing overwritten."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    current_text = serializers.CharField()
    your_text = serializers.CharField()


class SubmitSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- recommendations and their follow-up ------------------------------------------------------------


class ChapterSerializer(serializers.ModelSerializer):
    articles = serializers.SlugRelatedField(many=True, slug_field="number", read_only=True)

    class Meta:
        model = Chapter
        fields = ["id", "number", "order", "title_en", "title_fr", "articles"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    round = _number()
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
        ]
        read_only_fields = fields

    def get_citations(self, obj: Recommendation) -> list[str]:
        return _citations(obj)


class FollowUpSerializer(serializers.ModelSerializer):
    report = serializers.IntegerField(source="recommendation.report_id", read_only=True)
    recommendation_number = serializers.CharField(source="recommendation.number", read_only=True)
    party = _code()
    # The status of the latest assessment the user may read (a stakeholder reads only published ones).
    assessed_status = serializers.CharField(source="visible_status", read_only=True)
    assessed_at = serializers.DateTimeField(source="visible_assessed_at", read_only=True, allow_null=True)

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
        ]
        read_only_fields = fields


class FollowUpUpdateSerializer(serializers.ModelSerializer):
    recommendation_number = serializers.CharField(source="follow_up.recommendation.number", read_only=True)
    party = _code("follow_up.party")
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    text_html = MarkdownHtmlField(source="text")
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
    party = _code("follow_up.party")
    reasoning_html = MarkdownHtmlField(source="reasoning")

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
    round = _number(allow_null=True)
    text_html = MarkdownHtmlField(source="text")

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
