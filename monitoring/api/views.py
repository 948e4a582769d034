"""API endpoints of the monitoring (rounds, questionnaires, submissions, replies, children's views)."""

from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from monitoring import services as monitoring_services
from monitoring.models import (
    ChildParticipation,
    ChildQuote,
    MonitoringRound,
    Question,
    Reply,
    Section,
    Submission,
)
from secretariat import access
from secretariat.api.serializers import ErrorSerializer
from secretariat.api.views.base import ReadOnlyViewSet, does_not_exist, parsed, service_refusals

from . import filters
from . import schema as _schema  # noqa: F401  (drf-spectacular's extensions of the write serializers)
from . import serializers as api


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
            access.scoped(Question, request.user)
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
    ordering = ["-round_id", "party__name_en", "organisation__name", "pk"]

    @extend_schema(
        request=api.SubmitSerializer,
        responses={200: api.SubmissionSerializer, 409: ErrorSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk: str) -> Response:
        """Send a draft (or a returned submission) to the Secretariat: the coordinator or stakeholder only."""
        submission = self.get_object()
        data = parsed(api.SubmitSerializer, request)
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
        access.scoped(Question, user)
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
    ordering = ["submission_id", "order", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def prefetch(self, user) -> list:
        return [
            Prefetch("questions", queryset=access.scoped(Question, user).only("pk", "ref", "round", "order"))
        ]

    def _shown(self, reply: Reply) -> dict:
        return api.ReplySerializer(self.get_queryset().get(pk=reply.pk)).data

    def _submission(self, data: dict) -> Submission:
        """The submission named, or the user's own in the round named (opened on first use)."""
        user = self.request.user
        if "submission" in data:
            submission = access.scoped(Submission, user).filter(pk=data["submission"]).first()
            if submission is None:
                raise does_not_exist("submission")
            return submission
        round = access.scoped(MonitoringRound, user).filter(number=data["round"]).first()
        submission = round and monitoring_services.submission_for_respondent(round=round, user=user)
        if not submission:
            raise exceptions.ValidationError({"round": [_("You have no submission to write in this round.")]})
        return submission

    def create(self, request: Request) -> Response:
        """A new reply in a draft (or returned) submission of the user's, through services.reply_save."""
        data = parsed(api.ReplyCreateSerializer, request)
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
        data = parsed(api.ReplyUpdateSerializer, request)
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


class ChildParticipationViewSet(ReadOnlyViewSet):
    """Children's views: the Secretariat's and, once registered, the round's rapporteurs'
    (monitoring.access); State users and stakeholders hold no view permission on them. The
    safeguarding flags (the words found) are never shown: only the texts as they now stand."""

    model = ChildParticipation
    related = ("round", "party", "organisation")
    serializer_class = api.ChildParticipationSerializer
    filterset_class = filters.ChildParticipationFilter
    ordering_fields = ["id", "children_count", "started_on", "submitted_at", "registered_at"]
    ordering = ["-round_id", "party__name_en", "organisation__name", "pk"]

    def prefetch(self, user) -> list:
        questions = access.scoped(Question, user).only("pk", "ref", "round", "order")
        return [
            Prefetch("questions", queryset=questions),
            Prefetch("sections", queryset=access.scoped(Section, user)),
            Prefetch(
                "quotes",
                queryset=access.scoped(ChildQuote, user).prefetch_related(
                    Prefetch("questions", queryset=questions)
                ),
            ),
        ]
