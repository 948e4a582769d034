"""The portal's children's views: an organisation's contributors write what they learnt from the
children they consulted (counts, method, consent, summary, quotes, the report) and send it to the
Secretariat, which checks it for anything that would identify a child before registering it.

Only stakeholder contributors reach these pages (anyone else: 404), and only their organisation's
contributions (another's: 404). Views translate HTTP into calls to monitoring.participation; every
row comes from secretariat.access through participation_selectors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat import access

from .. import access as rules
from .. import participation
from ..models import ChildParticipation, ChildQuote
from . import participation_selectors as selectors
from .forms import SubmitForm
from .participation_forms import ContributionCreateForm, ContributionForm, QuoteForm, ReportForm

LOGIN_URL = "portal:login"
#: What a service may refuse: a rule (PermissionDenied), bad input (ValidationError), a move the
#: workflow does not allow (InvalidTransition).


def _organisation_id(request: HttpRequest) -> int:
    """The user's organisation; these pages do not exist for anyone but a stakeholder contributor."""
    organisation_id = access.stakeholder_organisation_id(request.user)
    if organisation_id is None:
        raise Http404
    return organisation_id


def _contribution(request: HttpRequest, pk: int) -> ChildParticipation:
    _organisation_id(request)
    contribution = selectors.contribution(request.user, pk)
    if contribution is None:
        raise Http404
    return contribution


def _editable(request: HttpRequest, contribution: ChildParticipation) -> bool:
    """Whether the user may change it now; if not, says so (the caller sends them back)."""
    if rules.may_edit_participation(request.user, contribution):
        return True
    messages.error(request, _("This contribution cannot be changed now."))
    return False


def _refusal(form, error: Exception) -> None:
    form.add_error(None, error if isinstance(error, ValidationError) else str(error) or _("Refused."))


@login_required(login_url=LOGIN_URL)
def contribution_list(request: HttpRequest) -> HttpResponse:
    """The organisation's contributions, by round, and the rounds open to a new one."""
    _organisation_id(request)
    context = {
        "contributions": list(selectors.contributions(request.user)),
        "open_rounds": list(selectors.open_rounds(request.user)),
    }
    return render(request, "portal/children/list.html", context)


