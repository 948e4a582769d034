from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static

from . import access, audit


@login_required
def protected_file(request: HttpRequest, name: str) -> FileResponse:
    """Serve an uploaded document or reply attachment only to users whose scope includes it."""
    for model in access.FILE_MODELS:
        record = access.scoped(model, request.user).filter(file=name).first()
        if record is not None:
            audit.record(audit.Kind.FILE_DOWNLOAD, request=request, target=name, details={"of": str(record)})
            return FileResponse(record.file.open("rb"), as_attachment=True)
    raise Http404


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, which browsers ask for on pages that name no icon (downloads, the API's JSON):
    the static file (resolved on request, as the storage's manifest may not be read at import)."""
    return HttpResponsePermanentRedirect(static("secretariat/favicon.svg"))
