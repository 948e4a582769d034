"""API endpoints of the cycle's running: cases and their handlers, notifications, correspondence."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from secretariat import access, cases, notifications, work
from secretariat.models import AgendaItem, Case, Correspondence, Decision, Meeting, Notification, User

from .. import filters
from ..schema import ApiAutoSchema
from ..serializers import ErrorSerializer
from ..serializers import casework as api
from .base import ApiViewSet, ReadOnlyViewSet, does_not_exist, parsed, service_refusals


class CaseViewSet(ReadOnlyViewSet):
    """Each Party's submissions and follow-ups as cases: who handles them, what they wait on, by when."""

    model = Case
    related = ("party", "handler")
    serializer_class = api.CaseSerializer
    filterset_class = filters.CaseFilter
    ordering_fields = ["id", "due_date", "waiting_since", "opened_at"]
    ordering = ["due_date", "waiting_since", "pk"]

    @extend_schema(request=api.AssignSerializer, responses={200: api.CaseSerializer}, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def assign(self, request: Request, pk: str) -> Response:
        """Give the case to a Secretariat user, or leave it unassigned (null): the Secretariat only."""
        case = self.get_object()
        if not access.may_assign_cases(request.user):
            raise exceptions.PermissionDenied(_("Only the Secretariat assigns cases."))
        data = parsed(api.AssignSerializer, request)
        handler = None
        if data["handler"] is not None:
            handler = access.scoped(User, request.user).filter(pk=data["handler"]).first()
            if handler is None:
                raise does_not_exist("handler")
        with service_refusals(), transaction.atomic():
            cases.assign([case], handler=handler, by=request.user)
        return Response(api.CaseSerializer(self.get_object()).data)


class NotificationViewSet(ReadOnlyViewSet):
    """The signed-in user's own notifications, newest first; mark them read one by one or all at once."""

    model = Notification
    related = ("party",)
    serializer_class = api.NotificationSerializer
    filterset_class = filters.NotificationFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-created_at", "-pk"]

    @extend_schema(request=None, responses={200: api.NotificationSerializer}, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request: Request, pk: str) -> Response:
        """Mark this notification read."""
        notifications.mark_read(self.get_queryset().filter(pk=self.get_object().pk), by=request.user)
        return Response(api.NotificationSerializer(self.get_object()).data)

    @extend_schema(request=None, responses={200: api.MarkedSerializer}, filters=False)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification read."""
        return Response({"marked": notifications.mark_read(self.get_queryset(), by=request.user)})


class CorrespondenceViewSet(ReadOnlyViewSet):
    """A Party's correspondence log: e-mails the system sent, letters sent, letters and e-mails received."""

    model = Correspondence
    related = ("party",)
    serializer_class = api.CorrespondenceSerializer
    filterset_class = filters.CorrespondenceFilter
    ordering_fields = ["id", "date", "recorded_at"]
    ordering = ["-date", "-pk"]


class MeetingViewSet(ReadOnlyViewSet):
    """The Committee's plenary meetings with their agendas: the Secretariat's and the Committee's."""

    model = Meeting
    serializer_class = api.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ["id", "number", "starts_on"]
    ordering = ["-starts_on", "-pk"]

    def prefetch(self, user) -> list:
        items = access.scoped(AgendaItem, user).select_related("party").order_by("order", "pk")
        return [Prefetch("agenda", queryset=items)]


class DecisionViewSet(ReadOnlyViewSet):
    """The Committee's decisions; a State reads the published ones on its Party or on every Party."""

    model = Decision
    related = ("item__meeting", "item__party")
    serializer_class = api.DecisionSerializer
    filterset_class = filters.DecisionFilter
    ordering_fields = ["id", "recorded_at"]
    ordering = ["-recorded_at", "-pk"]


class OneAnswerSchema(ApiAutoSchema):
    """A `list` that answers one object (My work: counts and items), not a page of rows."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def _refusals(self) -> dict:
        # Its query parameter, like a filter's, is refused (400) when it cannot be read at all.
        return super()._refusals() | {
            "400": OpenApiResponse(ErrorSerializer, _("A query parameter that cannot be read."))
        }


class MyWorkViewSet(ApiViewSet):
    """What waits on the signed-in user now, most overdue and oldest first (as on their home page)."""

    model = Case
    schema = OneAnswerSchema()
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                OpenApiTypes.STR,
                enum=list(work.SCOPES),
                description="For the Secretariat: my cases (default), the unassigned ones, or everyone's.",
            )
        ],
        responses={200: api.MyWorkSerializer},
    )
    def list(self, request: Request) -> Response:
        scope = work.normalise_scope(request.query_params.get("scope"))
        answer = {
            "scope": scope,
            "counts": work.counts(request.user, scope),
            "items": work.items_for(request.user, scope),
        }
        return Response(api.MyWorkSerializer(answer).data)
