"""What every kind of import shares: the row plan, the import context (who imports, from
which system, under which history reason), the user directory for owners, batched lookups
of external ids and accounts, and the per-row write with savepoints.

A chunk of rows goes through three steps: `parse` (text → values, no queries), `resolve`
(a fixed number of queries for the whole chunk: existing records, accounts, owners; decides
create / update / unchanged / error) and `write` (through the domain services)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.core.errors import DomainError
from wuwei.core.visibility import scope_for, visible
from wuwei.dataio.models import ExternalKey, ImportKind
from wuwei.dataio.values import BadValue
from wuwei.methodology.names import normalize_company_name
from wuwei.org.models import User
from wuwei.org.permissions import Action, may

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


def may_import(user: Any) -> bool:
    """Administrators, managers and reps import; a rep's rows must be their own records, a
    manager's owners must be in their team. Everyone else never sees the import pages."""
    return user is not None and user.is_active and may(user, Action.DATA_IMPORT)


@dataclass
class Issue:
    row: int
    column: str
    message: str
    level: str = "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class RowPlan:
    number: int
    cells: list[str]
    raw: dict[str, str]  # field → cell text (stripped)
    values: dict[str, Any] = field(default_factory=dict)
    external_id: str = ""
    action: str = ""
    target: Any = None
    changes: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    record: Any = None
    has_key: bool = False  # the external id is already linked to `target`

    @property
    def has_error(self) -> bool:
        return any(issue.level == "error" for issue in self.issues)

    @property
    def label(self) -> str:
        return str(self.values.get("name") or self.values.get("subject") or "")


