"""The State portal: where State representatives and stakeholders write and send their replies.

Views only translate HTTP into calls to monitoring.services and to the portal's selectors; every
row comes from secretariat.access, and a row outside the user's scope answers 404.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat import access, work

from .. import access as rules
from .. import services
from ..models import MonitoringRound, Question, Reply, Submission, Transition
from . import selectors
from .forms import DocumentForm, ReplyEditForm, ReplyForm, SubmitForm, question_choices, reply_choices

LOGIN_URL = "portal:login"
DOCUMENTS_PER_PAGE = 50


def _respondent_submission(user, number: int, *, write: bool = False) -> Submission:
    """The user's submission for round `number`; 404 if they take no part.

    Reading writes nothing: until the user's first write, it is a draft not saved yet
    (services.submission_to_show). For a write (`write`), the first one opens it
    (services.submission_for_respondent).
    """
    round = get_object_or_404(access.scoped(MonitoringRound, user), number=number)
    find = services.submission_for_respondent if write else services.submission_to_show
    submission = find(round=round, user=user)
    if submission is None:
        raise Http404
    if submission.pk is None:
        return submission
    scoped = access.scoped(Submission, user).select_related("round", "party", "organisation")
    return get_object_or_404(scoped, pk=submission.pk)


def _questionnaire_url(submission: Submission, anchor: str = "", *, section: int | None = None) -> str:
    """The questionnaire's page (the section of that order, if given), at `anchor`."""
    number = submission.round.number
    if section is None:
        url = reverse("portal:questionnaire", args=[number])
    else:
        url = reverse("portal:questionnaire_section", args=[number, section])
    return f"{url}#{anchor}" if anchor else url


def _url_of(page: selectors.Questionnaire, block: selectors.QuestionBlock | None, anchor: str = "") -> str:
    """The page of the section holding `block` (the first section's without one), at `anchor`."""
    if block is None:
        return _questionnaire_url(page.submission, anchor)
    return _questionnaire_url(page.submission, anchor, section=page.section_of(block).section.order)


def _block_of(page: selectors.Questionnaire, reply: Reply) -> selectors.QuestionBlock | None:
    """The first numbered question the reply answers (where the page shows it)."""
    return next((block for block in page.blocks if reply in block.replies), None)


def _notice(request: HttpRequest, level: int, text: str, anchor: str) -> None:
    """A message shown beside the reply or question `anchor` names ("r12", "q3"), where the page lands."""
    messages.add_message(request, level, text, extra_tags=f"at-{anchor}")


def _split_messages(request: HttpRequest) -> tuple[list, dict[str, list]]:
    """The messages for the top of the page, and those to show beside a reply or question."""
    top, beside = [], defaultdict(list)
    for message in messages.get_messages(request):
        anchor = next((tag[3:] for tag in message.extra_tags.split() if tag.startswith("at-")), None)
        if anchor:
            beside[anchor].append(message)
        else:
            top.append(message)
    return top, beside


@login_required(login_url=LOGIN_URL)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "rows": selectors.rounds_overview(request.user),
            # What the Secretariat waits for from the user's Party (or organisation), with deadlines.
            "waiting": work.items_for(request.user) if access.is_respondent(request.user) else [],
            "is_respondent": access.is_respondent(request.user),
            "sees_admin": access.works_in_admin(request.user),
        },
    )


