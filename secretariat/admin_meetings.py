"""The admin of the Committee's meetings: the meeting with its agenda, the items the state of the
work proposes (`meetings.agenda_proposals`), and the decisions, recorded and carried out through
`meetings.decision_record`. The Secretariat writes; the Committee reads."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, meeting_documents, meetings
from .admin_base import ScopedAdmin
from .history import set_author
from .models import AgendaItem, Decision, Meeting


class AgendaForm(forms.ModelForm):
    """Narrow boxes: the agenda is read as a table on a laptop's screen, its titles wrapping (the
    order's and the Party's widths: admin.css, #agenda-group)."""

    class Meta:
        model = AgendaItem
        fields = ["order", "title_en", "title_fr", "party", "notes"]
        widgets = {
            "title_en": forms.Textarea(attrs={"rows": 3, "cols": 18}),
            "title_fr": forms.Textarea(attrs={"rows": 3, "cols": 18}),
            "notes": forms.Textarea(attrs={"rows": 3, "cols": 14}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A Party is chosen, not added or edited from an agenda: no icons beside the list.
        widget = self.fields["party"].widget
        for can in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            setattr(widget, can, False)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    form = AgendaForm
    extra = 0
    fields = ["order", "title_en", "title_fr", "party", "notes", "decisions_link"]
    readonly_fields = ["decisions_link"]
    show_change_link = False

    def get_queryset(self, request):
        return access.scoped(AgendaItem, request.user, super().get_queryset(request)).select_related("party")

    @admin.display(description=gettext_lazy("decision"))
    def decisions_link(self, item: AgendaItem) -> str:
        if not item.pk:
            return "–"
        url = reverse("admin:secretariat_decision_record", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, _("Record a decision"))


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "place", "status"]
    list_filter = ["status"]
    date_hierarchy = "starts_on"
    inlines = [AgendaInline]

    def save_formset(self, request, form, formset, change):
        # Each agenda item's history names who changed it, as every write of the back office does.
        for item in formset.save(commit=False):
            set_author(item, request.user).save()
        for item in formset.deleted_objects:
            item.delete()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/propose/",
                self.admin_site.admin_view(self.propose_view),
                name="secretariat_meeting_propose",
            ),
            path(
                "<path:object_id>/document/<slug:kind>/<slug:language>.<slug:format>",
                self.admin_site.admin_view(self.document_view),
                name="secretariat_meeting_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, object_id: str, kind: str, language: str, format: str):
        """The agenda or the list of decisions as DOCX or PDF, in English or French."""
        meeting = get_object_or_404(access.scoped(Meeting, request.user), pk=object_id)
        languages = {code for code, _name in settings.LANGUAGES}
        if (
            kind not in meeting_documents.KINDS
            or language not in languages
            or format not in meeting_documents.FORMATS
        ):
            raise Http404
        printed = meeting_documents.build(meeting, kind=kind, user=request.user, language=language)
        content = meeting_documents.to_pdf(printed) if format == "pdf" else meeting_documents.to_docx(printed)
        response = HttpResponse(content, content_type=meeting_documents.FORMATS[format])
        name = meeting_documents.file_name(meeting, kind, language, format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def propose_view(self, request, object_id: str):
        """The items the state of the work calls for, to tick and add to the agenda."""
        meeting = get_object_or_404(access.scoped(Meeting, request.user), pk=object_id)
        if not access.is_secretariat(request.user):
            raise PermissionDenied
        proposals = meetings.agenda_proposals(meeting, user=request.user)
        if request.method == "POST":
            chosen = {int(index) for index in request.POST.getlist("proposal") if index.isdigit()}
            added = meetings.agenda_add(
                meeting, [p for index, p in enumerate(proposals) if index in chosen], by=request.user
            )
            messages.success(request, _("%(count)s items added to the agenda.") % {"count": len(added)})
            return redirect("admin:secretariat_meeting_change", meeting.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Items proposed for %(meeting)s") % {"meeting": meeting},
            "meeting": meeting,
            "proposals": list(enumerate(proposals)),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/secretariat/meeting/propose.html", context)


class DecisionForm(forms.Form):
    """The decision, and under its kind the details that kind asks for: each kind's details are a
    form of their own (prefixed by the kind's name), shown under the kind chosen (the others are
    hidden by decision_details.js, or left unfilled without JavaScript) and checked for that kind only."""

    kind = forms.ChoiceField(label=gettext_lazy("decision"))
    text_en = forms.CharField(label=gettext_lazy("text (English)"), widget=forms.Textarea(attrs={"rows": 4}))
    text_fr = forms.CharField(
        label=gettext_lazy("text (French)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    published = forms.BooleanField(
        label=gettext_lazy("published"),
        required=False,
        help_text=gettext_lazy(
            "A published decision is shown to the Party concerned (to every Party if none is)."
        ),
    )

    def __init__(self, *args, item: AgendaItem, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = meetings.decision_kinds_for(item)
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in kinds]
        self.details: dict[str, tuple[meetings.DecisionKind, forms.Form]] = {}
        for kind in kinds:
            fields = kind.detail_fields(item, user)
            if fields:
                details = forms.Form(self.data if self.is_bound else None, prefix=kind.name)
                details.fields.update(fields)
                if self.is_bound and kind.name != self.data.get("kind"):
                    # Another kind's details keep what was typed but are not checked (nor said wrong).
                    details._errors = ErrorDict()
                self.details[kind.name] = (kind, details)

    def chosen_details(self) -> forms.Form | None:
        """The details form of the kind chosen (None: the kind asks for none)."""
        chosen = self.details.get(self.cleaned_data.get("kind", ""))
        return chosen[1] if chosen else None

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        details = self.chosen_details()
        return details is None or details.is_valid()

    def details_data(self) -> dict:
        details = self.chosen_details()
        return dict(details.cleaned_data) if details is not None else {}

    def add_refusal(self, error: ValidationError) -> None:
        """The service's refusal: on the detail it names, else above the form."""
        details = self.chosen_details()
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            if details is not None and name in details.fields:
                details.add_error(name, errors)
            elif name in self.fields:
                self.add_error(name, errors)
            else:
                self.add_error(None, errors)


@admin.register(Decision)
class DecisionAdmin(ScopedAdmin):
    """The decisions as recorded: read here, recorded from an agenda item (`record_view`), never
    changed (a correction is a new decision)."""

    list_display = ["__str__", "kind_label", "published", "recorded_at", "recorded_by", "outcome"]
    list_filter = ["published", "kind"]
    list_select_related = ["item", "recorded_by"]
    search_fields = ["text_en", "text_fr", "item__title_en"]
    # What the service did and what the kind's details asked for (meetings.summary), read-only.
    readonly_fields = ["outcome", "details_summary"]

    @admin.display(description=gettext_lazy("details"))
    def details_summary(self, decision: Decision) -> str:
        return meetings.summary(decision) or "–"

    @admin.display(description=gettext_lazy("decision"), ordering="kind")
    def kind_label(self, decision: Decision) -> str:
        kind = meetings.DECISION_KINDS.get(decision.kind)
        return str(kind.label) if kind else decision.kind

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "record/<int:item_id>/",
                self.admin_site.admin_view(self.record_view),
                name="secretariat_decision_record",
            ),
            *super().get_urls(),
        ]

    def record_view(self, request, item_id: int):
        """Record the Committee's decision on an agenda item; the service carries it out."""
        if not access.is_secretariat(request.user):
            raise PermissionDenied
        item = get_object_or_404(
            access.scoped(AgendaItem, request.user).select_related("meeting"), pk=item_id
        )
        form = DecisionForm(
            request.POST or None, item=item, user=request.user, initial={"kind": meetings.TAKE_NOTE.name}
        )
        if request.method == "POST" and form.is_valid():
            try:
                decision = meetings.decision_record(
                    item, **form.cleaned_data, details=form.details_data(), by=request.user
                )
            except ValidationError as error:  # refused by the service: nothing was kept
                form.add_refusal(error)
            else:
                messages.success(request, _("Decision recorded: %(outcome)s") % {"outcome": decision.outcome})
                return redirect("admin:secretariat_meeting_change", item.meeting_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Decision on %(item)s") % {"item": item.title},
            "item": item,
            "form": form,
            "details": list(form.details.values()),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/secretariat/decision/record.html", context)
