"""The compliance pages of the admin: the dashboard, one recommendation's report, a Party's profile.

Secretariat staff and Committee members read them all: the admin site refuses everyone else,
and each page answers 404 to anyone outside the Secretariat and the Committee. The pages only
translate HTTP to the selectors of `recommendations.compliance` and render them (CSV/XLSX with
?format=csv|xlsx).
"""

import datetime
import itertools

from django import forms
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from secretariat import access, audit
from secretariat.models import choice_labels

from . import compliance, compliance_reports, continuity, escalation
from .models import (
    URGENCY_DEFINITIONS,
    AssessedStatus,
    Assessment,
    Chapter,
    EscalationStep,
    FollowUp,
    ImplementationReport,
    Recommendation,
    Theme,
    Urgency,
)

REPORT_URL = "recommendations_compliance_report"
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Cell colours of the matrix (background, text) and a symbol, so that colour is not the only cue.
STATUS_STYLES = {
    AssessedStatus.NOT_ASSESSED: ("#e6e6e6", "#333", "·"),
    AssessedStatus.NO_INFORMATION: ("#f6c6c6", "#611", "?"),
    AssessedStatus.NOT_IMPLEMENTED: ("#c9302c", "#fff", "✗"),
    AssessedStatus.PARTLY: ("#f0ad4e", "#222", "◐"),
    AssessedStatus.IMPLEMENTED: ("#4cae4c", "#fff", "✓"),
    AssessedStatus.DEALT_WITH: ("#1b5e20", "#fff", "✔"),
    AssessedStatus.NOT_APPLICABLE: ("#5bc0de", "#123", "∅"),
    compliance.NOT_ADDRESSED: ("#ffffff", "#999", ""),
}


def _legend() -> list[dict]:
    labels = {**dict(AssessedStatus.choices), compliance.NOT_ADDRESSED: compliance.NOT_ADDRESSED_LABEL}
    return [
        {"status": status, "label": labels[status], "background": bg, "color": fg, "symbol": symbol}
        for status, (bg, fg, symbol) in STATUS_STYLES.items()
    ]


def _matrix_rows(matrix: compliance.Matrix) -> list[tuple[compliance.MatrixRow, str]]:
    """Each Party's row with its cells already written.

    A full report holds tens of thousands of cells: joined here they cost a tenth of what the
    template engine takes to render them one tag at a time.
    """
    numbers = [escape(rec.number) for rec in matrix.recommendations]
    rows = []
    for row in matrix.rows():
        code = escape(row.party.code)
        # Safe: the Party code and the numbers are escaped above, the status is a choice value.
        cells = "".join(
            f'<td data-status="{status or compliance.NOT_ADDRESSED}" data-party="{code}" '
            f'data-recommendation="{number}"></td>'
            for status, number in zip(row.cells, numbers, strict=True)
        )
        rows.append((row, mark_safe(cells)))  # noqa: S308
    return rows


def _matrix_header(matrix: compliance.Matrix) -> str:
    """The matrix's column headers (a recommendation each: its urgency, its compliance report),
    written here for the same reason as its rows."""
    urgencies = choice_labels(Recommendation, "urgency")
    return format_html_join(
        "",
        '<th scope="col" title="{}"><a href="{}">{}</a></th>',
        (
            (
                urgencies.get(rec.urgency, rec.urgency),
                reverse(REPORT_URL, args=[rec.pk]),
                rec.number,
            )
            for rec in matrix.recommendations
        ),
    )


def _recommendation_totals(matrix: compliance.Matrix) -> list[tuple[str, str, str]]:
    """(status, label, its count per recommendation as written cells): the matrix's footer rows."""
    return [
        (status, label, mark_safe("".join(f'<td class="count">{n:d}</td>' for n in counts)))  # noqa: S308
        for status, label, counts in matrix.recommendation_totals()
    ]


def _require_overview_reader(request: HttpRequest) -> None:
    """The dashboard and compliance reports are Secretariat and Committee tools: others see nothing."""
    if not access.sees_everything(request.user):
        raise Http404


def _export(request: HttpRequest, dataset, export: str, filename: str) -> HttpResponse:
    audit.record(audit.Kind.EXPORT, request=request, target=f"{filename}.{export}")
    response = HttpResponse(dataset.export(export), content_type=EXPORT_TYPES[export])
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.{export}"'
    return response


def _export_urls(request: HttpRequest) -> dict[str, str]:
    """The current page's filters with ?format=csv / xlsx."""
    urls = {}
    for export in EXPORT_TYPES:
        query = request.GET.copy()
        query["format"] = export
        urls[f"{export}_url"] = f"?{query.urlencode()}"
    return urls


class _OptionalSelect(forms.Select):
    # Django reads a select's first option to decide on the "required" attribute, which for a
    # model choice without an empty option costs one more query; every filter here is optional.
    def use_required_attribute(self, initial) -> bool:
        return False


