from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core.errors import DomainError
from wuwei.org.models import ApiToken, User
from wuwei.org.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = (
        "Manage personal API tokens: token create|list|revoke USER [--name N] [--days D] [--id ID]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--id", type=int, help="token id to revoke (default: all)")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="lifetime in days (default: WUWEI_TOKEN_DAYS, 90)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        action = options["action"]
        if action == "create":
            try:
                token, raw = token_create(user=user, name=options["name"], days=options["days"])
            except DomainError as exc:
                raise CommandError(exc.detail) from None
            self.stdout.write(raw)
            self.stderr.write(f"Expires {token.expires_at:%Y-%m-%d %H:%M %Z}.")
        elif action == "list":
            for token in ApiToken.objects.filter(user=user):
                state = (
                    "revoked" if token.revoked_at else "active" if token.is_active else "expired"
                )
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                expires = token.expires_at.isoformat() if token.expires_at else "never"
                self.stdout.write(
                    f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}\t{used}\t{expires}"
                )
        else:
            tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
            if options["id"]:
                tokens = tokens.filter(pk=options["id"])
            count = 0
            for token in tokens:
                token_revoke(token=token)
                count += 1
            self.stdout.write(f"Revoked {count} token(s).")
