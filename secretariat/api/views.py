"""The API's endpoints: thin translations of HTTP into secretariat.access and the services.

Every queryset starts in secretariat.access (ScopedQuerysetMixin), so another Party's record
answers 404 as if it did not exist. Writes go through the same services as the admin and the
portal: `reply_save` (optimistic locking: an outdated version answers 409 with both texts),
`submission_submit`, `update_submit`. Their refusals become 403 (not allowed), 400 (invalid
input, with the fields at fault) or 409 (out of order); bad input never makes a 500.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from monitoring import services as monitoring_services
from monitoring.models import MonitoringRound, Question, Reply, Submission
from recommendations import services as recommendation_services
from recommendations.models import (
    AssessedStatus,
    Assessment,
    Chapter,
    Citation,
    Factsheet,
    FactsheetSection,
    FollowUp,
    FollowUpUpdate,
    ImplementationReport,
    Practice,
    Recommendation,
    Theme,
)
from secretariat import access
from secretariat.models import Party

from . import filters
from . import serializers as api
from .parsers import JSONParser
from .permissions import RoleMayRead
from .schema import ApiAutoSchema

# --- the base of every endpoint ------------------------------------------------------------------


class ScopedQuerysetMixin:
    """Rows come from secretariat.access, with what the serializer reads loaded up front.

    `related` are select_related paths; `prefetch(user)` returns prefetch lookups, themselves
    scoped, so that a list runs a fixed number of queries whatever its length.
    """

    model: type[models.Model]
    related: tuple[str, ...] = ()

    def prefetch(self, user) -> list:
        return []

    def annotate(self, queryset: QuerySet, user) -> QuerySet:
        return queryset

    def read_model(self) -> type[models.Model]:
        """The model whose view permission reading this endpoint needs."""
        return self.model

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        queryset = access.scoped(self.model, user)
        if self.related:
            queryset = queryset.select_related(*self.related)
        return self.annotate(queryset, user).prefetch_related(*self.prefetch(user))


class ApiViewSet(ScopedQuerysetMixin, viewsets.GenericViewSet):
    permission_classes = [RoleMayRead]
    schema = ApiAutoSchema()  # documents the refusals (400, 401, 403, 404, 415) beside the answers
    # JSON only, both ways: the browsable API would render forms of its own around the records.
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


def _validation_detail(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


@contextmanager
def service_refusals() -> Iterator[None]:
    """A service's PermissionDenied answers 403 and its ValidationError 400, with their messages."""
    try:
        yield
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error
    except DjangoValidationError as error:
        raise exceptions.ValidationError(_validation_detail(error)) from error


def _parsed(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _does_not_exist(field: str) -> exceptions.ValidationError:
    """A reference outside the user's scope reads exactly like one that never existed."""
    return exceptions.ValidationError({field: [_("This record does not exist.")]})


# --- Parties and the monitoring ------------------------------------------------------------------


class PartyViewSet(ReadOnlyViewSet):
    model = Party
    serializer_class = api.PartySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{3}"
    filterset_class = filters.PartyFilter
    ordering_fields = ["code", "name_en", "name_fr"]
    ordering = ["name_en"]


class RoundViewSet(ReadOnlyViewSet):
    model = MonitoringRound
    serializer_class = api.RoundSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,5}"
    filterset_class = filters.RoundFilter
    ordering_fields = ["number", "launch_date", "reply_deadline"]
    ordering = ["-number"]

    def prefetch(self, user) -> list:
        if self.action == "questions":  # the questionnaire does not show the round's Parties
            return []
        return [Prefetch("parties", queryset=access.parties_for(user).only("code"))]

    def read_model(self) -> type[models.Model]:
        return Question if self.action == "questions" else MonitoringRound

    @extend_schema(responses=api.QuestionSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None, filter_backends=[], serializer_class=api.QuestionSerializer)
    def questions(self, request: Request, number: str) -> Response:
        """The round's whole questionnaire, in order: questions, sub-questions, items and requests."""
        round = self.get_object()
        questionnaire = (
            access.questions_for(request.user)
            .filter(round=round)
            .select_related("round", "section", "parent")
            .order_by("order", "pk")
        )
        return Response(api.QuestionSerializer(questionnaire, many=True).data)


class QuestionViewSet(ReadOnlyViewSet):
    model = Question
    related = ("round", "section", "parent")
    serializer_class = api.QuestionSerializer
    filterset_class = filters.QuestionFilter
    ordering_fields = ["id", "order", "ref"]
    ordering = ["round__number", "order"]


