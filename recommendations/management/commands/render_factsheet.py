"""Write a factsheet as HTML, DOCX or PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from recommendations.factsheet_render import RENDERERS
from recommendations.factsheets import build_factsheet
from recommendations.models import Factsheet
from secretariat import access
from secretariat.models import Role, User


class Command(BaseCommand):
    help = "Render a factsheet (by its slug) into a file: html, docx or pdf."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The factsheet's slug, e.g. international-cooperation.")
        parser.add_argument("--format", required=True, help="html, docx or pdf.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--user", help="The user to render as (default: the first active administrator).")

    def handle(self, *args, **options) -> None:
        format = options["format"].lower()
        if format not in RENDERERS:
            raise CommandError(f"Unknown format {options['format']!r}: choose html, docx or pdf.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: the folder {output.parent} does not exist.")
        user = self._user(options["user"])
        factsheet = access.scoped(Factsheet, user).filter(slug=options["slug"]).first()
        if factsheet is None:
            raise CommandError(f"There is no factsheet {options['slug']!r}.")
        document = build_factsheet(factsheet=factsheet, user=user)
        try:
            output.write_bytes(RENDERERS[format](document))
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {len(document.sections)} section(s), "
                f"{len(document.recommendations)} recommendation(s), {document.practice_count} practice(s)."
            )
        )

    def _user(self, username: str | None) -> User:
        """Factsheets are published: any active user reads them; by default the first administrator."""
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user {username!r}.")
            return user
        admins = User.objects.filter(Q(role=Role.SECRETARIAT_ADMIN) | Q(is_superuser=True), is_active=True)
        user = admins.order_by("pk").first()
        if user is None:
            raise CommandError("No active Secretariat administrator to render as; pass --user.")
        return user
