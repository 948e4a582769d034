"""The API's shared serializer fields and the core's serializers; each app has its own in its api package."""

from .base import (
    MAX_ID,
    MAX_TEXT_LENGTH,
    ErrorSerializer,
    MarkdownHtmlField,
    PartySerializer,
    party_code,
    round_number,
)

__all__ = [
    "MAX_ID",
    "MAX_TEXT_LENGTH",
    "ErrorSerializer",
    "MarkdownHtmlField",
    "PartySerializer",
    "party_code",
    "round_number",
]
