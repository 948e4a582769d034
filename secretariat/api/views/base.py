"""The base of every API endpoint: scoped querysets and how service refusals become HTTP answers."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from secretariat import access

from ..parsers import JSONParser
from ..permissions import RoleMayRead
from ..schema import ApiAutoSchema

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

    # DRF counts calls only once they are permitted: anonymous ones would all be refused (401) at
    # full speed and never throttled. Here every call is counted first, once.
    def check_permissions(self, request: Request) -> None:
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request: Request) -> None:
        if not getattr(request, "throttles_counted", False):
            request.throttles_counted = True
            super().check_throttles(request)


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


def parsed(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def does_not_exist(field: str) -> exceptions.ValidationError:
    """A reference outside the user's scope reads exactly like one that never existed."""
    return exceptions.ValidationError({field: [_("This record does not exist.")]})
