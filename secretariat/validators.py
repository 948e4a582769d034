"""Checks on data from outside: Party codes and uploaded files."""

from pathlib import Path

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# First bytes of the binary formats we accept; a renamed executable fails here.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".rtf": (b"{\\rtf",),
}
_TEXT_EXTENSIONS = {".txt", ".csv", ".md"}
ALLOWED_EXTENSIONS = sorted(ext.lstrip(".") for ext in {*_SIGNATURES, *_TEXT_EXTENSIONS})


def validate_party_code(value: str) -> None:
    """Accept only an upper-case ISO 3166-1 alpha-3 code of an existing country."""
    if value != value.upper() or pycountry.countries.get(alpha_3=value) is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 alpha-3 country code (for example FRA)."),
            code="unknown_party_code",
            params={"code": value},
        )


def validate_upload(file) -> None:
    """Refuse files that are too large or whose content does not match an allowed type."""
    max_bytes = settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024
    if file.size > max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB."),
            code="file_too_large",
            params={"size": file.size / 1024 / 1024, "limit": settings.DOCUMENT_MAX_UPLOAD_MB},
        )
    extension = Path(file.name).suffix.lower()
    if extension not in _SIGNATURES and extension not in _TEXT_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted types: %(allowed)s."),
            code="file_type",
            params={"extension": extension or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)},
        )
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if not _content_matches(extension, head):
        raise ValidationError(
            _("The content of the file does not match its “%(extension)s” extension."),
            code="file_content",
            params={"extension": extension},
        )


def _content_matches(extension: str, head: bytes) -> bool:
    """Text holds no NUL byte; a binary format starts with its signature."""
    if extension in _TEXT_EXTENSIONS:
        return b"\x00" not in head
    return head.startswith(_SIGNATURES[extension])
