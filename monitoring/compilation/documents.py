"""A compilation prepared in the background: the kind monitoring registers in the core's
`secretariat.documents` (a whole round takes seconds to minutes; one question stays immediate)."""

import re
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat import access, documents
from secretariat.models import GeneratedDocument, User

from ..models import MonitoringRound
from .forms import FORMATS
from .render import write_compilation
from .selectors import compile_replies

KIND = "compilation"


def compilation_request(*, round: MonitoringRound, options: dict, by: User) -> GeneratedDocument:
    """Queue the compilation of `round` (options: question, format, include_drafts,
    include_confidential, include_children, reference, as the compilation form gives them) for `by`."""
    parameters = {"round": round.number, **options}
    what = (
        _("question %(ref)s") % {"ref": options["question"]} if options.get("question") else _("whole round")
    )
    title = _("Compilation of round %(number)s, %(what)s (%(format)s)") % {
        "number": round.number,
        "what": what,
        "format": options["format"].upper(),
    }
    return documents.document_request(kind=KIND, title=title, parameters=parameters, by=by)


def write(document: GeneratedDocument, output: BinaryIO, progress: documents.Progress) -> str:
    """Compile as the requester (their scope, their rights, read again now) and write the file."""
    parameters, user = document.parameters, document.requested_by
    round = access.scoped(MonitoringRound, user).get(number=parameters["round"])
    compilation = compile_replies(
        round=round,
        question_ref=parameters.get("question") or None,
        user=user,
        include_drafts=parameters.get("include_drafts", False),
        include_confidential=parameters.get("include_confidential", False),
        include_children=parameters.get("include_children", False),
        reference=parameters.get("reference") or None,
    )
    write_compilation(compilation, parameters["format"], output, progress)
    return file_name(compilation.reference, parameters["format"])


def file_name(reference: str, format: str) -> str:
    """'T-ES(2018)21_bil_rev.2.pdf': the reference with anything unsafe in a file name replaced."""
    stem = re.sub(r"[^A-Za-z0-9().-]+", "_", reference).strip("_") or "compilation"
    return f"{stem}.{FORMATS[format][1]}"


COMPILATION = documents.DocumentKind(KIND, write, label=gettext_lazy("Compilation of replies"))
