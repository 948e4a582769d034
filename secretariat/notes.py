"""Internal notes on cases: a thread of the Secretariat (and of Committee members on the cases of
their questions), in Markdown. Never shown to States or stakeholders: every read goes through
`access.scoped(Note, user)`, which gives them none, and no State-facing page, export or document
reads notes at all."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from . import access
from .history import set_author
from .models import Case, Note, User
from .text import render_markdown

MAX_LENGTH = 20_000


@transaction.atomic
def add_note(case: Case, text: str, *, by: User) -> Note:
    """Add `by`'s note to the thread of `case`."""
    if not access.may_write_note(by, case):
        raise PermissionDenied(_("You may not write notes on this case."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": _("A note holds at most %(max)d characters.") % {"max": MAX_LENGTH}})
    note = Note(case=case, author=by, text=text)
    set_author(note, by, _("note added"))
    note.save()
    return note


def thread(case: Case, user: User) -> QuerySet[Note]:
    """The notes on `case` that `user` may read, oldest first, with their authors."""
    return access.scoped(Note, user).filter(case=case).select_related("author").order_by("created_at", "pk")


def rendered(note: Note) -> SafeString:
    """The note's Markdown as sanitised HTML."""
    return render_markdown(note.text)
