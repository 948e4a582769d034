"""API endpoint of the core's Parties."""

from secretariat.models import Party

from .. import filters
from .. import serializers as api
from .base import ReadOnlyViewSet


class PartyViewSet(ReadOnlyViewSet):
    model = Party
    serializer_class = api.PartySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{3}"
    filterset_class = filters.PartyFilter
    ordering_fields = ["code", "name_en", "name_fr"]
    ordering = ["name_en"]
