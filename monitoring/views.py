"""Downloads for the Secretariat and the respondents: compilations of replies, registered submissions."""

import io
import re

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from secretariat import access, audit

from .compilation import (
    compile_replies,
    render_docx,
    render_html,
    render_pdf,
    render_submission_pdf,
    submission_document,
)
from .compilation.forms import FORMATS, CompilationForm
from .models import MonitoringRound, Question, Submission

RENDERERS = {"html": lambda c: render_html(c).encode(), "docx": render_docx, "pdf": render_pdf}


@login_required(login_url="admin:login")
def compilation(request: HttpRequest, number: int) -> HttpResponse:
    """Choose a question (or the whole round) and a format, and download the compilation."""
    if not access.is_secretariat(request.user):
        raise Http404
    round = get_object_or_404(access.scoped(MonitoringRound, request.user), number=number)
    questions = (
        access.scoped(Question, request.user).filter(round=round, parent__isnull=True).order_by("order")
    )
    form = CompilationForm(request.GET if "format" in request.GET else None, questions=list(questions))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = compile_replies(
            round=round,
            question_ref=data["question"] or None,
            user=request.user,
            include_drafts=data["include_drafts"],
            include_confidential=data["include_confidential"],
            reference=data["reference"] or None,
        )
        # Drafts and confidential material may leave the back office here: who took what is logged.
        audit.record(
            audit.Kind.EXPORT,
            request=request,
            target=f"compilation {result.reference}",
            details={key: data[key] for key in ("format", "include_drafts", "include_confidential")},
        )
        return _download(RENDERERS[data["format"]](result), result.reference, data["format"])
    context = {
        **admin.site.each_context(request),
        "title": _("Compile replies"),
        "subtitle": str(round),
        "round": round,
        "form": form,
    }
    return render(request, "compilation/form.html", context)


@login_required(login_url="admin:login")
def submission_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF of a registered submission, for anyone whose scope holds it."""
    submissions = access.scoped(Submission, request.user).filter(status=Submission.Status.REGISTERED)
    submission = get_object_or_404(submissions.select_related("round", "party", "organisation"), pk=pk)
    document = submission_document(submission=submission, user=request.user)
    name = submission.reference or f"{submission.party.code}-round-{submission.round.number}"
    return _download(render_submission_pdf(document), name, "pdf")


def _download(content: bytes, name: str, format: str) -> FileResponse:
    content_type, extension = FORMATS[format]
    filename = f"{re.sub(r'[^A-Za-z0-9().-]+', '_', name).strip('_') or 'compilation'}.{extension}"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)
