"""Operations that change the shared core; admin, commands and later the API call these."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import access
from .history import set_author
from .imports import ImportReport, open_source, run_import
from .models import Document, Organisation, Role, User

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def load_reference_data() -> dict[str, ImportReport]:
    """Load (or refresh) the Parties and the Convention articles from fixtures/."""
    return {
        kind: run_import(kind, open_source(FIXTURES_DIR / name))
        for kind, name in (("parties", "parties.csv"), ("articles", "convention_articles.csv"))
    }


def document_assign_owner(*, document: Document, by: User) -> Document:
    """Tie a document created or edited by a State or stakeholder user to their own Party or organisation.

    The Secretariat chooses freely; a State user can only file for their Party, a stakeholder
    only for their organisation (and the Party that organisation comments on).
    """
    if access.is_secretariat(by):
        return document
    if by.role in (Role.STATE_COORDINATOR, Role.STATE_CONTRIBUTOR):
        document.party_id = by.party_id
        document.organisation = None
    elif by.role == Role.STAKEHOLDER_CONTRIBUTOR and by.organisation_id is not None:
        organisation = Organisation.objects.get(pk=by.organisation_id)
        document.organisation = organisation
        document.party_id = organisation.party_id
    else:
        raise PermissionDenied("This user may not file documents.")
    return document


@transaction.atomic
def document_file(*, document: Document, by: User) -> Document:
    """A State user or a stakeholder files a new document, always for their own Party or organisation."""
    if not access.may_file_documents(by):
        raise PermissionDenied(_("You may not file documents."))
    document_assign_owner(document=document, by=by)
    document.full_clean()
    set_author(document, by)
    document.save()
    return document
