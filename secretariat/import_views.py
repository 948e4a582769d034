"""The admin's import page, one for every registered kind: upload, a background check with a
progress bar, the preview (or every error), confirm, a background import, the summary.

A request never runs an import: it stores the file in an ImportJob and queues it for the
worker (secretariat.tasks); the job page follows it. Only Secretariat users with the kind's
permission import; a job is seen only by the user who started it (404 for anyone else).
"""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import access, import_jobs
from .import_forms import ImportForm
from .imports import KINDS, ImportKind, summary_text
from .models import ImportJob
from .request_guards import upload_limit


def _secretariat_only(request: HttpRequest) -> None:
    if not access.is_secretariat(request.user):
        raise PermissionDenied


def _kind(request: HttpRequest, name: str) -> ImportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise Http404
    if not access.may_import(request.user, kind.permission):
        raise PermissionDenied
    return kind


def _job(request: HttpRequest, pk: int) -> tuple[ImportJob, ImportKind]:
    _secretariat_only(request)
    job = get_object_or_404(access.import_jobs_for(request.user), pk=pk)
    # A job whose worker died is ended here, where someone is looking at it.
    return import_jobs.import_job_fail_if_abandoned(job), _kind(request, job.kind)


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


@staff_member_required(login_url="admin:login")
def import_start(request: HttpRequest) -> HttpResponse:
    """The kinds the user may import, and their own recent imports."""
    _secretariat_only(request)
    jobs = list(access.import_jobs_for(request.user)[:20])
    for job in jobs:
        job.kind_title = KINDS[job.kind].title if job.kind in KINDS else job.kind
    context = _context(request, _("Import data"), kinds=import_jobs.importable_kinds(request.user), jobs=jobs)
    return render(request, "imports/start.html", context)


@upload_limit("IMPORT_MAX_UPLOAD_MB")
@staff_member_required(login_url="admin:login")
def import_file(request: HttpRequest, kind: str) -> HttpResponse:
    """The upload form of one kind; a valid upload becomes a job queued for its check."""
    _secretariat_only(request)
    spec = _kind(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None, kind=spec, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = import_jobs.import_job_create(
            kind=spec, upload=form.cleaned_data["file"], options=form.options(), by=request.user
        )
        return redirect(job)
    title = _("Import: %(kind)s") % {"kind": spec.title}
    return render(request, "imports/import.html", _context(request, title, kind=spec, form=form))


@staff_member_required(login_url="admin:login")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress, then its preview (with Confirm) or its errors, then its summary."""
    job, kind = _job(request, pk)
    if request.method == "POST" and "confirm" in request.POST:
        try:
            import_jobs.import_job_confirm(job=job, by=request.user)
        except import_jobs.InvalidTransition as refusal:
            messages.error(request, str(refusal))
        return redirect(job)
    context = _context(
        request,
        _("Import: %(kind)s") % {"kind": kind.title},
        job=job,
        kind=kind,
        status=job_status(job),
        report=job.report,
        summary=_summary(job.report),
        hidden_rows=_hidden_rows(job.report),
        changelist_url=_changelist_url(kind),
    )
    return render(request, "imports/job.html", context)


@require_GET
@staff_member_required(login_url="admin:login")
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the job page's script polls while the job is queued or running."""
    job = _job(request, pk)[0]
    return JsonResponse(job_status(job))


def job_status(job: ImportJob) -> dict:
    progress = job.progress()
    done, total = progress["done"], progress["total"]
    percent = min(100, done * 100 // total) if total else 0
    if total:
        label = _("%(done)s / %(total)s rows (%(percent)s%%)") % {
            "done": f"{done:,}",
            "total": f"{total:,}",
            "percent": percent,
        }
    elif job.is_running:  # the worker counts the rows before it reads them
        label = _("Reading the file…")
    else:  # queued: the status says it waits; no count to show yet
        label = ""
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "active": job.is_active,
        "done": done,
        "total": total,
        "percent": percent,
        "label": label,
    }


def _summary(report: dict | None) -> str:
    """The report's sentence in the reader's language (the stored one is in the uploader's)."""
    if not report:
        return ""
    return summary_text(
        report["kind"],
        report["new"],
        report["changed"],
        report["unchanged"],
        dry_run=report.get("dry_run", True),
    )


def _hidden_rows(report: dict | None) -> int:
    """Rows of the file the preview leaves out (it shows the first few hundred)."""
    if not report:
        return 0
    return max(0, report["new"] + report["changed"] + report["unchanged"] - len(report["preview"]))


def _changelist_url(kind: ImportKind) -> str:
    try:
        return reverse(kind.changelist)
    except NoReverseMatch:
        return ""
