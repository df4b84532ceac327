"""wuwei import FILE --kind accounts [--user U] [--mapping NAME] [--preset SLUG] [--dry-run]
[--mode all|rows] [--rejects FILE]: the same check and apply as the web page, with a progress
line in the terminal. Ctrl-C cancels: in `all` mode nothing is written."""

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core.errors import DomainError
from wuwei.dataio.models import ImportKind, ImportMapping, ImportMode, RunStatus
from wuwei.dataio.readers import FileProblem
from wuwei.dataio.services import import_apply, import_check, import_create
from wuwei.org.models import Role, User


class ProgressLine:
    """`progress(done, total, message)` drawn as one updating line (or plain lines when the
    output is not a terminal)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.is_tty = bool(getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        percent = done * 100 // total if total else 100
        bar = "#" * (percent // 4) + "-" * (25 - percent // 4)
        rate = done / max(now - self.started, 1e-6)
        line = f"[{bar}] {percent:3d}% {done:,}/{total:,} rows  {rate:,.0f} rows/s"
        if self.is_tty:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.is_tty:
            self.stream.write("\n")


def _user(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        return user
    admin = (
        User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
        or User.objects.filter(is_active=True, role_links__role=Role.ADMIN).order_by("pk").first()
    )
    if admin is None:
        raise CommandError("Name the importing user with --user.")
    return admin


class Command(BaseCommand):
    help = "Import a CSV or XLSX file (accounts, contacts, opportunities, competitors, activities)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--user", help="who imports (default: the first administrator)")
        parser.add_argument("--mapping", help="a saved column mapping of that user")
        parser.add_argument("--preset", default="", help="e.g. salesforce-accounts")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--mode", default=ImportMode.ALL, choices=ImportMode.values)
        parser.add_argument("--rejects", help="write refused rows to this CSV (mode rows)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = _user(options["user"])
        mapping = None
        if options["mapping"]:
            mapping = ImportMapping.objects.filter(
                created_by=user, kind=options["kind"], name=options["mapping"]
            ).first()
            if mapping is None:
                raise CommandError(f"{user} has no saved mapping {options['mapping']!r}.")
        try:
            run = import_create(
                user=user,
                kind=options["kind"],
                filename=path.name,
                content=path.read_bytes(),
                mode=options["mode"],
                preset=options["preset"],
                mapping=mapping,
            )
        except FileProblem as problem:
            raise CommandError(problem.message) from None
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            f"import #{run.pk}: {run.row_count:,} rows, preset "
            f"{run.preset or options['mapping']}, columns {run.columns}"
        )
        run = self._step(import_check, run)
        self._report(run)
        if options["dry_run"] or run.status != RunStatus.CHECKED:
            if run.status != RunStatus.CHECKED:
                raise CommandError(run.message)
            return
        try:
            run = self._step(import_apply, run)
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(run.message)
        if run.rejects and options["rejects"]:
            Path(options["rejects"]).write_bytes(bytes(run.rejects))
            self.stdout.write(f"rejected rows written to {options['rejects']}")
        if run.status != RunStatus.DONE:
            raise CommandError(run.message)

    def _step(self, step: Any, run: Any) -> Any:
        line = ProgressLine(getattr(self.stderr, "_out", sys.stderr))
        cancelled = {"flag": False}
        try:
            return step(run, progress=line, should_cancel=lambda: cancelled["flag"])
        except KeyboardInterrupt:  # pragma: no cover - interactive
            cancelled["flag"] = True
            raise CommandError("Cancelled.") from None
        finally:
            line.end()

    def _report(self, run: Any) -> None:
        self.stdout.write(run.message)
        for issue in run.report.get("issues", [])[:50]:
            self.stdout.write(
                f"  row {issue['row']:>6}  {issue['column']}: {issue['message']}"
                f"{'' if issue['level'] == 'error' else ' (warning)'}"
            )
        hidden = run.report.get("issues_total", 0) - 50
        if hidden > 0:
            self.stdout.write(f"  … and {hidden} more")
