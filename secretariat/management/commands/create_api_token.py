from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone

from secretariat import audit
from secretariat.api_tokens import token_create
from secretariat.models import User


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it once (only its hash is stored). "
        'Use it as the header "Authorization: Token <token>".'
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--expiry-days",
            type=int,
            default=None,
            help="days until the token expires (default: API_TOKEN_EXPIRY_DAYS, 30)",
        )

    def handle(self, *args, username, expiry_days, **options):
        if expiry_days is not None and expiry_days < 1:
            raise CommandError("--expiry-days must be 1 or more.")
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            token, key = token_create(
                user=user, expiry=timedelta(days=expiry_days) if expiry_days is not None else None
            )
        except ValueError as refusal:
            raise CommandError(str(refusal)) from None
        audit.record(
            audit.Kind.API_TOKEN_ISSUED,
            user=user,
            target=f"API token of {user.username}",
            details={"expires": token.expiry.isoformat(), "command": "create_api_token"},
        )
        expires = formats.date_format(timezone.localtime(token.expiry), "DATETIME_FORMAT")
        # The token alone on stdout, for scripts; the rest on stderr.
        self.stdout.write(key)
        self.stderr.write(
            f"API token of {user.username}, valid until {expires}. "
            "It is shown only now: store it safely. Revoke it in the admin (API tokens)."
        )