class SubmissionViewSet(ReadOnlyViewSet):
    model = Submission
    related = ("round", "party", "organisation")
    serializer_class = api.SubmissionSerializer
    filterset_class = filters.SubmissionFilter
    ordering_fields = ["id", "status", "submitted_at", "registered_at", "deadline"]
    ordering = ["round", "party__name_en", "organisation__name", "pk"]

    @extend_schema(
        request=api.SubmitSerializer,
        responses={200: api.SubmissionSerializer, 409: api.ErrorSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk: str) -> Response:
        """Send a draft (or a returned submission) to the Secretariat: the coordinator or stakeholder only."""
        submission = self.get_object()
        data = _parsed(api.SubmitSerializer, request)
        try:
            monitoring_services.submission_submit(
                submission=submission, by=request.user, comment=data["comment"]
            )
        except monitoring_services.InvalidTransition as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        return Response(api.SubmissionSerializer(self.get_object()).data)


def _question_ids(user, round_id: int, keys: list[tuple[str, str | int]]) -> list[int]:
    """The ids of the questions given by ref or id, all of them in the round's questionnaire."""
    ids = {value for kind, value in keys if kind == "id"}
    refs = {value for kind, value in keys if kind == "ref"}
    found = list(
        access.questions_for(user)
        .filter(Q(pk__in=ids) | Q(ref__in=refs), round=round_id)
        .values_list("pk", "ref")
    )
    unknown = (ids - {pk for pk, _ref in found}) | (refs - {ref for _pk, ref in found})
    if unknown:
        raise exceptions.ValidationError(
            {
                "questions": [
                    _("Not in this round's questionnaire: %(keys)s.")
                    % {"keys": ", ".join(sorted(str(key) for key in unknown))}
                ]
            }
        )
    return [pk for pk, _ref in found]


@extend_schema_view(
    create=extend_schema(request=api.ReplyCreateSerializer, responses={201: api.ReplySerializer}),
    partial_update=extend_schema(
        request=api.ReplyUpdateSerializer,
        responses={200: api.ReplySerializer, 409: api.EditConflictSerializer},
    ),
)
class ReplyViewSet(ReadOnlyViewSet):
    """Replies: read what access allows; State users and stakeholders write their own drafts."""

    model = Reply
    related = ("submission__round", "submission__party")
    serializer_class = api.ReplySerializer
    filterset_class = filters.ReplyFilter
    ordering_fields = ["id", "order", "updated_at"]
    ordering = ["submission", "order", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def prefetch(self, user) -> list:
        return [
            Prefetch("questions", queryset=access.questions_for(user).only("pk", "ref", "round", "order"))
        ]

    def _shown(self, reply: Reply) -> dict:
        return api.ReplySerializer(self.get_queryset().get(pk=reply.pk)).data

    def _submission(self, data: dict) -> Submission:
        """The submission named, or the user's own in the round named (opened on first use)."""
        user = self.request.user
        if "submission" in data:
            submission = access.submissions_for(user).filter(pk=data["submission"]).first()
            if submission is None:
                raise _does_not_exist("submission")
            return submission
        round = access.rounds_for(user).filter(number=data["round"]).first()
        submission = round and monitoring_services.submission_for_respondent(round=round, user=user)
        if not submission:
            raise exceptions.ValidationError({"round": [_("You have no submission to write in this round.")]})
        return submission

    def create(self, request: Request) -> Response:
        """A new reply in a draft (or returned) submission of the user's, through services.reply_save."""
        data = _parsed(api.ReplyCreateSerializer, request)
        with service_refusals(), transaction.atomic():
            submission = self._submission(data)
            reply_input = monitoring_services.ReplyInput(
                text=data["text"],
                language=data["language"],
                question_ids=_question_ids(request.user, submission.round_id, data["questions"]),
                see_reply_id=data["see_reply"],
            )
            reply = monitoring_services.reply_save(submission=submission, by=request.user, data=reply_input)
        return Response(self._shown(reply), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a reply, based on the `version` read: if someone saved since, 409 with both texts."""
        reply = self.get_object()
        data = _parsed(api.ReplyUpdateSerializer, request)
        if "questions" in data:
            question_ids = _question_ids(request.user, reply.submission.round_id, data["questions"])
        else:
            question_ids = [question.pk for question in reply.questions.all()]
        reply_input = monitoring_services.ReplyInput(
            text=data.get("text", reply.text),
            language=data.get("language", reply.language),
            question_ids=question_ids,
            see_reply_id=data.get("see_reply", reply.see_reply_id),
        )
        try:
            with service_refusals(), transaction.atomic():
                reply = monitoring_services.reply_save(
                    submission=reply.submission,
                    by=request.user,
                    data=reply_input,
                    reply=reply,
                    based_on_version=data["version"],
                )
        except monitoring_services.EditConflict as conflict:
            body = {
                "detail": str(conflict),
                "current_version": conflict.current.version,
                "current_text": conflict.current.text,
                "your_text": conflict.attempted_text,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(self._shown(reply))


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
            Prefetch("chapters__articles", queryset=access.articles_for(user).only("number")),
        ]


class RecommendationViewSet(ReadOnlyViewSet):
    model = Recommendation
    related = ("report", "chapter")
    serializer_class = api.RecommendationSerializer
    filterset_class = filters.RecommendationFilter
    ordering_fields = ["id", "order", "number"]
    ordering = ["report", "order", "pk"]

    def prefetch(self, user) -> list:
        return [
            # The Parties named are part of the published recommendation: every reader sees them.
            Prefetch("addressees", queryset=Party.objects.only("code")),
            Prefetch("themes", queryset=access.scoped(Theme, user).only("slug")),
            _citations(user),
        ]


class FollowUpViewSet(ReadOnlyViewSet):
    model = FollowUp
    related = ("recommendation", "party")
    serializer_class = api.FollowUpSerializer
    filterset_class = filters.FollowUpFilter
    ordering_fields = ["id", "deadline", "party__code"]
    ordering = ["recommendation__report", "recommendation__order", "recommendation__pk", "party__code"]

    def annotate(self, queryset: QuerySet, user) -> QuerySet:
        """The status of the latest assessment the user may read (a stakeholder reads published ones)."""
        latest = access.assessments_for(user).filter(follow_up=OuterRef("pk")).order_by("-assessed_at", "-pk")
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
        data = _parsed(api.FollowUpUpdateCreateSerializer, request)
        follow_up = access.follow_ups_for(request.user).filter(pk=data["follow_up"]).first()
        if follow_up is None:
            raise _does_not_exist("follow_up")
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
    ordering = ["follow_up", "-assessed_at", "-pk"]

    def prefetch(self, user) -> list:
        # The evidence is listed only as far as the user may read it.
        return [
            Prefetch("updates", queryset=access.follow_up_updates_for(user).only("pk")),
            Prefetch("replies", queryset=access.replies_for(user).only("pk")),
            Prefetch("documents", queryset=access.documents_for(user).only("pk")),
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