@login_required(login_url=LOGIN_URL)
def questionnaire(request: HttpRequest, number: int, section: int | None = None) -> HttpResponse:
    """One section of the questionnaire with the submission's replies (the first section unless
    `section` names one), the table of contents of all; POST adds a reply to one numbered question.
    """
    submission = _respondent_submission(request.user, number)
    page = selectors.questionnaire(request.user, submission)
    editable = rules.may_edit(request.user, submission)
    current = page.section(section)
    if section is not None and current is None:
        raise Http404
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This submission cannot be changed now."))
            return redirect(_questionnaire_url(submission))
        block = page.block(_int(request.POST.get("question")))
        if block is None:
            raise Http404
        current = page.section_of(block)  # a refused reply is shown in its own section, with its errors
        block.form = _new_reply_form(page, block, data=request.POST, files=request.FILES)
        if reply := _save(request, block.form, submission):
            _notice(request, messages.SUCCESS, _("Your reply has been saved."), f"r{reply.pk}")
            return redirect(_url_of(page, block, f"r{reply.pk}"))
    if editable and current is not None:
        for block in current.questions:
            # The form just posted keeps its data and errors; the others are blank.
            if block.form is None:
                block.form = _new_reply_form(page, block)
    top_messages, beside = _split_messages(request)
    for block in page.blocks:
        block.messages = beside.get(f"q{block.question.pk}", [])
    reply_urls: dict[int, str] = {}  # where each reply is shown: a "see reply" may lead to another section
    for section_block in page.sections:
        url = _questionnaire_url(submission, section=section_block.section.order)
        for block in section_block.questions:
            for reply in block.replies:
                reply_urls.setdefault(reply.pk, f"{url}#r{reply.pk}")
    for reply in page.replies:
        reply.messages = beside.get(f"r{reply.pk}", [])
        reply.url = reply_urls.get(reply.pk, "")
    previous, following = page.neighbours(current) if current is not None else (None, None)
    context = {
        "page": page,
        "current": current,
        "previous": previous,
        "following": following,
        "submission": submission,
        "editable": editable,
        "may_submit": rules.may_submit(request.user, submission),
        "top_messages": top_messages,
    }
    return render(request, "portal/questionnaire.html", context)