@login_required(login_url=LOGIN_URL)
def contribution_new(request: HttpRequest, number: int) -> HttpResponse:
    """A new contribution to round `number` (open to the user's organisation), saved as a draft."""
    organisation_id = _organisation_id(request)
    round = get_object_or_404(selectors.open_rounds(request.user), number=number)
    instance = ChildParticipation(round=round, organisation_id=organisation_id)
    form = ContributionCreateForm(
        request.POST or None,
        instance=instance,
        initial={"party": selectors.party_choice(request.user, round)},
        parties=selectors.round_parties(round),
        questions=selectors.round_questions(request.user, round),
        sections=selectors.round_sections(request.user, round),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contribution = participation.participation_create(
                    round=round,
                    party=form.cleaned_data["party"],
                    organisation=request.user.organisation,
                    by=request.user,
                    questions=form.cleaned_data["questions"],
                    sections=form.cleaned_data["sections"],
                    **form.service_fields(),
                )
        except participation.REFUSALS as error:
            _refusal(form, error)
        else:
            messages.success(request, _("Your contribution has been saved as a draft."))
            return redirect("portal:children_detail", contribution.pk)
    return render(request, "portal/children/form.html", {"form": form, "round": round, "contribution": None})


@login_required(login_url=LOGIN_URL)
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The contribution as the Secretariat will read it, its quotes and reports; POST uploads a report."""
    contribution = _contribution(request, pk)
    editable = rules.may_edit_participation(request.user, contribution)
    form = ReportForm(request.POST or None, request.FILES or None) if editable else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This contribution cannot be changed now."))
            return redirect("portal:children_detail", pk)
        if form.is_valid():
            try:
                report = form.save(commit=False)
                participation.report_add(contribution=contribution, report=report, by=request.user)
            except participation.REFUSALS as error:
                _refusal(form, error)
            else:
                messages.success(request, _("The report %(report)s has been added.") % {"report": report})
                return redirect("portal:children_detail", pk)
    context = {
        "contribution": contribution,
        "editable": editable,
        "may_submit": rules.may_submit_participation(request.user, contribution),
        "report_form": form,
    }
    return render(request, "portal/children/detail.html", context)


@login_required(login_url=LOGIN_URL)
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft (or a returned) contribution; nothing is saved unless all of it is right."""
    contribution = _contribution(request, pk)
    if not _editable(request, contribution):
        return redirect("portal:children_detail", pk)
    form = ContributionForm(
        request.POST or None,
        instance=contribution,
        questions=selectors.round_questions(
            request.user, contribution.round, keep=contribution.questions.all()
        ),
        sections=selectors.round_sections(request.user, contribution.round),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                participation.participation_save(
                    contribution=form.instance,
                    by=request.user,
                    questions=form.cleaned_data["questions"],
                    sections=form.cleaned_data["sections"],
                )
        except participation.REFUSALS as error:
            _refusal(form, error)
        else:
            messages.success(request, _("Your contribution has been saved."))
            return redirect("portal:children_detail", pk)
    context = {"form": form, "round": contribution.round, "contribution": contribution}
    return render(request, "portal/children/form.html", context)


def _quote_form(request: HttpRequest, contribution: ChildParticipation, quote: ChildQuote) -> QuoteForm:
    keep = quote.questions.all() if quote.pk else None
    return QuoteForm(
        request.POST or None,
        instance=quote,
        questions=selectors.round_questions(request.user, contribution.round, keep=keep),
    )


def _quote_page(request: HttpRequest, contribution: ChildParticipation, quote: ChildQuote) -> HttpResponse:
    """The quote's form (new or existing); saved through the service, which refuses contact details."""
    if not _editable(request, contribution):
        return redirect("portal:children_detail", contribution.pk)
    form = _quote_form(request, contribution, quote)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                participation.quote_save(
                    quote=form.instance, by=request.user, questions=form.cleaned_data["questions"]
                )
        except participation.REFUSALS as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The quote has been saved."))
            return redirect(f"{_detail_url(contribution)}#quotes")
    context = {"form": form, "contribution": contribution, "quote": quote}
    return render(request, "portal/children/quote_form.html", context)


def _detail_url(contribution: ChildParticipation) -> str:
    return reverse("portal:children_detail", args=[contribution.pk])


@login_required(login_url=LOGIN_URL)
def quote_new(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _contribution(request, pk)
    return _quote_page(request, contribution, ChildQuote(contribution=contribution))


def _own_quote(request: HttpRequest, pk: int) -> ChildQuote:
    _organisation_id(request)
    quote = selectors.quote(request.user, pk)
    if quote is None:
        raise Http404
    return quote


@login_required(login_url=LOGIN_URL)
def quote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _own_quote(request, pk)
    return _quote_page(request, quote.contribution, quote)


@require_POST
@login_required(login_url=LOGIN_URL)
def quote_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _own_quote(request, pk)
    contribution = quote.contribution
    try:
        participation.quote_delete(quote=quote, by=request.user)
    except participation.REFUSALS as error:
        messages.error(
            request, participation.refusal_text(error) or _("This contribution cannot be changed now.")
        )
    else:
        messages.success(request, _("The quote has been deleted."))
    return redirect(f"{_detail_url(contribution)}#quotes")


@login_required(login_url=LOGIN_URL)
def contribution_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the contribution to the Secretariat, which its authors cannot undo: first a page saying
    what is sent and what happens next, then (its POST, `confirmed`) the send."""
    contribution = _contribution(request, pk)
    if not rules.may_submit_participation(request.user, contribution):
        messages.error(request, _("You may not send this contribution."))
        return redirect("portal:children_detail", pk)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            participation.participation_submit(contribution=contribution, by=request.user, comment=comment)
        except participation.REFUSALS as error:
            messages.error(
                request, participation.refusal_text(error) or _("You may not send this contribution.")
            )
        else:
            messages.success(request, _("Your contribution has been sent to the Secretariat. Thank you."))
        return redirect("portal:children_detail", pk)
    return render(request, "portal/children/send_confirm.html", {"contribution": contribution, "form": form})


@login_required(login_url=LOGIN_URL)
def contribution_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who moved the contribution, when, from which status to which, and the Secretariat's message."""
    contribution = _contribution(request, pk)
    context = {"contribution": contribution, "transitions": selectors.transitions(request.user, contribution)}
    return render(request, "portal/children/history.html", context)
