"""Serializers of rounds, questionnaires, submissions, replies and children's views."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.models import (
    AGE_BANDS,
    GENDERS,
    ChildParticipation,
    ChildQuote,
    Language,
    MonitoringRound,
    Question,
    Reply,
    Section,
    Submission,
)
from secretariat.api.serializers import MAX_ID, MAX_TEXT_LENGTH, MarkdownHtmlField, party_code, round_number


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
    round = round_number()
    section = SectionSerializer(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="ref", read_only=True, allow_null=True)

    class Meta:
        model = Question
        fields = ["id", "round", "section", "ref", "parent", "kind", "order", "text_en", "text_fr"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    round = round_number()
    party = party_code()
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
    round = round_number("submission.round")
    party = party_code("submission.party")
    submission_status = serializers.CharField(source="submission.status", read_only=True)
    questions = serializers.SlugRelatedField(many=True, slug_field="ref", read_only=True)
    text_html = MarkdownHtmlField()

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
        if isinstance(data, str) and 0 < len(data.strip()) <= 20 and "\x00" not in data:  # none in PostgreSQL
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


# --- children's views: the Secretariat's and the rapporteurs' (never a State's: no view permission) --


class ChildQuoteSerializer(serializers.ModelSerializer):
    """A quote as it stands: redacted words are gone; the safeguarding flags are never shown."""

    questions = serializers.SlugRelatedField(many=True, slug_field="ref", read_only=True)

    class Meta:
        model = ChildQuote
        fields = ["id", "order", "text", "language", "age_band", "questions"]
        read_only_fields = fields


class ChildParticipationSerializer(serializers.ModelSerializer):
    round = round_number()
    party = party_code()
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    questions = serializers.SlugRelatedField(many=True, slug_field="ref", read_only=True)
    themes = SectionSerializer(source="sections", many=True, read_only=True)
    summary_html = MarkdownHtmlField()
    quotes = ChildQuoteSerializer(many=True, read_only=True)

    class Meta:
        model = ChildParticipation
        fields = [
            "id",
            "round",
            "party",
            "organisation",
            "organisation_name",
            "title",
            "method",
            "started_on",
            "ended_on",
            "children_count",
            *(field for field, _label in AGE_BANDS),
            *(field for field, _label in GENDERS),
            "consent_given_by",
            "consent_description",
            "how_informed",
            "feedback_to_children",
            "ethics_review",
            "questions",
            "themes",
            "summary",
            "summary_html",
            "quotes",
            "status",
            "submitted_at",
            "registered_at",
            "created_at",
        ]
        read_only_fields = fields
