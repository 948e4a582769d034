"""The API reads JSON only, and refuses any document it cannot read with 400, never 500."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested deeper than Python can decode is a parse error too."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # DRF turns ValueError into 400 but lets this one through as a 500.
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
