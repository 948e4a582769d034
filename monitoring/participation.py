"""Everything that changes children's views: contributions, quotes, reports, their workflow and the
safeguarding decisions.

The portal (an organisation's contributors), the admin (the Secretariat) and any command call
these functions; nothing else writes `ChildParticipation.status` or a `SafeguardingFlag`. Each
function checks the write rules of monitoring/access.py, validates with `full_clean`, records its
author in the history and runs in one transaction: a refusal leaves the database as it was.

Safeguarding (monitoring/safeguarding.py): contact details are refused whenever a quote or the
summary is saved; the other findings become open flags when the contribution is sent (and again
whenever the Secretariat changes a text under review), and a contribution with an open flag cannot
be registered until the Secretariat redacts the words or confirms they identify nobody.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from secretariat.history import set_author
from secretariat.models import Organisation, Party, User

from . import safeguarding
from .access import (
    PARTICIPATION_MOVERS,
    may_create_participation,
    may_edit_participation,
    may_review_participation,
)
from .models import (
    ChildParticipation,
    ChildParticipationReport,
    ChildParticipationTransition,
    ChildQuote,
    Language,
    MonitoringRound,
    Question,
    SafeguardingFlag,
    Section,
)
from .workflow import InvalidTransition, Workflow

Status = ChildParticipation.Status
Decision = SafeguardingFlag.Decision

#: While the Secretariat reviews a contribution: flags are kept in step with its texts, and decided.
UNDER_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

#: What replaces redacted words, in the text's language.
REDACTED = {Language.ENGLISH: "[redacted]", Language.FRENCH: "[supprimé]"}


#: What the services raise to refuse (nothing changed): the portal and the admin show it to the user.
REFUSALS = (PermissionDenied, ValidationError, InvalidTransition)


def refusal_text(error: Exception) -> str:
    """A refusal as one line for a message (a ValidationError's messages, not its repr)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- locks and checks -----------------------------------------------------------------------------


def _lock(contribution: ChildParticipation) -> ChildParticipation:
    """Lock the contribution's row until the transaction ends and read its status again, so that
    nothing is changed once it is sent or registered by someone else meanwhile."""
    return CONTRIBUTIONS.lock(contribution)


def _lock_for_editing(contribution: ChildParticipation, by: User) -> ChildParticipation:
    stored = ChildParticipation.objects.values("round_id", "organisation_id").get(pk=contribution.pk)
    if (contribution.round_id, contribution.organisation_id) != (
        stored["round_id"],
        stored["organisation_id"],
    ):
        raise ValidationError(_("The round and the organisation of a contribution cannot be changed."))
    if not may_edit_participation(by, _lock(contribution)):
        raise PermissionDenied(_("This contribution cannot be changed now."))
    return contribution


def _of_round(model: type[models.Model], round_id: int, chosen: Iterable, field: str) -> list:
    """The questions (or themes) chosen, each of the contribution's round; ValidationError otherwise."""
    ids = {getattr(item, "pk", item) for item in chosen}
    found = list(model.objects.filter(round=round_id, pk__in=ids))
    if len(found) != len(ids):
        message = (
            _("Choose questions of this round's questionnaire only.")
            if model is Question
            else _("Choose themes of this round's questionnaire only.")
        )
        raise ValidationError({field: message})
    return found


def refuse_contact_details(text: str, *, field: str, language: str | None, what: str) -> None:
    """Contact details are never stored: the save is refused, saying what was found and where."""
    found = safeguarding.contact_details(text, language)
    if not found:
        return
    details = get_text_list(
        [f"{SafeguardingFlag.Kind(match.kind).label} ({match.text})" for match in found], _("and")
    )
    raise ValidationError(
        {
            field: ngettext(
                "%(what)s contains %(details)s: remove it. Contact details of a child must never be sent.",
                "%(what)s contains %(details)s: remove them. Contact details of a child must never be sent.",
                len(found),
            )
            % {"what": what, "details": details}
        }
    )


def _validated(contribution: ChildParticipation) -> None:
    contribution.full_clean()
    refuse_contact_details(
        contribution.summary,
        field="summary",
        language=None,
        what=_("The summary"),
    )


# --- contributions, quotes and reports -------------------------------------------------------------


@transaction.atomic
def participation_create(
    *,
    round: MonitoringRound,
    party: Party,
    organisation: Organisation,
    by: User,
    questions: Iterable = (),
    sections: Iterable = (),
    **fields,
) -> ChildParticipation:
    """Open a draft contribution of `organisation` on `party` for `round`, with the questions and
    themes it speaks to. Its counts must add up and the Party must take part in the round."""
    if not may_create_participation(by, organisation):
        raise PermissionDenied(_("You may not record a contribution for this organisation."))
    unknown = set(fields) - set(_editable_fields())
    if unknown:
        raise ValidationError(
            _("These fields cannot be set: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    contribution = ChildParticipation(round=round, party=party, organisation=organisation, **fields)
    _validated(contribution)
    chosen_questions = _of_round(Question, round.pk, questions, "questions")
    chosen_sections = _of_round(Section, round.pk, sections, "sections")
    set_author(contribution, by, "created")
    contribution.save()
    contribution.questions.set(chosen_questions)
    contribution.sections.set(chosen_sections)
    return contribution


def _editable_fields() -> list[str]:
    fixed = {"id", "round", "party", "organisation", "status", "created_at"}
    return [
        field.name
        for field in ChildParticipation._meta.concrete_fields
        if field.editable and field.name not in fixed
    ]


@transaction.atomic
def participation_save(
    *,
    contribution: ChildParticipation,
    by: User,
    questions: Iterable | None = None,
    sections: Iterable | None = None,
) -> ChildParticipation:
    """Save the changes made to `contribution` (and, if given, its questions and themes)."""
    _lock_for_editing(contribution, by)
    _validated(contribution)
    chosen_questions = (
        None if questions is None else _of_round(Question, contribution.round_id, questions, "questions")
    )
    chosen_sections = (
        None if sections is None else _of_round(Section, contribution.round_id, sections, "sections")
    )
    set_author(contribution, by, "changed")
    contribution.save()
    if chosen_questions is not None:
        contribution.questions.set(chosen_questions)
    if chosen_sections is not None:
        contribution.sections.set(chosen_sections)
    _refresh_flags_under_review(contribution)
    return contribution


@transaction.atomic
def quote_save(*, quote: ChildQuote, by: User, questions: Iterable | None = None) -> ChildQuote:
    """Add or change a quote of an editable contribution. A quote with contact details is refused;
    other findings are flagged when the contribution is sent."""
    contribution = quote.contribution
    _lock_for_editing(contribution, by)
    if quote.pk and ChildQuote.objects.filter(pk=quote.pk).values_list("contribution", flat=True).get() != (
        contribution.pk
    ):
        raise PermissionDenied(_("A quote cannot move to another contribution."))
    if not quote.pk and not quote.order:
        quote.order = contribution.quotes.count() + 1
    quote.full_clean(exclude=["questions"])
    refuse_contact_details(quote.text, field="text", language=quote.language, what=_("The quote"))
    chosen = None if questions is None else _of_round(Question, contribution.round_id, questions, "questions")
    set_author(quote, by, "changed" if quote.pk else "added")
    quote.save()
    if chosen is not None:
        quote.questions.set(chosen)
    _refresh_flags_under_review(contribution)
    return quote


@transaction.atomic
def quote_delete(*, quote: ChildQuote, by: User) -> None:
    _lock_for_editing(quote.contribution, by)
    set_author(quote, by, "deleted")
    quote.delete()  # its flags go with it


@transaction.atomic
def report_add(
    *, contribution: ChildParticipation, report: ChildParticipationReport, by: User
) -> ChildParticipationReport:
    """File the organisation's report of the activity (type and size checked by the model)."""
    _lock_for_editing(contribution, by)
    report.contribution = contribution
    report.full_clean()
    set_author(report, by)
    report.save()
    return report


# --- the workflow ------------------------------------------------------------------------------


CONTRIBUTIONS = Workflow(
    model=ChildParticipation,
    movers=PARTICIPATION_MOVERS,
    record_transition=lambda contribution, old, to, by, comment: ChildParticipationTransition.objects.create(
        contribution=contribution, from_status=old, to_status=to, by=by, comment=comment
    ),
    # "participation.submitted", ".resubmitted", ".registered", ".returned" (monitoring/events.py).
    event="participation",
    refusals={
        "missing": gettext_lazy("This contribution does not exist."),
        "not_allowed": gettext_lazy("You may not mark this contribution as “%(status)s”."),
        "out_of_order": gettext_lazy("A contribution that is “%(old)s” cannot become “%(new)s”."),
        "changed": gettext_lazy("This contribution was changed by someone else; reload it and try again."),
    },
)


def _move(
    *, contribution: ChildParticipation, to: str, by: User, comment: str = "", **fields
) -> ChildParticipation:
    return CONTRIBUTIONS.move(contribution, to=to, by=by, comment=comment, **fields)


@transaction.atomic
def participation_submit(
    *, contribution: ChildParticipation, by: User, comment: str = ""
) -> ChildParticipation:
    """The organisation sends its contribution (or sends it again after a return) to the Secretariat;
    the safeguarding check then flags what in its summary and quotes could identify a child."""
    _lock(contribution)
    to = Status.RESUBMITTED if contribution.status == Status.RETURNED else Status.SUBMITTED
    if not PARTICIPATION_MOVERS[to](by, contribution):
        raise InvalidTransition(_("You may not send this contribution."))
    if not contribution.summary.strip() and not contribution.quotes.exists():
        raise InvalidTransition(
            _("There is nothing to send yet: write the summary of the children's views or add quotes.")
        )
    _move(contribution=contribution, to=to, by=by, comment=comment, submitted_at=timezone.now())
    refresh_flags(contribution)
    return contribution


@transaction.atomic
def participation_return(*, contribution: ChildParticipation, by: User, message: str) -> ChildParticipation:
    """The Secretariat returns a contribution to its organisation, saying what is needed."""
    if not message.strip():
        raise InvalidTransition(_("Say what needs changing: the message is required."))
    return _move(contribution=contribution, to=Status.RETURNED, by=by, comment=message)


@transaction.atomic
def participation_register(
    *, contribution: ChildParticipation, by: User, comment: str = ""
) -> ChildParticipation:
    """The Secretariat registers a contribution once every safeguarding flag is decided; it is
    read-only from then on, and the round's rapporteurs see it."""
    if not may_review_participation(by, contribution):
        raise InvalidTransition(
            _("You may not mark this contribution as “%(status)s”.") % {"status": Status.REGISTERED.label}
        )
    _lock(contribution)
    if contribution.status in UNDER_REVIEW:
        refresh_flags(contribution)
    if open_flags := list(contribution.flags.filter(decision=Decision.OPEN).select_related("quote")):
        raise ValidationError(
            _("Decide on what the safeguarding check found before registering: %(flags)s.")
            % {"flags": get_text_list([_describe(flag) for flag in open_flags], _("and"))}
        )
    return _move(
        contribution=contribution,
        to=Status.REGISTERED,
        by=by,
        comment=comment,
        registered_at=timezone.now(),
        registered_by=by,
    )


def _describe(flag: SafeguardingFlag) -> str:
    values = {"kind": flag.get_kind_display(), "words": flag.matched}
    if flag.quote_id is None:
        return _("%(kind)s (%(words)s) in the summary") % values
    return _("%(kind)s (%(words)s) in quote %(order)s") % {**values, "order": flag.quote.order}


# --- the safeguarding flags -------------------------------------------------------------------------


def _texts(
    contribution: ChildParticipation, quote: ChildQuote | None = None
) -> list[tuple[ChildQuote | None, str, str]]:
    """(quote or None for the summary, text, language) of every text the check reads."""
    if quote is not None:
        return [(quote, quote.text, quote.language)]
    summary = [(None, contribution.summary, safeguarding.guess_language(contribution.summary))]
    return summary + [(q, q.text, q.language) for q in contribution.quotes.order_by("order", "pk")]


def refresh_flags(
    contribution: ChildParticipation, *, quote: ChildQuote | None = None, only_summary: bool = False
) -> None:
    """Bring the open flags in step with the texts (all of them, or one quote's, or the summary's):
    a flag for each distinct finding not already confirmed as identifying nobody; open flags whose
    words are gone are dropped. Decisions taken (redacted, confirmed) are kept as records."""
    texts = _texts(contribution, quote)
    if only_summary:
        texts = texts[:1]
    flags = contribution.flags.all()
    for q, text, language in texts:
        in_text = flags.filter(quote=q) if q is not None else flags.filter(quote__isnull=True)
        confirmed = set(in_text.filter(decision=Decision.CONFIRMED).values_list("kind", "matched"))
        wanted = {
            (str(match.kind), match.text[:200])  # the flag's kind as stored: its value
            for match in safeguarding.check(text, language)
        } - confirmed
        open_flags = {(flag.kind, flag.matched): flag for flag in in_text.filter(decision=Decision.OPEN)}
        for key, flag in open_flags.items():
            if key not in wanted:
                flag.delete()
        SafeguardingFlag.objects.bulk_create(
            SafeguardingFlag(contribution=contribution, quote=q, kind=kind, matched=words)
            for kind, words in sorted(wanted - set(open_flags))
        )


def _refresh_flags_under_review(contribution: ChildParticipation) -> None:
    """A text the Secretariat changes under review is checked again at once: registration reads the flags."""
    if contribution.status in UNDER_REVIEW:
        refresh_flags(contribution)


def _lock_for_decision(flag: SafeguardingFlag, by: User) -> ChildParticipation:
    contribution = flag.contribution
    if not may_review_participation(by, contribution):
        raise PermissionDenied(_("Only the Secretariat decides on what the safeguarding check found."))
    _lock(contribution)
    if contribution.status not in UNDER_REVIEW:
        raise ValidationError(
            _("Flags are decided while the contribution is under review, before it is registered.")
        )
    flag.refresh_from_db()
    if flag.decision != Decision.OPEN:
        raise ValidationError(
            _("This flag is already decided: %(decision)s.") % {"decision": flag.get_decision_display()}
        )
    return contribution


def _redacted(text: str, words: str, language: str) -> str:
    """Every occurrence of `words` as whole words (a "Tom" does not take "Tomorrow" with it)."""
    pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)")
    return pattern.sub(REDACTED.get(language, REDACTED[Language.ENGLISH]), text)


@transaction.atomic
def flag_redact(*, flag: SafeguardingFlag, by: User) -> SafeguardingFlag:
    """Replace every occurrence of the flagged words in its quote (or the summary) with
    "[redacted]" / "[supprimé]", in the text, its rendering and its history, and record the decision.

    The history is rewritten on purpose: the words identify a child, and a safeguarding redaction
    must leave them nowhere (the flag's `matched` is kept out of the history for the same reason).
    """
    contribution = _lock_for_decision(flag, by)
    words = flag.matched
    if flag.quote_id is not None:
        quote = flag.quote
        quote.text = _redacted(quote.text, words, quote.language)
        set_author(quote, by, "redacted")
        quote.save(update_fields=["text"])
        _scrub_history(ChildQuote.history.filter(id=quote.pk), "text", words, quote.language)
    else:
        language = safeguarding.guess_language(contribution.summary)
        contribution.summary = _redacted(contribution.summary, words, language)
        set_author(contribution, by, "redacted")
        contribution.save(update_fields=["summary"])  # its HTML and excerpt are rendered again
        _scrub_history(ChildParticipation.history.filter(id=contribution.pk), "summary", words, language)
    flag.matched = ""
    _decide(flag, by, Decision.REDACTED)
    # Overlapping findings of the same text are now gone, or changed: check that text again.
    refresh_flags(contribution, quote=flag.quote, only_summary=flag.quote_id is None)
    return flag


def _scrub_history(history: models.QuerySet, field: str, words: str, language: str) -> None:
    for row in history.filter(**{f"{field}__contains": words}):
        setattr(row, field, _redacted(getattr(row, field), words, language))
        row.save(update_fields=[field])


@transaction.atomic
def flag_confirm(*, flag: SafeguardingFlag, by: User, reason: str) -> SafeguardingFlag:
    """Keep the flagged words: the Secretariat confirms, saying why, that they identify no child."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why these words do not identify a child: the reason is required.")}
        )
    _lock_for_decision(flag, by)
    flag.reason = reason.strip()
    return _decide(flag, by, Decision.CONFIRMED)


def _decide(flag: SafeguardingFlag, by: User, decision: str) -> SafeguardingFlag:
    flag.decision, flag.decided_by, flag.decided_at = decision, by, timezone.now()
    flag.full_clean()
    set_author(flag, by, str(decision))
    flag.save()
    return flag