class UserDirectory:
    """Every active user, loaded once per import, found by username, e-mail or name."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[User]] = {}
        for user in User.objects.filter(is_active=True).select_related("team"):
            keys = {
                user.username,
                user.email,
                user.display_name,
                f"{user.first_name} {user.last_name}",
                f"{user.last_name}{user.first_name}",
            }
            for key in keys:
                if key.strip():
                    self._by_key.setdefault(key.strip().casefold(), []).append(user)

    def find(self, text: str) -> User:
        users = self._by_key.get(text.strip().casefold(), [])
        unique = {user.pk: user for user in users}
        if not unique:
            raise BadValue(
                _("No active user is called “%(name)s” (use a username or e-mail).")
                % {"name": text[:80]}
            )
        if len(unique) > 1:
            raise BadValue(
                _("Several users are called “%(name)s”; use the username or e-mail.")
                % {"name": text[:80]}
            )
        return next(iter(unique.values()))


@dataclass
class Context:
    user: User
    source: str
    reason: str
    field_headers: dict[str, str]  # field → the file's column name
    users: UserDirectory = field(default_factory=UserDirectory)

    def header(self, field_name: str) -> str:
        return self.field_headers.get(field_name, field_name)

    def owner_allowed(self, owner: User) -> bool:
        user = self.user
        if owner.pk == user.pk or user.sees_everything:
            return True
        scope = scope_for(user)
        if scope.team_path and owner.team_id and owner.team is not None:
            return bool(owner.team.path.startswith(scope.team_path))
        return False


class Importer:
    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    has_owner: ClassVar[bool] = True
    # Fields compared for "unchanged" and passed to the update service.
    updatable: ClassVar[tuple[str, ...]] = ()

    def __init__(self, context: Context) -> None:
        self.ctx = context
        self.seen_external: dict[str, int] = {}
        self.seen_keys: dict[Any, int] = {}

    # -- helpers for subclasses ---------------------------------------------------------

    def error(self, plan: RowPlan, field_name: str, message: str) -> None:
        plan.issues.append(Issue(plan.number, self.ctx.header(field_name), message))

    def warn(self, plan: RowPlan, field_name: str, message: str) -> None:
        plan.issues.append(Issue(plan.number, self.ctx.header(field_name), message, "warning"))

    def convert(self, plan: RowPlan, field_name: str, parser: Any, *args: Any) -> None:
        text = plan.raw.get(field_name, "")
        if not text:
            return
        try:
            plan.values[field_name] = parser(text, *args)
        except BadValue as exc:
            self.error(plan, field_name, str(exc))

    def text(self, plan: RowPlan, field_name: str, limit: int) -> None:
        text = plan.raw.get(field_name, "")
        if field_name not in plan.raw:
            return
        if len(text) > limit:
            self.error(
                plan,
                field_name,
                _("This text is %(size)s characters long; at most %(limit)s fit.")
                % {"size": len(text), "limit": limit},
            )
            return
        plan.values[field_name] = text

    def parse_owner(self, plan: RowPlan) -> None:
        text = plan.raw.get("owner", "")
        if not text:
            return
        try:
            owner = self.ctx.users.find(text)
        except BadValue as exc:
            self.error(plan, "owner", str(exc))
            return
        if not self.ctx.owner_allowed(owner):
            self.error(
                plan,
                "owner",
                _("You can only import records owned by yourself or by people in your team."),
            )
            return
        plan.values["owner"] = owner

    def parse_common(self, plan: RowPlan) -> None:
        external_id = plan.raw.get("external_id", "")
        if len(external_id) > 100:
            self.error(plan, "external_id", _("An external ID can have at most 100 characters."))
        elif external_id:
            first = self.seen_external.get(external_id)
            if first is not None:
                self.error(
                    plan,
                    "external_id",
                    _("The external ID “%(id)s” appears again (first in row %(row)s).")
                    % {"id": external_id[:50], "row": first},
                )
            else:
                self.seen_external[external_id] = plan.number
                plan.external_id = external_id
        if self.has_owner:
            self.parse_owner(plan)

    def claim_key(self, plan: RowPlan, key: Any, what: str) -> bool:
        """False (and an error) when an earlier row of this file is the same record."""
        first = self.seen_keys.get(key)
        if first is not None and first != plan.number:
            self.error(
                plan,
                "name",
                _("This row is the same %(what)s as row %(row)s.") % {"what": what, "row": first},
            )
            return False
        self.seen_keys[key] = plan.number
        return True

    def external_targets(self, plans: Sequence[RowPlan], kind: str | None = None) -> dict[str, Any]:
        """{external id: visible record} for the chunk's rows (two queries). Ids linked to a
        record the user cannot see map to None."""
        kind = kind or self.kind
        ids = {plan.external_id for plan in plans if plan.external_id}
        return self.find_external(ids, kind)

    def find_external(self, ids: Iterable[str], kind: str) -> dict[str, Any]:
        ids = set(ids)
        if not ids:
            return {}
        links = dict(
            ExternalKey.objects.filter(
                source=self.ctx.source, kind=kind, external_id__in=ids
            ).values_list("external_id", "object_id")
        )
        queryset = visible(MODELS[kind], self.ctx.user)
        if kind in (ImportKind.ACCOUNTS, ImportKind.OPPORTUNITIES, ImportKind.ACTIVITIES):
            queryset = queryset.select_related("owner__team")
        if kind == ImportKind.ACTIVITIES:
            queryset = queryset.prefetch_related("contacts")
        records = queryset.in_bulk(set(links.values()))
        return {external: records.get(object_id) for external, object_id in links.items()}

    def match_existing(self, plan: RowPlan, target: Any, *, linked: bool) -> None:
        """Plan an update of `target` (or nothing, when the row changes nothing)."""
        if getattr(target, "archived_at", None) is not None:
            self.error(plan, "name", _("This record is archived; restore it before importing."))
            return
        if self.has_owner and not self.ctx.user.sees_everything and not self._may_change(target):
            self.error(
                plan,
                "owner",
                _(
                    "This record belongs to someone else; only its owner or their manager can "
                    "change it."
                ),
            )
            return
        plan.target = target
        plan.has_key = linked
        plan.changes = self.changes_for(plan, target)
        plan.action = UPDATE if plan.changes else UNCHANGED

    def _may_change(self, target: Any) -> bool:
        owner = target.owner
        return bool(owner.pk == self.ctx.user.pk or self.ctx.owner_allowed(owner))

    def changes_for(self, plan: RowPlan, target: Any) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for name in self.updatable:
            if name not in plan.values:
                continue
            value = plan.values[name]
            current = getattr(target, name)
            if isinstance(current, models.Model) or isinstance(value, models.Model):
                if getattr(current, "pk", None) != getattr(value, "pk", None):
                    changes[name] = value
            elif current != value:
                changes[name] = value
        return changes

    def resolve_accounts(self, plans: Sequence[RowPlan]) -> None:
        """Sets values["account"] from the account's external id or normalised name."""
        by_external = self.find_external(
            {p.raw["account_external_id"] for p in plans if p.raw.get("account_external_id")},
            ImportKind.ACCOUNTS,
        )
        names = {
            normalize_company_name(p.raw["account"])
            for p in plans
            if p.raw.get("account") and not p.raw.get("account_external_id")
        }
        by_name: dict[str, list[Account]] = {}
        if names:
            for account in (
                visible(Account, self.ctx.user)
                .filter(name_normalized__in=names, archived_at__isnull=True)
                .order_by("id")
            ):
                by_name.setdefault(account.name_normalized, []).append(account)
        for plan in plans:
            external = plan.raw.get("account_external_id", "")
            if external:
                linked: Account | None = by_external.get(external)
                if linked is None:
                    self.error(
                        plan,
                        "account_external_id",
                        _(
                            "No account you can see has the external ID “%(id)s”. Import the "
                            "accounts first."
                        )
                        % {"id": external[:50]},
                    )
                else:
                    plan.values["account"] = linked
                continue
            name = plan.raw.get("account", "")
            if not name:
                self.error(plan, "account", _("Every row needs its account."))
                continue
            found = by_name.get(normalize_company_name(name), [])
            if not found:
                self.error(
                    plan,
                    "account",
                    _("No account you can see is called “%(name)s”. Import or create it first.")
                    % {"name": name[:80]},
                )
            elif len(found) > 1:
                self.error(
                    plan,
                    "account",
                    _("Several accounts are called “%(name)s”; give the account's external ID.")
                    % {"name": name[:80]},
                )
            else:
                plan.values["account"] = found[0]

    # -- the three steps ----------------------------------------------------------------

    def parse(self, plan: RowPlan) -> None:
        raise NotImplementedError

    def resolve(self, plans: Sequence[RowPlan]) -> None:
        raise NotImplementedError

    def create(self, plan: RowPlan) -> Any:
        raise NotImplementedError

    def update(self, plan: RowPlan) -> Any:
        raise NotImplementedError

    def write(self, plans: Sequence[RowPlan], *, per_row: bool) -> None:
        """Write the chunk's creates and updates. With `per_row`, a row a service refuses
        becomes an error on that row (its own savepoint); otherwise the error propagates
        and the caller's transaction rolls the whole file back."""
        self.write_rows(plans, per_row=per_row)
        self.link_keys(plans)

    def write_rows(self, plans: Sequence[RowPlan], *, per_row: bool) -> None:
        for plan in plans:
            if plan.action not in (CREATE, UPDATE):
                continue
            try:
                with transaction.atomic():
                    plan.record = self.create(plan) if plan.action == CREATE else self.update(plan)
            except (DomainError, IntegrityError) as exc:
                self.refused(plan, exc)
                if not per_row:
                    raise

    def refused(self, plan: RowPlan, exc: Exception) -> None:
        if isinstance(exc, DomainError):
            detail = "; ".join(message for _field, message in exc.errors[:3])
            message = f"{exc.detail} {detail}".strip() if detail else exc.detail
        else:
            message = _("The database refused this row (a duplicate or a missing link).")
        plan.action = ERROR
        self.error(plan, "name", message)

    def link_keys(self, plans: Sequence[RowPlan]) -> None:
        """Remember external ids of the rows just written or matched (one query)."""
        keys = [
            ExternalKey(
                source=self.ctx.source,
                kind=self.kind,
                external_id=plan.external_id,
                object_id=(plan.record or plan.target).pk,
            )
            for plan in plans
            if plan.external_id
            and not plan.has_key
            and plan.action in (CREATE, UPDATE, UNCHANGED)
            and (plan.record or plan.target) is not None
        ]
        if keys:
            ExternalKey.objects.bulk_create(keys, ignore_conflicts=True)


MODELS: dict[str, type[models.Model]] = {}


def register_model(kind: str, model: type[models.Model]) -> None:
    MODELS[kind] = model
