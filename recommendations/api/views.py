"""API endpoints of the recommendations and their follow-up, practices and factsheets."""

from django.db import transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from monitoring.models import Question, Reply
from recommendations import services as recommendation_services
from recommendations.models import (
    AssessedStatus,
    Assessment,
    Chapter,
    Citation,
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
    Theme,
)
from secretariat import access
from secretariat.api.views.base import ReadOnlyViewSet, does_not_exist, parsed, service_refusals
from secretariat.models import ConventionArticle, Document, Party

from . import filters
from . import schema as _schema  # noqa: F401  (drf-spectacular's extension of the write serializer)
from . import serializers as api

# --- recommendations and their follow-up -------------------------------------------------------------


def _citations(user) -> Prefetch:
    citations = (
        access.scoped(Citation, user).select_related("article").order_by("article__number", "paragraph")
    )
    return Prefetch("citations", queryset=citations)


class ReportViewSet(ReadOnlyViewSet):
    model = ImplementationReport
    related = ("round",)
    serializer_class = api.ReportSerializer
    filterset_class = filters.ReportFilter
    ordering_fields = ["id", "adoption_date", "reference"]
    ordering = ["-adoption_date", "reference"]

    def prefetch(self, user) -> list:
        return [
            Prefetch("chapters", queryset=access.scoped(Chapter, user)),
            Prefetch("chapters__articles", queryset=access.scoped(ConventionArticle, user).only("number")),
        ]


class RecommendationViewSet(ReadOnlyViewSet):
    model = Recommendation
    related = ("report", "chapter", "rests_on__report")
    serializer_class = api.RecommendationSerializer
    filterset_class = filters.RecommendationFilter
    ordering_fields = ["id", "order", "number"]
    ordering = ["report_id", "order", "pk"]

    def prefetch(self, user) -> list:
        return [
            # The Parties named are part of the published recommendation: every reader sees them.
            Prefetch("addressees", queryset=Party.objects.only("code")),
            Prefetch("themes", queryset=access.scoped(Theme, user).only("slug")),
            _citations(user),
        ]


class FindingViewSet(ReadOnlyViewSet):
    """What the Committee finds in each chapter, with the evidence it cites: while the report is in
    preparation, the Secretariat's and the Committee's only."""

    model = Finding
    related = ("chapter__report",)
    serializer_class = api.FindingSerializer
    filterset_class = filters.FindingFilter
    ordering_fields = ["id", "order"]
    ordering = ["chapter_id", "order", "pk"]

    def prefetch(self, user) -> list:
        # What each citation's label reads (report_document.citation_note), loaded with it.
        citations = (
            access.scoped(FindingCitation, user)
            .select_related(
                "party",
                "recommendation__report",
                "document",
                "reply__submission__organisation",
                "child_quote__contribution__organisation",
                "child_quote__contribution__party",
            )
            .defer("reply__text", "reply__text_html", "reply__text_excerpt")
            .prefetch_related(
                Prefetch(
                    "reply__questions",
                    queryset=access.scoped(Question, user).only("ref", "order").order_by("order"),
                )
            )
        )
        return [Prefetch("citations", queryset=citations.order_by("order", "pk"))]


class EscalationStepViewSet(ReadOnlyViewSet):
    """The Committee's escalation steps towards Parties that do not reply or comply; a State reads
    those towards its own Party."""

    model = EscalationStep
    related = ("report", "party", "decision__item__meeting")
    serializer_class = api.EscalationStepSerializer
    filterset_class = filters.EscalationStepFilter
    ordering_fields = ["id", "step", "opened_on"]
    ordering = ["report_id", "party_id", "step"]


