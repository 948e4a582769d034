"""The event of a document prepared in the background ("document.finished"): its requester is told."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .events import Event
from .models import GeneratedDocument, User
from .notifications import EventType, Text


def _requester(event: Event) -> list[User]:
    return [event.subject.requested_by]


def _text(event: Event, user: User) -> Text:
    document: GeneratedDocument = event.subject
    values = {"title": document.title}
    if event.context.get("status", document.status) == GeneratedDocument.Status.DONE:
        subject = _("Document ready: %(title)s") % values
        body = _("%(title)s is ready to download.") % values
    else:
        subject = _("Document failed: %(title)s") % values
        body = _("%(title)s could not be prepared: %(reason)s") % {**values, "reason": document.error}
    return subject, body, reverse("admin:secretariat_generateddocument_change", args=[document.pk])


DOCUMENT_FINISHED = EventType(
    key="document.finished",
    label=gettext_lazy("Document prepared or failed"),
    recipients=_requester,
    text=_text,
)
