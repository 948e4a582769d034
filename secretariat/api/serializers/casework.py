"""How the API shows cases, notifications and correspondence (the core's running of the cycle)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from secretariat import cases
from secretariat.models import AgendaItem, Case, Correspondence, Decision, Meeting, Notification

from .base import MAX_ID, party_code


class CaseSerializer(serializers.ModelSerializer):
    party = party_code()
    kind_label = serializers.SerializerMethodField()
    state_label = serializers.SerializerMethodField()
    handler_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "kind",
            "kind_label",
            "party",
            "organisation",
            "title_en",
            "title_fr",
            "state",
            "state_label",
            "waiting_on",
            "waiting_since",
            "due_date",
            "overdue",
            "handler",
            "handler_name",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, case: Case) -> str:
        return cases.kind_label(case)

    def get_state_label(self, case: Case) -> str:
        return cases.state_label(case)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_handler_name(self, case: Case) -> str | None:
        if case.handler is None:
            return None
        return case.handler.get_full_name() or case.handler.username

    def get_overdue(self, case: Case) -> bool:
        return case.is_overdue(self.context.get("today") or timezone.localdate())


class AssignSerializer(serializers.Serializer):
    handler = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="The id of a Secretariat user; null: unassigned.",
    )


class NotificationSerializer(serializers.ModelSerializer):
    party = party_code(allow_null=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "subject", "body", "url", "case", "party", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")


class CorrespondenceSerializer(serializers.ModelSerializer):
    party = party_code()
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = Correspondence
        fields = [
            "id",
            "party",
            "case",
            "kind",
            "date",
            "subject",
            "body",
            "sender",
            "recipients",
            "language",
            "letter",
            "document",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_recipients(self, item: Correspondence) -> list[str]:
        return [line.strip() for line in item.recipients.replace(",", "\n").splitlines() if line.strip()]


class WorkItemSerializer(serializers.Serializer):
    category = serializers.CharField(
        help_text="What kind of work, in the user's language, e.g. “Submission: to register”."
    )
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page where it is handled.")
    since = serializers.DateTimeField(help_text="Waiting since.")
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    case = serializers.IntegerField(source="case.pk", allow_null=True, default=None)
    import_job = serializers.IntegerField(source="import_job.pk", allow_null=True, default=None)


class MyWorkSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["mine", "unassigned", "everyone"])
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many items of each category."
    )
    items = WorkItemSerializer(many=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    party = party_code(allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title_en", "title_fr", "party", "proposal", "notes"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "number", "starts_on", "ends_on", "place", "status", "agenda"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting.number", read_only=True)
    item = serializers.CharField(source="item.title", read_only=True)
    party = party_code("item.party", allow_null=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "item", "party", "kind", "text_en", "text_fr", "published", "recorded_at"]
        read_only_fields = fields