class FollowUpViewSet(ReadOnlyViewSet):
    model = FollowUp
    related = ("recommendation", "party", "closing_decision__item__meeting")
    serializer_class = api.FollowUpSerializer
    filterset_class = filters.FollowUpFilter
    ordering_fields = ["id", "deadline", "party__code"]
    # In the order of the (recommendation, party) index, a recommendation's follow-ups by Party code.
    ordering = ["recommendation_id", "party__code", "pk"]

    def annotate(self, queryset: QuerySet, user) -> QuerySet:
        """The status of the latest assessment the user may read (a stakeholder reads published ones)."""
        latest = (
            access.scoped(Assessment, user).filter(follow_up=OuterRef("pk")).order_by("-assessed_at", "-pk")
        )
        return queryset.annotate(
            visible_status=Coalesce(
                Subquery(latest.values("status")[:1]), Value(AssessedStatus.NOT_ASSESSED)
            ),
            visible_assessed_at=Subquery(latest.values("assessed_at")[:1]),
        )


@extend_schema_view(
    create=extend_schema(
        request=api.FollowUpUpdateCreateSerializer, responses={201: api.FollowUpUpdateSerializer}
    )
)
class FollowUpUpdateViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """What States and stakeholders report; coordinators and stakeholders send new updates."""

    model = FollowUpUpdate
    related = ("follow_up__recommendation", "follow_up__party", "author")
    serializer_class = api.FollowUpUpdateSerializer
    filterset_class = filters.FollowUpUpdateFilter
    ordering_fields = ["id", "submitted_at", "measures_date"]
    ordering = ["-submitted_at", "-pk"]

    def create(self, request: Request) -> Response:
        """Report measures taken on a recommendation, through recommendations.services.update_submit."""
        data = parsed(api.FollowUpUpdateCreateSerializer, request)
        follow_up = access.scoped(FollowUp, request.user).filter(pk=data["follow_up"]).first()
        if follow_up is None:
            raise does_not_exist("follow_up")
        with service_refusals(), transaction.atomic():
            update = recommendation_services.update_submit(
                follow_up=follow_up,
                by=request.user,
                text=data["text"],
                reported_status=data["reported_status"],
                measures_date=data["measures_date"],
                links="\n".join(data["links"]),
            )
        shown = self.get_queryset().get(pk=update.pk)
        return Response(api.FollowUpUpdateSerializer(shown).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(ReadOnlyViewSet):
    model = Assessment
    related = ("follow_up__recommendation", "follow_up__party")
    serializer_class = api.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["id", "assessed_at"]
    ordering = ["follow_up_id", "-assessed_at", "-pk"]

    def prefetch(self, user) -> list:
        # The evidence is listed only as far as the user may read it.
        return [
            Prefetch("updates", queryset=access.scoped(FollowUpUpdate, user).only("pk")),
            Prefetch("replies", queryset=access.scoped(Reply, user).only("pk")),
            Prefetch("documents", queryset=access.scoped(Document, user).only("pk")),
        ]


class PracticeViewSet(ReadOnlyViewSet):
    model = Practice
    related = ("round",)
    serializer_class = api.PracticeSerializer
    filterset_class = filters.PracticeFilter
    ordering_fields = ["id", "title"]
    ordering = ["title", "pk"]

    def prefetch(self, user) -> list:
        return [
            # Practices are published with the names of their Parties (as the practice search shows them).
            Prefetch("parties", queryset=Party.objects.only("code")),
            Prefetch("themes", queryset=access.scoped(Theme, user).only("slug")),
            _citations(user),
        ]


class FactsheetViewSet(ReadOnlyViewSet):
    model = Factsheet
    related = ("report", "chapter", "theme", "article")
    serializer_class = api.FactsheetSerializer
    lookup_field = "slug"
    filterset_class = filters.FactsheetFilter
    ordering_fields = ["slug"]
    ordering = ["slug"]

    def prefetch(self, user) -> list:
        return [
            Prefetch("practices", queryset=access.scoped(Practice, user).only("pk")),
            Prefetch("sections", queryset=access.scoped(FactsheetSection, user)),
            Prefetch(
                "sections__recommendations", queryset=access.scoped(Recommendation, user).only("number")
            ),
        ]
