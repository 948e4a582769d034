"""The event of a background import that ended ("import.finished"): its author is told how."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .events import Event
from .models import ImportJob, User
from .notifications import EventType, Text

Status = ImportJob.Status


def _author(event: Event) -> list[User]:
    return [event.subject.user]


def _text(event: Event, user: User) -> Text:
    job: ImportJob = event.subject
    values = {"file": job.file_name, "kind": job.kind}
    status = event.context.get("status", job.status)
    if status == Status.CHECKED:
        subject = _("Import checked: %(file)s") % values
        body = _("%(file)s (%(kind)s) was checked. Look at the preview and confirm the import.") % values
    elif status == Status.UNCHANGED:
        subject = _("Import: nothing to change: %(file)s") % values
        body = _("%(file)s (%(kind)s) says what the database already says: nothing was imported.") % values
    elif status == Status.DONE:
        subject = _("Import done: %(file)s") % values
        body = _("%(file)s (%(kind)s) was imported.") % values
    else:
        subject = _("Import failed: %(file)s") % values
        body = _("%(file)s (%(kind)s) was not imported: nothing was written. %(reason)s") % {
            **values,
            "reason": " ".join(job.errors[:3]),
        }
    return subject, body, reverse("import_job", args=[job.pk])


IMPORT_FINISHED = EventType(
    key="import.finished", label=gettext_lazy("Import finished or failed"), recipients=_author, text=_text
)