class DashboardFilters(forms.Form):
    """The dashboard's filters, read from the query string; the newest report by default."""

    report = forms.ModelChoiceField(
        queryset=ImplementationReport.objects.none(),
        label=_("Report"),
        required=False,
        empty_label=None,
        widget=_OptionalSelect,
    )
    chapter = forms.ModelChoiceField(
        queryset=Chapter.objects.none(), label=_("Chapter"), required=False, empty_label=_("All chapters")
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", _("All urgencies")), *Urgency.choices], required=False
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(), label=_("Theme"), required=False, empty_label=_("All themes")
    )
    # The Parties at this step of the escalation ladder or higher (choices: in the page's language).
    step = forms.TypedChoiceField(label=_("Escalation"), coerce=int, empty_value=None, required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        # The follow-up of adopted reports: a report in preparation has none yet.
        self.fields["report"].queryset = access.scoped(ImplementationReport, user).filter(
            status=ImplementationReport.Status.ADOPTED
        )
        self.fields["theme"].queryset = access.scoped(Theme, user)
        self.fields["step"].choices = [
            ("", _("Any step or none")),
            *(
                (value, _("%(step)s or higher") % {"step": label})
                for value, label in EscalationStep.Step.choices
            ),
        ]
        chapters = access.scoped(Chapter, user)
        report_id = data.get("report")
        self.fields["chapter"].queryset = chapters.filter(report=report_id) if report_id else chapters.none()

    def selection(self) -> dict:
        """The filters that validated (an unknown value is ignored, not an error page)."""
        self.is_valid()
        chosen = {name: self.cleaned_data.get(name) for name in self.fields}
        return {name: value for name, value in chosen.items() if value}


def _dashboard_filters(request: HttpRequest) -> DashboardFilters:
    data = request.GET.copy()
    if not data.get("report"):
        # The newest report, so the columns never mix two reports' numbering.
        adopted = access.scoped(ImplementationReport, request.user).filter(
            status=ImplementationReport.Status.ADOPTED
        )
        newest = adopted.values_list("pk", flat=True).first()
        if newest:
            data["report"] = str(newest)
    return DashboardFilters(data, user=request.user)


def dashboard(request: HttpRequest) -> HttpResponse:
    """Parties × recommendations of a report, coloured by status; CSV/XLSX with ?format=."""
    _require_overview_reader(request)
    form = _dashboard_filters(request)
    filters = form.selection()
    matrix = compliance.compliance_matrix(user=request.user, **filters)
    export = request.GET.get("format")
    if export in EXPORT_TYPES:
        report = filters.get("report")
        name = f"compliance-{report.reference}" if report else "compliance"
        return _export(request, compliance.matrix_dataset(matrix), export, name)
    context = {
        **admin.site.each_context(request),
        "title": _("Compliance dashboard"),
        "form": form,
        "report": filters.get("report"),
        "matrix": matrix,
        "header": _matrix_header(matrix),
        "rows": _matrix_rows(matrix),
        "recommendation_totals": _recommendation_totals(matrix),
        "legend": _legend(),
        "escalation": compliance.escalation_steps(
            user=request.user, report=filters.get("report"), step=filters.get("step")
        ),
        "urgencies": [(label, URGENCY_DEFINITIONS[value]) for value, label in Urgency.choices],
        "non_compliant": compliance.non_compliant_after_deadline(user=request.user, **filters),
        **_compliance_reports_and_carried(request, filters.get("report")),
        **_export_urls(request),
    }
    return TemplateResponse(request, "admin/recommendations/dashboard.html", context)


def _compliance_reports_and_carried(request: HttpRequest, report: ImplementationReport | None) -> dict:
    """The report's adopted compliance reports, and the earlier rounds' follow-ups carried into it."""
    if report is None:
        return {"compliance_reports": [], "carried": []}
    return {
        "compliance_reports": compliance_reports.adopted_reports(request.user, recommendation__report=report),
        "carried": continuity.carried_into(request.user, report),
    }


def _compliance_reports_on(request: HttpRequest, recommendation: Recommendation) -> dict:
    """The recommendation's adopted compliance reports, and the one in preparation (if any); one query."""
    reports = compliance_reports.adopted_reports(
        request.user, recommendation=recommendation, in_preparation=True
    )
    return {
        "compliance_reports": [report for report in reports if report.is_adopted],
        "compliance_report_in_preparation": next((r for r in reports if not r.is_adopted), None),
    }


def compliance_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Every Party concerned by one recommendation; CSV/XLSX with ?format=."""
    _require_overview_reader(request)
    recommendations = access.scoped(Recommendation, request.user).select_related("report", "chapter")
    recommendation = get_object_or_404(recommendations, pk=pk)
    report = compliance.compliance_report(user=request.user, recommendation=recommendation)
    export = request.GET.get("format")
    if export in EXPORT_TYPES:
        name = f"compliance-{recommendation.report.reference}-{recommendation.number}"
        return _export(request, compliance.report_dataset(report), export, name)
    context = {
        **admin.site.each_context(request),
        "title": _("Compliance with recommendation %(number)s") % {"number": recommendation.number},
        "recommendation": recommendation,
        "compliance": report,
        "legend": _legend(),
        **_compliance_reports_on(request, recommendation),
        **_export_urls(request),
    }
    return TemplateResponse(request, "admin/recommendations/compliance_report.html", context)


class _Days:
    """Dates as the templates' filters print them, each distinct one formatted once."""

    def __init__(self, format_name: str) -> None:
        self.format_name, self.done = format_name, {}

    def __call__(self, value: datetime.date | datetime.datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
        if value not in self.done:
            self.done[value] = formats.date_format(value, self.format_name)
        return self.done[value]


def _profile_rows(rollup: compliance.PartyRollup, *, linked: bool, carried: dict[int, int]) -> str:
    """The profile's recommendations by report, written here as the matrix's rows are: a Party is
    addressed hundreds of recommendations, each with its history. `carried`: the round of each
    report that follow-ups were carried into."""
    urgencies, statuses = choice_labels(Recommendation, "urgency"), choice_labels(FollowUp, "assessed_status")
    reported = choice_labels(FollowUp, "reported_status")
    day, deadline = _Days("SHORT_DATE_FORMAT"), _Days("DATE_FORMAT")
    html = []
    for report, lines in itertools.groupby(rollup.lines, key=lambda line: line.recommendation.report):
        html.append(format_html('<tr><th colspan="6" scope="colgroup">{}</th></tr>', report))
        for line in lines:
            rec, follow_up = line.recommendation, line.follow_up
            number = rec.number
            if linked:
                number = format_html('<a href="{}">{}</a>', reverse(REPORT_URL, args=[rec.pk]), rec.number)
            if follow_up.carried_into_id in carried:
                into = _("carried into the round %(number)s report") % {
                    "number": carried[follow_up.carried_into_id]
                }
                number = format_html('{} <span class="carried">({})</span>', number, into)
            history = format_html_join(
                "",
                '<div class="assessment">{}: {} → {}</div>',
                (
                    (day(a.assessed_at), statuses.get(a.previous_status, ""), statuses.get(a.status, ""))
                    for a in line.assessments
                ),
            )
            html.append(
                format_html(
                    '<tr data-recommendation="{}" data-status="{}"><th scope="row">{}</th><td>{}</td>'
                    '<td><span class="compliance-swatch s-{}"></span> {}{}</td><td>{}</td><td>{}</td>'
                    "<td>{}</td></tr>",
                    rec.number,
                    follow_up.assessed_status,
                    number,
                    urgencies.get(rec.urgency, rec.urgency),
                    follow_up.assessed_status,
                    statuses.get(follow_up.assessed_status, follow_up.assessed_status),
                    format_html(" — <strong>{}</strong>", _("overdue")) if line.overdue else "",
                    reported.get(follow_up.reported_status, follow_up.reported_status),
                    deadline(follow_up.deadline) or "—",
                    history or "—",
                )
            )
    return mark_safe("".join(html))  # noqa: S308 - each piece went through format_html


def _history_rows(rollup: compliance.PartyRollup) -> str:
    """Every assessment of the Party's follow-ups, newest first (the profile's last table)."""
    statuses, when = choice_labels(Assessment, "status"), _Days("SHORT_DATETIME_FORMAT")
    return format_html_join(
        "",
        '<tr class="history-entry" data-recommendation="{}" data-status="{}"><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                a.recommendation_number,
                a.status,
                when(a.assessed_at),
                a.recommendation_number,
                statuses.get(a.previous_status, a.previous_status),
                statuses.get(a.status, a.status),
                (a.assessed_by.get_full_name() or a.assessed_by.username) if a.assessed_by else "",
                a.reasoning_html,
            )
            for a in rollup.history
        ),
    )


