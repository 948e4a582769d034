"""The admin's import of replies: upload, preview (a dry run), then confirm."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat import access

from . import imports
from .models import MonitoringRound

MAX_IMPORT_BYTES = 20 * 1024 * 1024
SESSION_KEY = "pending_reply_imports"


class ReplyImportForm(forms.Form):
    round = forms.ModelChoiceField(MonitoringRound.objects.none(), label=_("Monitoring round"))
    file = forms.FileField(
        label=_("CSV file (UTF-8)"),
        help_text=_("Columns: party, respondent_kind, respondent, question_refs, language, text."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = access.rounds_for(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


@staff_member_required(login_url="admin:login")
def import_replies(request: HttpRequest) -> HttpResponse:
    """Step 1 shows the form; step 2 previews a dry run; step 3 (confirm) writes."""
    if not (access.is_secretariat(request.user) and request.user.has_perm("monitoring.add_submission")):
        raise Http404
    context = {**admin.site.each_context(request), "title": _("Import replies")}
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ReplyImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        round_, text = form.cleaned_data["round"], form.cleaned_data["file"]
        try:
            report = imports.import_replies(round=round_, text=text, by=request.user, dry_run=True)
        except imports.ImportRejected as rejected:
            context["errors"] = rejected.errors
        else:
            token = secrets.token_urlsafe(16)
            request.session.setdefault(SESSION_KEY, {})[token] = {"round": round_.pk, "text": text}
            request.session.modified = True
            context.update(report=report, token=token, round=round_)
    context["form"] = form
    return render(request, "imports/import_replies.html", context)


def _confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY, {}).pop(request.POST.get("token", ""), None)
    request.session.modified = True
    if pending is None:
        messages.error(request, _("This import has expired or was already done; upload the file again."))
        return redirect("import_replies")
    round_ = access.rounds_for(request.user).get(pk=pending["round"])
    try:
        report = imports.import_replies(round=round_, text=pending["text"], by=request.user)
    except imports.ImportRejected as rejected:
        # The data changed since the preview (e.g. someone imported the same Party meanwhile).
        for error in rejected.errors:
            messages.error(request, error)
        return redirect("import_replies")
    messages.success(request, report.summary())
    return redirect(reverse("admin:monitoring_submission_changelist") + f"?round__id__exact={round_.pk}")
