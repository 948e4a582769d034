"""The report document's download in the admin (/admin/recommendations/reports/<id>/document/en.pdf).

Behind the admin's login (staff only); the report is read through `access.scoped` as the user, so
a report the user may not see answers 404 like any other missing record.
"""

from django.http import Http404, HttpRequest, HttpResponse

from . import report_document
from .models import ImplementationReport


def report_document_download(request: HttpRequest, pk: int, language: str, format: str) -> HttpResponse:
    """The report as DOCX or PDF in English or French, built in the user's scope."""
    if language not in report_document.LANGUAGES or format not in report_document.FORMATS:
        raise Http404
    try:
        printed = report_document.report_document(report_id=pk, user=request.user, language=language)
    except ImplementationReport.DoesNotExist:
        raise Http404 from None
    content = report_document.render_report(printed, format)
    response = HttpResponse(content, content_type=report_document.FORMATS[format])
    name = report_document.file_name(printed, format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
