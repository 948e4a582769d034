"""Write the compilation of replies to one question (or the whole round) as HTML, DOCX or PDF."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from monitoring.compilation import UnknownQuestion, compile_replies
from monitoring.compilation.render import write_compilation
from secretariat import access
from secretariat.commands import acting_user, output_path

from ...models import MonitoringRound

FORMATS = ("html", "docx", "pdf")


class Command(BaseCommand):
    help = "Compile the replies to a question of a monitoring round (or to the whole round) into a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--round", type=int, required=True, help="The round's number, e.g. 2.")
        parser.add_argument("--question", help="A question ref, e.g. 16; the whole round when omitted.")
        parser.add_argument("--format", required=True, help="html, docx or pdf.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--draft", action="store_true", help="Preview: include unregistered submissions.")
        parser.add_argument(
            "--include-confidential", action="store_true", help="Include submissions not for publication."
        )
        parser.add_argument(
            "--include-children",
            action="store_true",
            help="Add the children's views on each question (Secretariat users only).",
        )
        parser.add_argument("--user", help="The Secretariat user to compile as (default: the first admin).")
        parser.add_argument("--reference", help="The document reference, e.g. 'T-ES(2018)21_bil rev.2'.")

    def handle(self, *args, **options) -> None:
        format = options["format"].lower()
        if format not in FORMATS:
            raise CommandError(f"Unknown format {options['format']!r}: choose html, docx or pdf.")
        output = output_path(options["output"])
        user = acting_user(options["user"])
        round = access.scoped(MonitoringRound, user).filter(number=options["round"]).first()
        if round is None:
            raise CommandError(f"There is no monitoring round {options['round']}.")
        try:
            compilation = compile_replies(
                round=round,
                question_ref=options["question"] or None,
                user=user,
                include_drafts=options["draft"],
                include_confidential=options["include_confidential"],
                include_children=options["include_children"],
                reference=options["reference"] or None,
            )
        except UnknownQuestion:
            raise CommandError(f"Round {round.number} has no question {options['question']!r}.") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        with output.open("wb") as file:  # written as it goes, never whole in memory
            write_compilation(compilation, format, file)
        states = len({state.code for state in compilation.states})
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {len(compilation.questions)} question(s), {states} State(s), "
                f"reference {compilation.reference}."
            )
        )
