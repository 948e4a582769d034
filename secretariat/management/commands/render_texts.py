"""Render again the stored HTML and excerpts of every Markdown text (secretariat/rendering.py).

Run it after a change of the renderer (secretariat/text.py: the Markdown extensions, the tags
nh3 keeps, the excerpt's length); `--check` writes nothing and fails when a stored rendering
differs from a fresh one, for deploy scripts.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from secretariat import rendering


class Command(BaseCommand):
    help = (
        "Render again the stored HTML and excerpts of the Markdown texts; print the rows changed per model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="APP_LABEL.MODEL",
            help="Only this model (e.g. monitoring.Reply); may be given more than once.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with an error when a stored rendering differs from a fresh one.",
        )

    def handle(self, *args, models: list[str] | None = None, check: bool = False, **options) -> None:
        stale = 0
        for model in self._models(models):
            with transaction.atomic():
                changed = rendering.rerender(model, write=not check)
            stale += changed
            verb = "differ" if check else "re-rendered"
            self.stdout.write(f"{model._meta.label}: {changed} row(s) {verb}")
        if check and stale:
            raise CommandError(f"{stale} row(s) hold a stale rendering: run manage.py render_texts.")

    def _models(self, labels: list[str] | None) -> list[type[models.Model]]:
        rendered = rendering.rendered_models()
        if not labels:
            return rendered
        chosen = []
        for label in labels:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                raise CommandError(f"Unknown model {label!r}.") from None
            if model not in rendered:
                names = ", ".join(m._meta.label for m in rendered)
                raise CommandError(f"{label} stores no rendered text (these do: {names}).")
            chosen.append(model)
        return chosen
