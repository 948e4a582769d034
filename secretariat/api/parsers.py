"""The API reads JSON only, and refuses any document it cannot read with 400, never 500."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

#: DRF's CharField refuses a NUL with this message; no PostgreSQL text can hold one.
NUL_MESSAGE = _("Null characters are not allowed.")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested deeper than Python can decode is a parse error too, and
    a text holding a NUL character (`\\u0000`) is refused by field, whatever field reads it."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # DRF turns ValueError into 400 but lets this one through as a 500.
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
        _refuse_nul(document)
        return document


def _refuse_nul(document) -> None:
    if not isinstance(document, dict):
        if _holds_nul(document):
            raise ValidationError({"non_field_errors": [NUL_MESSAGE]})
        return
    errors = {}
    for key, value in document.items():
        if _holds_nul(key):
            errors["non_field_errors"] = [NUL_MESSAGE]
        elif _holds_nul(value):
            errors[key] = [NUL_MESSAGE]
    if errors:
        raise ValidationError(errors)


def _holds_nul(value) -> bool:
    """Whether a text anywhere in a JSON value (keys included) holds a NUL; without recursion, as
    a document may be nested as deep as the decoder goes."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return False
