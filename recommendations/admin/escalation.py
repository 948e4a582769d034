"""The escalation ladder's admin: each step with its report, Party, decision and outcome; a step is
opened above the Party's last one through `escalation.escalation_open_next` and closed through
`escalation.escalation_record_outcome`, as a meeting's decision opens one."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from secretariat import access
from secretariat.admin_base import ScopedAdmin

from .. import escalation
from ..models import EscalationStep, ImplementationReport


class AtLeastStepFilter(admin.SimpleListFilter):
    """At step 3 or higher, for instance: the Parties the Committee has pressed furthest."""

    title = gettext_lazy("step reached")
    parameter_name = "step_at_least"

    def lookups(self, request, model_admin):
        return [
            (str(value), gettext_lazy("%(step)s or higher") % {"step": label})
            for value, label in EscalationStep.Step.choices[1:]
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(step__gte=int(self.value()))
        return queryset


class EscalationForm(forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["report", "party", "opened_on", "outcome", "closed_on"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("report") and data.get("party"):
            escalation.next_step(data["report"], data["party"])  # says why a step cannot be opened
        return data  # a closing day before the opening one: EscalationStep.clean()


@admin.register(EscalationStep)
class EscalationStepAdmin(ScopedAdmin):
    form = EscalationForm
    list_display = ["party", "report_name", "step", "opened_on", "decision", "closed_on"]
    list_filter = [AtLeastStepFilter, "step", "report"]
    list_select_related = ["party", "report__round", "decision__item"]
    search_fields = ["party__name_en", "party__name_fr", "party__code"]
    date_hierarchy = "opened_on"

    @admin.display(description=gettext_lazy("report"), ordering="report")
    def report_name(self, step: EscalationStep) -> str:
        return step.report.short_title

    def get_readonly_fields(self, request, obj=None):
        # The report, the Party and the step say what was opened: a step is not moved afterwards.
        return ["report", "party", "opened_on", "step", "decision"] if obj else ["step"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["report", "party", "opened_on"]
        return ["report", "party", "step", "opened_on", "decision", "outcome", "closed_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "report":
            kwargs["queryset"] = access.scoped(ImplementationReport, request.user).filter(
                status=ImplementationReport.Status.ADOPTED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            opened = escalation.escalation_open_next(
                report=data["report"], party=data["party"], by=request.user, opened_on=data["opened_on"]
            )
            obj.pk, obj.step = opened.pk, opened.step
        else:
            escalation.escalation_record_outcome(
                step=obj, by=request.user, outcome=data["outcome"], closed_on=data["closed_on"]
            )
