"""The decision "Send a letter" (secretariat.meetings): the Committee asks the Secretariat to write
to the Party an agenda item concerns, with one of the standard letters (`LetterTemplate`).

The letter is written as the case page's "Write a letter" writes it (`correspondence.send_letter`:
filled from the Party's case about the item's subject, filed as the Party's documents, recorded in
its correspondence log) and, if the decision says so, e-mailed to the Party's coordinators through
Django's mail backend (`correspondence.email_letter`). Refused when the item concerns no Party or
the Party has no case about the item's subject (a report's follow-up, a round's submission).
"""

import datetime
import smtplib

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, correspondence
from .meetings import DecisionKind, register_decision_kind
from .models import AgendaItem, Case, Decision, Language, LetterTemplate, User

SUMMARY = gettext_lazy("Letter: %(letter)s (%(language)s).")


def letter_fields(item: AgendaItem, user: User) -> dict[str, forms.Field]:
    language = correspondence.default_language(item.party) if item.party_id else Language.ENGLISH
    return {
        "letter": forms.ChoiceField(label=gettext_lazy("letter"), choices=LetterTemplate.Letter.choices),
        "language": forms.ChoiceField(
            label=gettext_lazy("language"), choices=Language.choices, initial=language
        ),
        "message": forms.CharField(
            label=gettext_lazy("message"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=gettext_lazy("The message of a return or a request: {{ message }} in the template."),
        ),
        "deadline": forms.DateField(
            label=gettext_lazy("date asked for"),
            required=False,
            widget=AdminDateWidget,
            help_text=gettext_lazy("For instance the date by which information is due: {{ deadline }}."),
        ),
        "email": forms.BooleanField(
            label=gettext_lazy("also e-mail it to the Party's coordinators"), required=False
        ),
    }


def case_for(item: AgendaItem, user: User) -> Case:
    """The Party's case about the item's subject, which the letter is about; refused without."""
    if item.party_id is None:
        raise ValidationError(_("This item concerns no Party: a letter goes to the Party an item concerns."))
    case = (
        access.scoped(Case, user)
        .filter(subject_type=item.subject_type_id, subject_id=item.subject_id, party=item.party_id)
        .select_related("party", "handler")
        .order_by("-opened_at", "-pk")
        .first()
        if item.subject_id is not None
        else None
    )
    if case is None:
        raise ValidationError(
            _("%(party)s has no case about this item's subject: write the letter from the Party's case.")
            % {"party": item.party}
        )
    return case


def send_letter(decision: Decision, by: User) -> str:
    """Write the letter the decision chose to the item's Party, in its case; e-mail it if asked."""
    details = decision.details
    case = case_for(decision.item, by)
    deadline = datetime.date.fromisoformat(details["deadline"]) if details.get("deadline") else None
    sent = correspondence.send_letter(
        case,
        details["letter"],
        details["language"],
        by=by,
        extra={"message": details.get("message", ""), "deadline": deadline},
    )
    done = _("Letter “%(subject)s” recorded in the correspondence of %(party)s.") % {
        "subject": sent.correspondence.subject,
        "party": case.party,
    }
    if not details.get("email"):
        return done
    try:
        recipients = correspondence.email_letter(sent, by=by)
    except (OSError, smtplib.SMTPException) as error:
        # The letter is written and recorded: only the e-mail failed; it may be sent by hand.
        return f"{done} {_('It could not be e-mailed: %(error)s') % {'error': error}}"
    if not recipients:
        return f"{done} {_('Not e-mailed: the Party has no coordinator with an e-mail address.')}"
    return f"{done} {_('E-mailed to %(recipients)s.') % {'recipients': ', '.join(recipients)}}"


def summary(decision: Decision) -> str:
    letter = decision.details.get("letter", "")
    if letter not in LetterTemplate.Letter.values:
        return ""
    return str(
        SUMMARY
        % {
            "letter": LetterTemplate.Letter(letter).label,
            "language": Language(decision.details.get("language", Language.ENGLISH)).label,
        }
    )


SEND_LETTER = DecisionKind(
    "send_letter", gettext_lazy("Send a letter"), send_letter, fields=letter_fields, summary=summary
)
register_decision_kind(SEND_LETTER)
