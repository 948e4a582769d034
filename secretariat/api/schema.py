"""The OpenAPI description of the API's refusals, beside each operation's own answers.

drf-spectacular documents what a view returns on success and what `@extend_schema` adds. A client
(and schemathesis, which fuzzes the API in tests/api/test_schemathesis.py) also needs the refusals
every endpoint can answer: no or wrong credentials, a role without the permission, a record that
does not exist (or is outside the user's scope), a wrong filter value or body, a body not in JSON.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

from .serializers import ErrorSerializer

_MESSAGES = {"type": "array", "items": {"type": "string"}}

# DRF's answer to invalid input: the messages by field (nested by position or key for a list or an
# object), `non_field_errors` for the input as a whole, or `detail` for a document it cannot read.
VALIDATION_ERROR = {
    "type": "object",
    "description": _("What is wrong with the input: messages by field (a filter, or a field of the body)."),
    "properties": {
        "detail": {"type": "string", "description": _("Why the document could not be read at all.")},
        "non_field_errors": _MESSAGES,
    },
    "additionalProperties": {"anyOf": [_MESSAGES, {"type": "object"}]},
}


class ApiAutoSchema(AutoSchema):
    """Adds the refusals an operation can answer, unless `@extend_schema` describes them itself."""

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code, response in self._refusals().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response.response, code, direction=direction
                ) | {"description": str(response.description)}
        return dict(sorted(responses.items()))

    def _refusals(self) -> dict[str, OpenApiResponse]:
        refusals = {
            "401": OpenApiResponse(ErrorSerializer, _("No credentials, or wrong ones.")),
            "403": OpenApiResponse(ErrorSerializer, _("The user's role may not do this.")),
        }
        writes = self.method in ("POST", "PUT", "PATCH")
        # A list read with query parameters: a wrong filter value answers 400, a page past the end 404.
        listed = self.method == "GET" and bool(
            self._get_filter_parameters() or self._get_pagination_parameters()
        )
        if writes or listed:
            description = _("A wrong value in the body.") if writes else _("A wrong filter value.")
            refusals["400"] = OpenApiResponse(self._validation_error(), description)
        if listed or "{" in self.path:
            refusals["404"] = OpenApiResponse(
                ErrorSerializer, _("No such record (or one the user may not read), or no such page.")
            )
        if writes:
            refusals["415"] = OpenApiResponse(ErrorSerializer, _("The body is not JSON."))
        return refusals

    def _validation_error(self) -> dict:
        component = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ValidationError",
            schema=VALIDATION_ERROR,
        )
        self.registry.register_on_missing(component)
        return component.ref


# --- the rules of the write serializers that their fields do not show ---------------------------------

#: A text that must say something: DRF trims it, then refuses it blank.
NOT_BLANK = {"minLength": 1, "pattern": r"\S"}


class RefinedSerializer(OpenApiSerializerExtension):
    """drf-spectacular's own description of a serializer, with the rules its `validate()` adds.

    Each app refines its write serializers in its own `api/schema.py`: a subclass names the
    serializer (`target_class`) and overrides `refine(schema)`.
    """

    def map_serializer(self, auto_schema: AutoSchema, direction) -> dict:
        return self.refine(auto_schema._map_serializer(self.target, direction, bypass_extensions=True))

    def refine(self, schema: dict) -> dict:
        return schema
