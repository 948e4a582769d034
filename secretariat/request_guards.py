"""Requests refused before any view reads them: a NUL character in the address, a body too large.

- A NUL character (U+0000) is never valid in an address, and no PostgreSQL text can hold one:
  a search box (`?q=`), a filter, a file name or an autocomplete term holding it would reach a
  query and fail with a 500. It is answered 400 with the reason instead; a cookie holding one is
  dropped (as an unknown session would be). Form and JSON fields refuse it themselves (Django's and
  DRF's `ProhibitNullCharactersValidator`, secretariat.api.parsers).
- A body larger than the page takes is answered 413 from its Content-Length, before any of it is
  read: uploads go to a page that takes files (DOCUMENT_MAX_UPLOAD_MB, or the limit the view
  declares with `upload_limit`, such as the import page's IMPORT_MAX_UPLOAD_MB), anything else is
  form or JSON data (DATA_UPLOAD_MAX_MEMORY_SIZE, which DRF's parsers do not check themselves).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024
#: Room in a request that carries a file for the form's other fields (titles, a reply's text ...).
FORM_FIELDS_BYTES = 1 * MB


def _answer(request: HttpRequest, status: int, reason: str) -> HttpResponse:
    """The refusal as the API answers (JSON `detail`) or as plain text for a page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=status)
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


class RefuseNulCharacterMiddleware:
    """Answers 400 to an address holding a NUL character; drops a cookie holding one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _address_holds_nul(request):
            return _answer(request, 400, _("The address holds a NUL character (%00), which is never valid."))
        for name, value in list(request.COOKIES.items()):
            if "\x00" in name or "\x00" in value:
                del request.COOKIES[name]
        return self.get_response(request)


def _address_holds_nul(request: HttpRequest) -> bool:
    return "\x00" in request.path_info or any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
    )


def upload_limit(setting: str) -> Callable:
    """Declare that a view takes files of up to `setting` MB (read when a request comes)."""

    def declare(view: Callable) -> Callable:
        view.upload_limit_setting = setting
        return view

    return declare


class RequestSizeLimitMiddleware:
    """Answers 413 to a body larger than the view takes, from its Content-Length, before reading it.

    Before CsrfViewMiddleware, which would read (and store) the whole upload to check its token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args, kwargs) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _answer(request, 400, _("The request's Content-Length is not a number."))
        limit = _body_limit(request, view)
        if length <= limit:
            return None
        if request.content_type == "multipart/form-data":
            reason = _("The file is too large: this page takes files of up to %(size)s MB.") % {
                "size": (limit - FORM_FIELDS_BYTES) // MB
            }
        else:
            reason = _("The request is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
        return _answer(request, 413, reason)


def _body_limit(request: HttpRequest, view: Callable) -> int:
    if request.content_type != "multipart/form-data":
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    setting = getattr(view, "upload_limit_setting", "DOCUMENT_MAX_UPLOAD_MB")
    return getattr(settings, setting) * MB + FORM_FIELDS_BYTES
