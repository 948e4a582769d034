"""Downloads for the Secretariat and the respondents: compilations of replies, registered submissions."""

import io
import re
import tempfile

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from secretariat import access, audit

from .compilation import Compilation, compile_replies, render_submission_pdf, submission_document
from .compilation.documents import compilation_request, file_name
from .compilation.forms import FORMATS, CompilationForm
from .compilation.render import stream_html, write_compilation
from .models import MonitoringRound, Question, Submission

# The compilation's options that say what left the back office (the audit log records them).
AUDITED = ("format", "include_drafts", "include_confidential", "include_children")


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
        if data["background"] and not data["question"]:
            return _prepare_in_background(request, round, data)
        result = compile_replies(
            round=round,
            question_ref=data["question"] or None,
            user=request.user,
            include_drafts=data["include_drafts"],
            include_confidential=data["include_confidential"],
            include_children=data["include_children"],
            reference=data["reference"] or None,
        )
        # Drafts and confidential material may leave the back office here: who took what is logged.
        audit.record(
            audit.Kind.EXPORT,
            request=request,
            target=f"compilation {result.reference}",
            details={key: data[key] for key in AUDITED},
        )
        return _stream(result, data["format"])
    context = {
        **admin.site.each_context(request),
        "title": _("Compile replies"),
        "subtitle": str(round),
        "round": round,
        "form": form,
    }
    return render(request, "compilation/form.html", context)


def _prepare_in_background(request: HttpRequest, round: MonitoringRound, data: dict) -> HttpResponse:
    options = {key: data[key] for key in (*AUDITED, "reference")}
    document = compilation_request(round=round, options=options, by=request.user)
    audit.record(
        audit.Kind.EXPORT,
        request=request,
        target=f"compilation of round {round.number} (in the background, #{document.pk})",
        details={key: data[key] for key in AUDITED},
    )
    messages.success(request, _("The compilation is being prepared; you will be told when it is ready."))
    return redirect("admin:secretariat_generateddocument_change", document.pk)


def _stream(compilation: Compilation, format: str) -> HttpResponse:
    """HTML streamed a question at a time; DOCX and PDF written to a temporary file, then sent."""
    content_type, _extension = FORMATS[format]
    name = file_name(compilation.reference, format)
    if format == "html":
        response = StreamingHttpResponse(
            (piece.encode() for piece in stream_html(compilation)), content_type=content_type
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write_compilation(compilation, format, output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=name, content_type=content_type)


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
