"""Documents prepared in the background (a whole round's compilation …): the kinds' registry and
the services the admin, the worker and the apps call.

An app registers a `DocumentKind` from its `ready()` (monitoring registers "compilation"); the
core knows only its name and its writer. `document_request` records a `GeneratedDocument` and
queues the worker's task (`tasks.generate_document`), which runs `document_generate`: the kind
writes the file while reporting its progress on the row, and the requester is told when it is
ready (the event "document.finished"). No request ever builds such a document itself.
"""

import datetime
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.cache import caches
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from . import events, task_queue
from .history import set_author
from .models import GeneratedDocument, User

logger = logging.getLogger(__name__)

#: progress(done, total): called by a writer as it goes (a question written, for a compilation).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document the worker prepares: `write` writes `document` (its parameters say
    what) to `output`, calling `progress`, and returns the file's name."""

    name: str
    write: Callable[[GeneratedDocument, BinaryIO, Progress], str]
    label: str = ""  # what the admin calls it (a lazy translation); the name when empty


def kind_label(name: str) -> str:
    """A kind's label, or its name when no app registers it (any more)."""
    kind = KINDS.get(name)
    return str(kind.label or kind.name) if kind else name


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    if KINDS.get(kind.name, kind) is not kind:
        raise ValueError(f"The document kind {kind.name} is already registered.")
    KINDS[kind.name] = kind


def document_request(*, kind: str, title: str, parameters: dict, by: User) -> GeneratedDocument:
    """Record the request and queue it for the worker; the caller checked that `by` may ask for it."""
    if kind not in KINDS:
        raise LookupError(f"No document kind {kind!r} is registered.")
    document = GeneratedDocument(kind=kind, title=title[:255], parameters=parameters, requested_by=by)
    set_author(document, by).save()
    from .tasks import generate_document  # the tasks module runs this module's services

    def remember(result) -> None:
        document.task_id = str(result.id)
        GeneratedDocument.objects.filter(pk=document.pk).update(task_id=document.task_id)

    task_queue.enqueue(generate_document, document.pk, then=remember)
    return document


def document_generate(document_id: int) -> str:
    """Write the document (the worker's task): queued → running → done with its file, or failed
    with the reason kept. A compare-and-set runs each request once, even if enqueued twice."""
    if not GeneratedDocument.objects.filter(pk=document_id, status=GeneratedDocument.Status.QUEUED).update(
        status=GeneratedDocument.Status.RUNNING, started_at=timezone.now()
    ):
        return GeneratedDocument.objects.get(pk=document_id).status
    document = GeneratedDocument.objects.select_related("requested_by").get(pk=document_id)

    def progress(done: int, total: int) -> None:  # update(): visible at once, no history row
        GeneratedDocument.objects.filter(pk=document.pk).update(progress_done=done, progress_total=total)
        document.progress_done, document.progress_total = done, total

    try:
        # Written to a temporary file, then stored: a whole round never sits in memory whole.
        with tempfile.TemporaryFile() as output:
            name = KINDS[document.kind].write(document, output, progress)
            output.seek(0)
            document.file.save(name, File(output, name=name), save=False)
    except Exception as error:
        logger.exception("Generated document %s failed", document.pk)
        _finish(document, GeneratedDocument.Status.FAILED, error=f"{error.__class__.__name__}: {error}")
        raise  # also recorded, with its traceback, on the task result
    _finish(document, GeneratedDocument.Status.DONE)
    return document.status


ABANDONED = "The worker stopped while preparing the document. Ask for it again."


def documents_fail_abandoned() -> list[GeneratedDocument]:
    """What a starting worker does: fail the documents left running by a worker that is gone
    (killed, out of memory) — no heartbeat for a minute. Their requesters ask again."""
    from .tasks import HEARTBEAT_TIMEOUT, document_heartbeat_key, fail_task_left_running

    started_before = timezone.now() - datetime.timedelta(seconds=HEARTBEAT_TIMEOUT)
    running = GeneratedDocument.objects.filter(
        status=GeneratedDocument.Status.RUNNING, started_at__lt=started_before
    )
    failed = []
    for document in running:
        if caches["progress"].get(document_heartbeat_key(document.pk)) is not None:
            continue  # another worker is still preparing it
        # Compare-and-set: a worker that ends it meanwhile keeps its outcome.
        if GeneratedDocument.objects.filter(pk=document.pk, status=document.status).update(
            status=GeneratedDocument.Status.FAILED
        ):
            _finish(document, GeneratedDocument.Status.FAILED, error=ABANDONED)  # recorded, requester told
            fail_task_left_running(document.task_id, ABANDONED)
            failed.append(document)
    return failed


def _finish(document: GeneratedDocument, status: str, *, error: str = "") -> None:
    document.status, document.error, document.finished_at = status, error, timezone.now()
    with transaction.atomic():
        document.save()  # recorded in the document's history
        # The requester is told (the bell, an e-mail): a whole round takes a while.
        events.emit("document.finished", subject=document, occurrence=status, status=status)
