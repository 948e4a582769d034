"""The admin of the correspondence log, the letter templates, the letters to Parties, the internal
notes on cases and a Party's case file. Pages read rows through `access.scoped`; writes go
through the services (`correspondence`, `notes`); the admin is staff-only (admin_site)."""

import smtplib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, case_file, correspondence, notes
from .admin_base import ScopedAdmin
from .models import Case, Correspondence, Language, LetterTemplate, Note, Party, localized

# --- the correspondence log ----------------------------------------------------------------------


class IncomingForm(forms.ModelForm):
    class Meta:
        model = Correspondence
        fields = ["party", "case", "kind", "date", "subject", "body", "sender", "language", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in Correspondence.Kind.choices
                if value in Correspondence.INCOMING
            ]


@admin.register(Correspondence)
class CorrespondenceAdmin(ScopedAdmin):
    form = IncomingForm
    list_display = ["date", "party", "kind", "subject", "case", "sender", "document_link", "recorded_by"]
    list_display_links = ["date", "subject"]
    list_filter = ["kind", "party", "date"]
    list_select_related = ["party", "case", "document", "recorded_by"]
    search_fields = [
        "subject",
        "body",
        "sender",
        "recipients",
        "party__code",
        "party__name_en",
        "party__name_fr",
    ]
    date_hierarchy = "date"
    autocomplete_fields = ["party", "document"]
    readonly_fields = ["letter", "recipients", "recorded_by", "recorded_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # a log: recorded items stay

    def has_change_permission(self, request, obj=None):
        # What the system sent (e-mails, letters) is read-only; incoming items may be corrected.
        if obj is not None and not obj.is_incoming:
            return False
        return access.is_secretariat(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return access.is_secretariat(request.user) and super().has_add_permission(request)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_incoming:
            return [*IncomingForm.Meta.fields, *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in IncomingForm.Meta.fields}
        if change:
            correspondence.correct_incoming(obj, by=request.user)
        else:
            saved = correspondence.record_incoming(**data, by=request.user)
            obj.pk = saved.pk

    @admin.display(description=gettext_lazy("document"))
    def document_link(self, obj):
        if obj.document is None:
            return ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.document.link, obj.document.reference
        )


# --- letter templates ----------------------------------------------------------------------------


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["letter", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 90})}

    def clean(self):
        cleaned = super().clean()
        for name in ("subject", "body"):
            if cleaned.get(name):
                try:
                    correspondence.check_template(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ScopedAdmin):
    form = LetterTemplateForm
    list_display = ["letter", "language", "subject"]
    list_filter = ["letter", "language"]
    search_fields = ["subject", "body"]
    change_form_template = "letters/letter_template_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return ["letter", "language"] if obj is not None else []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context = {**context, "placeholders": sorted(correspondence.placeholders().items())}
        if obj is not None:
            context.update(self._preview(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _preview(self, request, template: LetterTemplate) -> dict:
        """The template filled for a sample case: `?case=<id>`, else the latest open case."""
        cases = access.scoped(Case, request.user).select_related("party", "handler")
        sample = None
        if (case_id := request.GET.get("case", "")).isdigit():
            sample = cases.filter(pk=case_id).first()
        sample = sample or cases.filter(closed_at__isnull=True).order_by("-opened_at", "-pk").first()
        if sample is None:
            return {"preview_error": _("There is no case to preview the letter with yet.")}
        context = correspondence.letter_context(
            sample,
            template.language,
            message=_("(the message written with the letter)"),
            deadline=sample.due_date,
        )
        try:
            subject, body = correspondence.render_letter(template, context)
        except ValidationError as error:
            return {"preview_case": sample, "preview_error": " ".join(error.messages)}
        return {"preview_case": sample, "preview_subject": subject, "preview_body": body}


# --- writing a letter about a case ---------------------------------------------------------------


class LetterForm(forms.Form):
    letter = forms.ChoiceField(label=gettext_lazy("letter"), choices=LetterTemplate.Letter.choices)
    language = forms.ChoiceField(label=gettext_lazy("language"), choices=Language.choices)
    message = forms.CharField(
        label=gettext_lazy("message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 90}),
        help_text=gettext_lazy("The message of a return or a request: {{ message }} in the template."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("date asked for"),
        required=False,
        widget=AdminDateWidget,
        help_text=gettext_lazy("For instance the date by which information is due: {{ deadline }}."),
    )
    subject = forms.CharField(label=gettext_lazy("subject"), required=False, max_length=300)
    body = forms.CharField(
        label=gettext_lazy("text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        help_text=gettext_lazy("Filled by “Preview”; edit it at will before “Generate”."),
    )
    email = forms.BooleanField(
        label=gettext_lazy("also e-mail it to the Party's coordinators"),
        required=False,
        help_text=gettext_lazy("The text, with the PDF attached; the addresses are recorded in the log."),
    )


def write_letter_view(request, object_id: str):
    """Choose a letter and its language, preview it filled from the case, edit it, generate it."""
    case = get_object_or_404(
        access.scoped(Case, request.user).select_related("party", "handler"), pk=_int_or_404(object_id)
    )
    if not access.is_secretariat(request.user):
        raise PermissionDenied
    sent = None
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            extra = {"message": data["message"], "deadline": data["deadline"]}
            try:
                if "generate" in request.POST:
                    sent = correspondence.send_letter(
                        case,
                        data["letter"],
                        data["language"],
                        by=request.user,
                        extra=extra,
                        subject=data["subject"] or None,
                        body=data["body"] or None,
                    )
                    messages.success(
                        request, _("The letter is generated and recorded in the Party's correspondence.")
                    )
                    if data["email"]:
                        _email(request, sent)
                else:
                    template = correspondence.template_for(data["letter"], data["language"])
                    context = correspondence.letter_context(case, data["language"], **extra)
                    subject, body = correspondence.render_letter(template, context)
                    form = LetterForm({**request.POST.dict(), "subject": subject, "body": body})
                    form.is_valid()
            except ValidationError as error:
                form.add_error(None, error.messages)
    else:
        form = LetterForm(initial={"language": correspondence.default_language(case.party)})
    context = {
        **admin.site.each_context(request),
        "title": _("Write a letter: %(case)s") % {"case": localized(case, "title")},
        "case": case,
        "party_name": localized(case.party, "name"),
        "form": form,
        "sent": sent,
        "placeholders": sorted(correspondence.placeholders().items()),
        "opts": Case._meta,
    }
    return TemplateResponse(request, "letters/write_letter.html", context)


def _email(request, sent: correspondence.SentLetter) -> None:
    try:
        recipients = correspondence.email_letter(sent, by=request.user)
    except (OSError, smtplib.SMTPException) as error:
        # The letter is generated and recorded: only the e-mail failed; it may be sent by hand.
        messages.warning(request, _("The letter could not be e-mailed: %(error)s") % {"error": error})
        return
    if recipients:
        messages.success(request, _("E-mailed to %(recipients)s.") % {"recipients": ", ".join(recipients)})
    else:
        messages.warning(request, _("Not e-mailed: the Party has no coordinator with an e-mail address."))


# --- internal notes on a case (for the Case admin: `inlines = [..., NoteInline]`) -----------------


class NoteFormSet(BaseInlineFormSet):
    """New notes go through notes.add_note (who may write, history); existing ones are never edited."""

    request = None

    def save_new(self, form, commit=True):
        return notes.add_note(self.instance, form.cleaned_data["text"], by=self.request.user)

    def save_existing(self, form, obj, commit=True):
        return obj


class NoteInline(admin.StackedInline):
    model = Note
    formset = NoteFormSet
    extra = 1
    can_delete = False
    fields = ["byline", "rendered_text", "text"]
    verbose_name = gettext_lazy("internal note")
    verbose_name_plural = gettext_lazy("internal notes (never shown to States or stakeholders)")

    def get_queryset(self, request):
        return access.scoped(Note, request.user, super().get_queryset(request)).select_related("author")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})

    def get_fields(self, request, obj=None):
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return ["byline", "rendered_text"]

    def has_add_permission(self, request, obj=None):
        return obj is not None and access.may_write_note(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.works_in_admin(request.user)

    @admin.display(description=gettext_lazy("written by"))
    def byline(self, note):
        if note.pk is None:
            return ""
        return f"{case_file.person(note.author)}, {case_file.day(note.created_at)}"

    @admin.display(description=gettext_lazy("note"))
    def rendered_text(self, note):
        return notes.rendered(note) if note.pk else ""


# --- a Party's case file -------------------------------------------------------------------------


def _int_or_404(value: str) -> int:
    if not str(value).isdigit():
        raise Http404
    return int(value)


def _party(request, party_id: str) -> Party:
    return get_object_or_404(access.scoped(Party, request.user), pk=_int_or_404(party_id))


def case_file_view(request, object_id: str):
    party = _party(request, object_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Case file: %(party)s") % {"party": localized(party, "name")},
        "party": party,
        "party_name": localized(party, "name"),
        "sections": case_file.case_file(party, request.user),
        "opts": Party._meta,
    }
    return TemplateResponse(request, "admin/case_file/case_file.html", context)


def case_file_pdf_view(request, object_id: str):
    party = _party(request, object_id)
    response = HttpResponse(case_file.case_file_pdf(party, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-file-{party.code}.pdf"'
    return response


def case_urls(site: admin.AdminSite) -> list:
    """The pages hung under a case's admin page (`CaseAdmin.get_urls`)."""
    return [
        path(
            "<path:object_id>/letter/",
            site.admin_view(write_letter_view),
            name="secretariat_case_letter",
        ),
    ]


def party_urls(site: admin.AdminSite) -> list:
    """The pages hung under a Party's admin page (`PartyAdmin.get_urls`)."""
    return [
        path(
            "<path:object_id>/case-file/",
            site.admin_view(case_file_view),
            name="secretariat_party_case_file",
        ),
        path(
            "<path:object_id>/case-file/pdf/",
            site.admin_view(case_file_pdf_view),
            name="secretariat_party_case_file_pdf",
        ),
    ]


def letter_url(case: Case) -> str:
    return reverse("admin:secretariat_case_letter", args=[case.pk])
