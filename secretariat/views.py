from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from . import access, audit


@login_required
def protected_file(request: HttpRequest, name: str) -> FileResponse:
    """Serve an uploaded document or reply attachment only to users whose scope includes it."""
    for selector in (access.documents_for, access.attachments_for, access.update_attachments_for):
        record = selector(request.user).filter(file=name).first()
        if record is not None:
            audit.record(audit.Kind.FILE_DOWNLOAD, request=request, target=name, details={"of": str(record)})
            return FileResponse(record.file.open("rb"), as_attachment=True)
    raise Http404
