"""The rules of the monitoring's write serializers that their fields do not show, in the OpenAPI schema.

drf-spectacular finds these extensions once they are imported (monitoring.api.views imports them).
"""

from secretariat.api.schema import RefinedSerializer

from .serializers import ReplyCreateSerializer, ReplyUpdateSerializer


class ReplyCreateSchema(RefinedSerializer):
    target_class = ReplyCreateSerializer

    def refine(self, schema: dict) -> dict:
        # The submission's id or the round's number, never both.
        return schema | {"oneOf": [{"required": ["submission"]}, {"required": ["round"]}]}


class ReplyUpdateSchema(RefinedSerializer):
    target_class = ReplyUpdateSerializer

    def refine(self, schema: dict) -> dict:
        # A PATCH lists no required field, but a change is always based on the version read.
        return schema | {"required": ["version"]}
