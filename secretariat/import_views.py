"""The admin's file imports: upload, preview (a dry run of the same import), then confirm.

One page serves every kind the `import_data` command reads; each kind names the function that
imports it and whether it needs a monitoring round.
"""

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from monitoring import imports as monitoring_imports
from monitoring.models import MonitoringRound
from recommendations import imports as recommendation_imports

from . import access
from .imports import ImportRejected, ImportReport, read_file

MAX_IMPORT_BYTES = 20 * 1024 * 1024
SESSION_KEY = "pending_imports"


@dataclass(frozen=True)
class ImportKind:
    title: Promise
    columns: str
    permission: str
    needs_round: bool
    run: Callable[..., ImportReport]
    done_url: str


def _replies(*, round, text, user, dry_run):
    return monitoring_imports.import_replies(round=round, text=text, by=user, dry_run=dry_run)


def _recommendations(*, round, text, user, dry_run):
    reports = list(round.reports.all())
    if len(reports) != 1:
        raise ImportRejected(
            [f"round {round.number} needs exactly one implementation report; it has {len(reports)}"]
        )
    return recommendation_imports.import_recommendations(report=reports[0], text=text, dry_run=dry_run)


def _practices(*, round, text, user, dry_run):
    return recommendation_imports.import_practices(text=text, dry_run=dry_run)


KINDS = {
    "replies": ImportKind(
        _("Import replies"),
        "party, respondent_kind, respondent, question_refs, language, text",
        "monitoring.add_submission",
        True,
        _replies,
        "admin:monitoring_submission_changelist",
    ),
    "recommendations": ImportKind(
        _("Import recommendations"),
        "number, strength, addressees, articles, chapter, text",
        "recommendations.add_recommendation",
        True,
        _recommendations,
        "admin:recommendations_recommendation_changelist",
    ),
    "practices": ImportKind(
        _("Import promising practices"),
        "parties, title, text, articles, themes, source",
        "recommendations.add_practice",
        False,
        _practices,
        "admin:recommendations_practice_changelist",
    ),
}


class ImportForm(forms.Form):
    round = forms.ModelChoiceField(MonitoringRound.objects.none(), label=_("Monitoring round"))
    file = forms.FileField(label=_("CSV or XLSX file"))

    def __init__(self, *args, user, kind: ImportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Columns: %(columns)s.") % {"columns": kind.columns}
        if kind.needs_round:
            self.fields["round"].queryset = access.rounds_for(user)
        else:
            del self.fields["round"]

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload.name, upload.read()


@staff_member_required(login_url="admin:login")
def import_file(request: HttpRequest, kind: str) -> HttpResponse:
    """Step 1 shows the form; step 2 previews a dry run; step 3 (confirm) writes."""
    spec = KINDS.get(kind)
    if spec is None or not (access.is_secretariat(request.user) and request.user.has_perm(spec.permission)):
        raise Http404
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, kind, spec)
    context = {**admin.site.each_context(request), "title": spec.title, "kind": kind}
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, kind=spec)
    if request.method == "POST" and form.is_valid():
        round_, (name, data) = form.cleaned_data.get("round"), form.cleaned_data["file"]
        try:
            report = spec.run(round=round_, text=read_file(data, name), user=request.user, dry_run=True)
        except ImportRejected as rejected:
            context["errors"] = rejected.errors
        else:
            token = secrets.token_urlsafe(16)
            pending = request.session.setdefault(SESSION_KEY, {})
            pending[token] = {
                "kind": kind,
                "round": round_.pk if round_ else None,
                "name": name,
                "data": base64.b64encode(data).decode("ascii"),
            }
            request.session.modified = True
            context.update(report=report, token=token, round=round_)
    context["form"] = form
    return render(request, "imports/import.html", context)


def _confirm(request: HttpRequest, kind: str, spec: ImportKind) -> HttpResponse:
    pending = request.session.get(SESSION_KEY, {}).pop(request.POST.get("token", ""), None)
    request.session.modified = True
    if pending is None or pending["kind"] != kind:
        messages.error(request, _("This import has expired or was already done; upload the file again."))
        return redirect("import_file", kind=kind)
    round_ = access.rounds_for(request.user).get(pk=pending["round"]) if pending["round"] else None
    try:
        text = read_file(base64.b64decode(pending["data"]), pending["name"])
        report = spec.run(round=round_, text=text, user=request.user, dry_run=False)
    except ImportRejected as rejected:
        # The data changed since the preview (e.g. someone imported the same rows meanwhile).
        for error in rejected.errors:
            messages.error(request, error)
        return redirect("import_file", kind=kind)
    messages.success(request, report.summary())
    return redirect(reverse(spec.done_url))
