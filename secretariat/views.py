from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from . import access


@login_required
def protected_file(request: HttpRequest, name: str) -> FileResponse:
    """Serve an uploaded document only to users whose scope includes it."""
    document = access.documents_for(request.user).filter(file=name).first()
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True)
