"""How the API shows records, and how it parses what clients send: shared fields and the core.

Read serializers expose bilingual texts side by side (`title_en`, `title_fr`), and Markdown
texts raw with their sanitised HTML beside them (`text_html`, stored when the text was written:
secretariat/rendering.py). Related records appear by their
natural keys (a Party's code, a round's number, a question's ref). Write serializers only check
the shape of the input; the services decide what may change.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from secretariat.models import Party

# Far above any real reply (the 2nd round's longest is a few thousand characters), far below
# what would strain the database or the renderers.
MAX_TEXT_LENGTH = 100_000
MAX_ID = 2**63 - 1  # the largest key the databases hold: bigger numbers are refused as input


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHtmlField(serializers.ReadOnlyField):
    """The sanitised HTML of a Markdown text (no script, no event handler, no javascript: link), as
    stored beside it when it was written (a `RenderedHTMLField`): the API never renders on read."""

    def to_representation(self, value: str) -> str:
        return str(value)


def party_code(source: str | None = None, *, allow_null: bool = False) -> serializers.SlugRelatedField:
    """A Party shown by its code (null where the record may have no Party)."""
    return serializers.SlugRelatedField(
        source=source, slug_field="code", read_only=True, allow_null=allow_null
    )


def round_number(source: str | None = None, *, allow_null: bool = False) -> serializers.SlugRelatedField:
    """A round shown by its number (null where the record may have no round)."""
    return serializers.SlugRelatedField(
        source=source, slug_field="number", read_only=True, allow_null=allow_null
    )


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "code",
            "name_en",
            "name_fr",
            "coe_member",
            *(f"{treaty}_{part}" for treaty in Party.TREATIES for part in ("status", "date")),
            "weprotect_member",
            "statuses_as_of",
        ]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
