import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core.errors import DomainError
from wuwei.org.models import Role
from wuwei.org.services import user_create


class Command(BaseCommand):
    help = "Create an administrator (password from --password, $WUWEI_ADMIN_PASSWORD or a prompt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--password")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or os.environ.get("WUWEI_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
        try:
            user = user_create(
                username=options["username"],
                password=password,
                roles=[Role.ADMIN],
                email=options["email"],
                is_superuser=True,
            )
        except DomainError as exc:
            raise CommandError(f"{exc.detail} {exc.errors}") from None
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created."))
