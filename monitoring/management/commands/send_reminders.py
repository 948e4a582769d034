import datetime

from django.core.management.base import BaseCommand, CommandError

from monitoring import reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today expects a date such as 2026-12-31, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Deadline reminders for awaited submissions of rounds collecting replies: before the "
        "deadline and once overdue, each only once, notified to the coordinators (in the "
        "application and by e-mail, in their language). Run daily (cron, or the worker's schedule)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=reminders.DEFAULT_DAYS_BEFORE,
            help="send the 'before the deadline' reminder this many days ahead (default: %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would be sent; send nothing")
        parser.add_argument("--today", type=_date, default=None, help="act as if today were YYYY-MM-DD")

    def handle(self, *args, days_before, dry_run, today, **options):
        if days_before < 0:
            raise CommandError("--days-before cannot be negative.")
        outcomes, sending = reminders.send_reminders(today=today, days_before=days_before, dry_run=dry_run)
        for outcome in outcomes:
            self._report(outcome, dry_run)
        for error in sending.errors:
            self.stderr.write(f"E-mail not sent, it will be tried again: {error}")
        sent = sum(outcome.sent for outcome in outcomes)
        self.stdout.write(f"{sent} reminder(s) sent, {len(outcomes) - sent} not sent; {sending}.")

    def _report(self, outcome: reminders.Outcome, dry_run: bool) -> None:
        what = f"{outcome.kind} reminder for {outcome.submission} (deadline {outcome.deadline})"
        to = ", ".join(outcome.recipients)
        if not outcome.has_recipients:
            self.stderr.write(f"No recipient: {what}: no active coordinator (or stakeholder contributor).")
        elif dry_run:
            self.stdout.write(f"Would send {what} to {to}")
        elif outcome.sent:
            self.stdout.write(self.style.SUCCESS(f"Sent {what} to {to}"))
        else:
            self.stderr.write(f"Not sent: {what}: {outcome.error}")
