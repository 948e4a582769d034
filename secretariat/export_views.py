"""The admin's download of the whole dataset: a ZIP of one CSV or XLSX file per record type."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from . import access, audit, exports

CONTENT_TYPE = "application/zip"


def _export_dataset(request: HttpRequest, format: str) -> HttpResponse:
    if not access.may_export_dataset(request.user):
        raise PermissionDenied
    if format not in exports.FORMATS:
        raise Http404
    data = exports.dataset_zip(request.user, format)
    audit.record(audit.Kind.EXPORT, request=request, target="whole dataset", details={"format": format})
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    name = f"lanzarote-data-{timezone.localdate().isoformat()}-{format}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Signed-out users go to the admin's login page; signed-in users other than the Secretariat get 403.
export_dataset = admin.site.admin_view(_export_dataset)
