"""Operations that change the shared core; admin, commands and later the API call these."""

from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from import_export.resources import ModelResource
from import_export.results import Result

from . import access
from .models import Document, Organisation, Role, User
from .resources import ConventionArticleResource, PartyResource

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class ImportFailed(Exception):
    """An all-or-nothing import found errors; nothing was saved."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def describe_errors(result: Result) -> list[str]:
    """One readable line per failing row (line numbers count the header as line 1)."""
    lines = [f"{error.error}" for error in result.base_errors]
    for row_number, errors in result.row_errors():
        lines.extend(f"line {row_number + 1}: {error.error}" for error in errors)
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            lines.extend(f"line {row.number + 1}: {field}: {message}" for message in messages)
    return lines


def import_csv(resource: ModelResource, path: Path) -> Result:
    """Import a CSV file all-or-nothing: any bad row aborts the whole file."""
    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
        if result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
            raise ImportFailed(describe_errors(result))
    return result


def load_reference_data() -> dict[str, Result]:
    """Load (or refresh) the Parties and the Convention articles from fixtures/."""
    return {
        "parties": import_csv(PartyResource(), FIXTURES_DIR / "parties.csv"),
        "articles": import_csv(ConventionArticleResource(), FIXTURES_DIR / "convention_articles.csv"),
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
    elif by.role == Role.STAKEHOLDER_CONTRIBUTOR:
        organisation = Organisation.objects.get(pk=by.organisation_id)
        document.organisation = organisation
        document.party_id = organisation.party_id
    else:
        raise PermissionDenied("This user may not file documents.")
    return document
