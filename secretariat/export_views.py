"""The admin's export of the whole dataset: a ZIP of one CSV or XLSX file per record type, which
the worker prepares in the background (a generated document with its progress in the admin)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import access, audit, exports
from .models import GeneratedDocument


def _export_dataset(request: HttpRequest, format: str) -> HttpResponse:
    """GET: what the export holds and a button; POST: queue it and open its page."""
    if not access.may_export_dataset(request.user):
        raise PermissionDenied
    if format not in exports.FORMATS:
        raise Http404
    if request.method == "POST":
        document = exports.dataset_request(format=format, by=request.user)
        audit.record(
            audit.Kind.EXPORT,
            request=request,
            target=f"whole dataset (in the background, #{document.pk})",
            details={"format": format},
        )
        messages.success(request, _("The export is being prepared; you will be told when it is ready."))
        return redirect("admin:secretariat_generateddocument_change", document.pk)
    earlier = access.scoped(GeneratedDocument, request.user).filter(
        kind=exports.DATASET_KIND, requested_by=request.user
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Export the whole dataset"),
        "format": format,
        "kinds": exports.kinds_in_order(),
        "file_names": [exports.file_name(kind, format) for kind in exports.kinds_in_order()],
        "earlier": earlier.order_by("-created_at")[:5],
    }
    return TemplateResponse(request, "admin/export_dataset.html", context)


# Signed-out users go to the admin's login page; signed-in users other than the Secretariat get 403.
export_dataset = admin.site.admin_view(_export_dataset)