def _new_reply_form(page, block, **kwargs) -> ReplyForm:
    """A blank reply to one numbered question, in the language of the page, the question pre-checked."""
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    initial = {"questions": [block.question.pk], "language": language}
    return ReplyForm(
        initial=initial,
        prefix=f"q{block.question.pk}",
        question_choices=question_choices(block.nodes),
        reply_choices=reply_choices(page.replies),
        **kwargs,
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save(request: HttpRequest, form: ReplyForm, submission: Submission, **kwargs) -> Reply | None:
    """Validate and save; errors (validation, permission) end up on the form. The reply, once saved.

    The first reply opens a submission not saved yet, with the reply (nothing stays if it fails).
    """
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            if submission.pk is None:
                submission = _respondent_submission(request.user, submission.round.number, write=True)
            return form.save(submission=submission, by=request.user, **kwargs)
    except ValidationError as error:
        form.add_model_errors(error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("This submission cannot be changed now."))
    return None


def _own_reply(request: HttpRequest, pk: int) -> Reply:
    return get_object_or_404(access.scoped(Reply, request.user).select_related("submission__round"), pk=pk)


@login_required(login_url=LOGIN_URL)
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one reply; a concurrent save is refused and both texts are shown, so nothing is lost."""
    own = _own_reply(request, pk)
    submission = own.submission
    if not rules.may_edit(request.user, submission):
        messages.error(request, _("This submission cannot be changed now."))
        return redirect(_questionnaire_url(submission))
    page = selectors.questionnaire(request.user, submission)
    reply = page.reply(own.pk)
    reply.text = own.text  # the page's replies carry their HTML; the form edits the Markdown
    conflict = None
    form = _edit_form(page, reply, data=request.POST or None, files=request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if _save(request, form, submission, reply=reply, based_on_version=form.cleaned_data["version"]):
                _notice(request, messages.SUCCESS, _("Your reply has been saved."), f"r{reply.pk}")
                return redirect(_url_of(page, _block_of(page, reply), f"r{reply.pk}"))
        except services.EditConflict as error:
            conflict = error.current
            form = _conflict_form(page, reply, request, conflict)
    back = _url_of(page, _block_of(page, reply), f"r{reply.pk}")
    context = {"form": form, "reply": reply, "submission": submission, "conflict": conflict, "back": back}
    return render(request, "portal/reply_edit.html", context)


def _edit_form(page, reply: Reply, **kwargs) -> ReplyEditForm:
    """The form offers the nodes of every numbered question the reply answers (all, if it answers none)."""
    answered_tops = {question.top_ref for question in reply.questions.all()}
    blocks = [block for block in page.blocks if block.question.ref in answered_tops] or page.blocks
    nodes = [node for block in blocks for node in block.nodes]
    initial = {
        "text": reply.text,
        "language": reply.language,
        "questions": [question.pk for question in reply.questions.all()],
        "see_reply": reply.see_reply_id,
        "version": reply.version,
    }
    return ReplyEditForm(
        initial=initial,
        question_choices=question_choices(nodes),
        reply_choices=reply_choices(page.replies, exclude=reply),
        **kwargs,
    )


def _conflict_form(page, reply: Reply, request: HttpRequest, current: Reply) -> ReplyEditForm:
    """The user's text kept as typed, now based on the version in the database: saving again is a choice."""
    data = request.POST.copy()
    data["version"] = current.version
    form = _edit_form(page, reply, data=data)
    form.is_valid()
    form.add_error(None, _("Saving now replaces their text with yours: merge the two texts first."))
    if request.FILES:
        form.add_error("attachment", _("Choose your file again: it was not kept."))
    return form


def _top_question(user, reply: Reply) -> Question | None:
    """The numbered question of the first node the reply answers (two queries)."""
    scoped = access.scoped(Question, user)
    first = scoped.filter(replies=reply).order_by("order", "pk").first()
    if first is None:
        return None
    return scoped.select_related("section").filter(round=first.round_id, ref=first.top_ref).first()


@require_POST
@login_required(login_url=LOGIN_URL)
def reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _own_reply(request, pk)
    submission = reply.submission
    top = _top_question(request.user, reply)  # back there, with the message beside it
    anchor = f"q{top.pk}" if top is not None else ""
    try:
        services.reply_delete(reply=reply, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("This submission cannot be changed now."))
    else:
        if anchor:
            _notice(request, messages.SUCCESS, _("The reply has been deleted."), anchor)
        else:
            messages.success(request, _("The reply has been deleted."))
    section = top.section.order if top is not None else None
    return redirect(_questionnaire_url(submission, anchor, section=section))


@login_required(login_url=LOGIN_URL)
def submit(request: HttpRequest, number: int) -> HttpResponse:
    """Send the submission to the Secretariat, the one step a respondent cannot undo: first a page
    saying what is still unanswered and what happens next, then (its POST, `confirmed`) the send.
    Only its author may, and only from draft or returned."""
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            with transaction.atomic():  # a refused first write opens nothing
                submission = _respondent_submission(request.user, number, write=True)
                services.submission_submit(submission=submission, by=request.user, comment=comment)
        except (services.InvalidTransition, PermissionDenied) as error:
            messages.error(request, str(error) or _("You may not send this submission."))
        else:
            messages.success(request, _("Your submission has been sent to the Secretariat. Thank you."))
        return redirect("portal:questionnaire", number)
    submission = _respondent_submission(request.user, number)
    if not rules.may_submit(request.user, submission):
        messages.error(request, _("You may not send this submission."))
        return redirect("portal:questionnaire", number)
    page = selectors.questionnaire(request.user, submission)
    if not page.replies:
        messages.error(request, _("There is no reply to submit yet."))
        return redirect("portal:questionnaire", number)
    for block in page.blocks:
        block.url = _url_of(page, block, f"q{block.question.pk}")
    context = {"page": page, "submission": submission, "form": form}
    return render(request, "portal/submit_confirm.html", context)


@require_POST
@login_required(login_url=LOGIN_URL)
def consent(request: HttpRequest, number: int) -> HttpResponse:
    """A stakeholder says whether its comments may be published (confidential by default)."""
    try:
        with transaction.atomic():  # a refused first write opens nothing
            submission = _respondent_submission(request.user, number, write=True)
            services.submission_set_consent(
                submission=submission, by=request.user, consent=request.POST.get("consent") == "yes"
            )
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your choice about publication has been saved."))
    return redirect("portal:questionnaire", number)


@login_required(login_url=LOGIN_URL)
def submission_history(request: HttpRequest, number: int) -> HttpResponse:
    """Who moved the user's own submission of round `number`, when, from which status to which, and why."""
    if not access.is_respondent(request.user):
        raise Http404
    submissions = access.scoped(Submission, request.user).filter(
        round__in=access.scoped(MonitoringRound, request.user)
    )
    # A respondent's scope holds one submission per round: their Party's, or their organisation's.
    submission = get_object_or_404(
        submissions.select_related("round", "party", "organisation"), round__number=number
    )
    transitions = access.scoped(Transition, request.user).filter(submission=submission).select_related("by")
    return render(
        request, "portal/submission_history.html", {"submission": submission, "transitions": transitions}
    )


@login_required(login_url=LOGIN_URL)
def documents(request: HttpRequest) -> HttpResponse:
    """The documents of the user's Party (or organisation); State users and stakeholders file new ones."""
    may_file = access.may_file_documents(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None) if may_file else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                document = form.file_for(by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The document %(document)s is filed.") % {"document": document})
                return redirect("portal:documents")
    listed = access.documents_for(request.user).select_related("party", "organisation")
    page = Paginator(listed, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/documents.html", {"page": page, "form": form})
