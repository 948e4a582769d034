"""The rules of the follow-up's write serializers that their fields do not show, in the OpenAPI schema.

drf-spectacular finds these extensions once they are imported (recommendations.api.views imports them).
"""

from secretariat.api.schema import NOT_BLANK, RefinedSerializer

from .serializers import FollowUpUpdateCreateSerializer


class FollowUpUpdateCreateSchema(RefinedSerializer):
    target_class = FollowUpUpdateCreateSerializer

    def refine(self, schema: dict) -> dict:
        schema["properties"]["text"] |= NOT_BLANK
        return schema
