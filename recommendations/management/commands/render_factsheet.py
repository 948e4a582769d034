"""Write a factsheet as HTML, DOCX or PDF."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.factsheet_render import RENDERERS
from recommendations.factsheets import build_factsheet
from recommendations.models import Factsheet
from secretariat import access
from secretariat.commands import acting_user, output_path


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
        output = output_path(options["output"])
        user = acting_user(options["user"], secretariat_only=False)
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