def _carried_into_rounds(request: HttpRequest, rollup: compliance.PartyRollup) -> dict[int, int]:
    """The reports the Party's follow-ups were carried into, by id: their round's number; one query."""
    ids = {line.follow_up.carried_into_id for line in rollup.lines} - {None}
    if not ids:
        return {}
    reports = access.scoped(ImplementationReport, request.user).filter(pk__in=ids).select_related("round")
    return {report.pk: report.round.number for report in reports}


def party_profile(request: HttpRequest, code: str) -> HttpResponse:
    """Everything addressed to one Party (States read theirs in the portal's follow-up pages)."""
    _require_overview_reader(request)
    party = get_object_or_404(access.parties_for(request.user), code=code.upper())
    rollup = compliance.party_rollup(user=request.user, party=party)
    context = {
        **admin.site.each_context(request),
        "title": _("Follow-up of %(party)s") % {"party": party.name},
        "party": party,
        "rollup": rollup,
        "rows": _profile_rows(
            rollup, linked=access.sees_everything(request.user), carried=_carried_into_rounds(request, rollup)
        ),
        "history": _history_rows(rollup),
        "legend": _legend(),
        "overview": access.sees_everything(request.user),
        "escalation": escalation.latest_steps(request.user, party=party),
    }
    return TemplateResponse(request, "admin/recommendations/party_profile.html", context)
