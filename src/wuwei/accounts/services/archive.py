"""Account writes, shared by the web UI, the API, the CLI and imports: the archive (§2.1),
KA profile and strategy overrides (§2.1, §2.4), coverage (§2.6), duplicate detection (§7.3)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts.conflicts import conflict_raise
from wuwei.accounts.models import (
    Account,
    ConflictKind,
    KaProfile,
    MonitoringRecord,
    Strategy,
)
from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.core.visibility import visible
from wuwei.methodology import enums
from wuwei.methodology.config import MethodConfig
from wuwei.methodology.ka_profile import assign_ka_profile
from wuwei.methodology.names import normalize_company_name
from wuwei.methodology.strategies import suggest_account_strategy
from wuwei.org.models import User
from wuwei.org.permissions import Action, require

EDITABLE_FIELDS = (
    "name",
    "registration_number",
    "industry",
    "region",
    "segment",
    "status",
    "owner",
    "team",
    "parent",
    "notes",
    "hq_scope",
    "is_headquarters",
    "on_ranking_list",
    "pays_above_peers",
    "annual_revenue",
    "employee_count",
    "website",
    "tags",
    "custom_fields",
    "region_owner",
    "industry_owner",
    "support_tier",
)
DUPLICATES_SHOWN = 5


def require_creator(user: User) -> None:
    require(user, Action.ACCOUNT_WRITE)


def _clean_tags(tags: Any) -> list[str]:
    if not isinstance(tags, list | tuple):
        raise ValidationFailed(_("Tags must be a list."), [("tags", _("must be a list"))])
    cleaned = [str(tag).strip()[:50] for tag in tags]
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    if "registration_number" in values:
        values["registration_number"] = (values["registration_number"] or "").strip() or None
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        values["name_normalized"] = normalize_company_name(values["name"])[:200]
    if "tags" in values:
        values["tags"] = _clean_tags(values["tags"] or [])
    if "custom_fields" in values:
        if not isinstance(values["custom_fields"] or {}, dict):
            raise ValidationFailed(
                _("Custom fields must be an object."), [("custom_fields", _("must be an object"))]
            )
        values["custom_fields"] = values["custom_fields"] or {}
    if values.get("annual_revenue") is not None and Decimal(values["annual_revenue"]) < 0:
        raise ValidationFailed(
            _("Annual revenue cannot be negative."), [("annual_revenue", _("must be ≥ 0"))]
        )
    return values


def _check_parent(account: Account, parent: Account) -> None:
    """A group hierarchy is a tree: the new parent may not be the account or below it."""
    node: Account | None = parent
    for _depth in range(100):
        if node is None:
            return
        if node.pk == account.pk:
            raise ValidationFailed(
                _("An account cannot sit under itself or one of its subsidiaries."),
                [("parent", _("would create a cycle"))],
            )
        node = node.parent


# ---------------------------------------------------------------------------------------
# derived fields: KA profile (§2.1) and suggested strategy (§2.4)


def apply_ka_profile(account: Account, config: MethodConfig | None = None) -> None:
    """Recompute the automatic KA profile; it is in force unless overridden."""
    profile = assign_ka_profile(
        is_headquarters=account.is_headquarters,
        scope=enums.Scope(account.hq_scope),
        on_ranking_list=account.on_ranking_list,
        annual_revenue=account.annual_revenue,
        pays_above_peers=account.pays_above_peers,
        config=(config or method_config()).ka_profile,
    )
    account.ka_profile_auto = str(profile) if profile else ""
    if not account.ka_profile_overridden:
        account.ka_profile = account.ka_profile_auto


def closeness_history(account: Account) -> list[Decimal]:
    """Closeness at each monitoring record, oldest first (the input of §2.4's win_back rule)."""
    if account.pk is None:
        return []
    values = (
        MonitoringRecord.objects.filter(
            account=account, archived_at__isnull=True, closeness__isnull=False
        )
        .order_by("-recorded_on", "-id")
        .values_list("closeness", flat=True)[:3]
    )
    return [value for value in reversed(list(values)) if value is not None]


def apply_strategy(account: Account, history: list[Decimal] | None = None) -> None:
    """Recompute the suggested strategy; it is in force unless overridden."""
    suggestion = suggest_account_strategy(
        status=enums.AccountStatus(account.status),
        closeness_history=closeness_history(account) if history is None else history,
        account_class=enums.AccountClass(account.account_class) if account.account_class else None,
    )
    account.strategy_suggested = str(suggestion.strategy) if suggestion.strategy else ""
    if not account.strategy_overridden:
        account.strategy = account.strategy_suggested


def save_derived(account: Account, *, user: User, reason: str = "") -> Account:
    """Save fields a service derived (grade, strategy…) with a version bump and audit."""
    return core_services.versioned_save(account, user=user, reason=reason)


def lock_account(account: Account) -> Account:
    locked: Account = Account.objects.select_for_update().get(pk=account.pk)
    if locked.archived_at is not None:
        raise Conflict(_("This record is archived. Restore it before editing."))
    return locked


# ---------------------------------------------------------------------------------------
# duplicates (§7.3)


def _check_registration_number(number: str | None, exclude_pk: int | None) -> None:
    if not number:
        return
    taken = Account.objects.filter(registration_number=number).exclude(pk=exclude_pk).exists()
    if taken:
        # Same words whether or not the caller can see that account: nothing more leaks.
        raise ValidationFailed(
            _("An account with this registration number already exists."),
            [("registration_number", _("already exists"))],
        )


def name_duplicates(name_normalized: str, exclude_pk: int | None = None) -> list[Account]:
    if not name_normalized:
        return []
    return list(
        Account.objects.filter(name_normalized=name_normalized, archived_at__isnull=True)
        .exclude(pk=exclude_pk)
        .select_related("team")
        .order_by("id")[:DUPLICATES_SHOWN]
    )


def _refuse_visible_duplicates(user: User, duplicates: list[Account]) -> None:
    seen = set(
        visible(Account, user)
        .filter(pk__in=[d.pk for d in duplicates])
        .values_list("pk", flat=True)
    )
    shown = [d for d in duplicates if d.pk in seen]
    if shown:
        raise Conflict(
            _(
                "A similar account already exists: %(names)s. Use it, or confirm the duplicate "
                "to have a manager decide."
            )
            % {"names": ", ".join(f"{d.name} (#{d.pk})" for d in shown)},
            [("name", _("possible duplicate of #%(id)s") % {"id": d.pk}) for d in shown],
        )


def _raise_duplicate_conflicts(user: User, account: Account, duplicates: list[Account]) -> None:
    for other in duplicates:
        is_other_team = bool(other.team_id and other.team_id != account.team_id)
        conflict_raise(
            kind=ConflictKind.OWNERSHIP if is_other_team else ConflictKind.DUPLICATE_ACCOUNT,
            account=account,
            other_account=other,
            raised_by=user,
            summary=_("“%(new)s” looks like the existing account “%(old)s”.")
            % {"new": account.name, "old": other.name},
            details={
                "name_normalized": account.name_normalized,
                "other_team": other.team_id,
                "team": account.team_id,
            },
        )


# ---------------------------------------------------------------------------------------
# create / update / archive


@transaction.atomic
def account_create(
    *,
    user: User,
    name: str,
    owner: User | None = None,
    members: list[User] | None = None,
    confirm_duplicate: bool = False,
    **fields: Any,
) -> Account:
    """Create an account. The same registration number is refused; a similar name is refused
    when the caller can see the other account, unless `confirm_duplicate`; otherwise the
    account is created and a conflict is raised for a manager (METHOD.md §7.3)."""
    require_creator(user)
    values = _normalise({"name": name, **fields})
    if values.get("team") is None and (owner or user).team_id:
        values["team"] = (owner or user).team
    account = Account(owner=owner or user, **values)
    _check_registration_number(account.registration_number, None)
    duplicates = name_duplicates(account.name_normalized)
    if duplicates and not confirm_duplicate:
        _refuse_visible_duplicates(user, duplicates)
    apply_ka_profile(account)
    apply_strategy(account, history=[])
    core_services.save_new(account, user=user)
    if members:
        account.members.set(members)
    _raise_duplicate_conflicts(user, account, duplicates)
    return account


def account_update(
    *, user: User, account: Account, expected_version: int | None, changes: dict[str, Any]
) -> Account:
    require_creator(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if changes.get("parent") is not None:
        _check_parent(account, changes["parent"])
    changes = _normalise(dict(changes))
    if "registration_number" in changes:
        _check_registration_number(changes["registration_number"], account.pk)
    with transaction.atomic():
        updated = core_services.update_fields(
            account, user=user, changes=changes, expected_version=expected_version
        )
        before = (updated.ka_profile, updated.ka_profile_auto, updated.strategy_suggested)
        before_strategy = updated.strategy
        apply_ka_profile(updated)
        apply_strategy(updated)
        after = (updated.ka_profile, updated.ka_profile_auto, updated.strategy_suggested)
        if before != after or before_strategy != updated.strategy:
            # Derived from the same edit: saved without another version bump.
            core_services.versioned_save(updated, user=user, bump=False)
    return updated


def account_archive(*, user: User, account: Account) -> Account:
    require_creator(user)
    return core_services.archive(account, user=user)


def account_restore(*, user: User, account: Account) -> Account:
    return core_services.restore(account, user=user)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("An override needs a reason."), [("reason", _("This field is required."))]
        )
    return reason


@transaction.atomic
def account_ka_profile_override(
    *,
    user: User,
    account: Account,
    profile: str | None,
    reason: str,
    expected_version: int | None,
) -> Account:
    """Override the KA profile ("" = none/SMB) with a reason; `profile=None` returns to the
    automatic profile."""
    require_creator(user)
    if profile is None:
        changes: dict[str, Any] = {
            "ka_profile_overridden": False,
            "ka_profile_override_reason": "",
            "ka_profile": account.ka_profile_auto,
        }
    else:
        if profile not in ("", *KaProfile.values):
            raise ValidationFailed(_("Unknown KA profile."), [("profile", _("invalid"))])
        changes = {
            "ka_profile_overridden": True,
            "ka_profile_override_reason": _require_reason(reason),
            "ka_profile": profile,
        }
    return core_services.update_fields(
        account, user=user, changes=changes, expected_version=expected_version
    )


@transaction.atomic
def account_strategy_override(
    *,
    user: User,
    account: Account,
    strategy: str | None,
    reason: str,
    expected_version: int | None,
) -> Account:
    """Override the suggested strategy ("" = no active strategy) with a reason;
    `strategy=None` returns to the suggestion (§2.4)."""
    require_creator(user)
    if strategy is None:
        changes: dict[str, Any] = {
            "strategy_overridden": False,
            "strategy_override_reason": "",
            "strategy": account.strategy_suggested,
        }
    else:
        if strategy not in ("", *Strategy.values):
            raise ValidationFailed(_("Unknown strategy."), [("strategy", _("invalid"))])
        changes = {
            "strategy_overridden": True,
            "strategy_override_reason": _require_reason(reason),
            "strategy": strategy,
        }
    return core_services.update_fields(
        account, user=user, changes=changes, expected_version=expected_version
    )


def account_prepare(
    *,
    user: User,
    name: str,
    owner: User | None = None,
    config: MethodConfig | None = None,
    **fields: Any,
) -> Account:
    """The unsaved account `account_create` would insert (normalised, team from the owner,
    KA profile and strategy derived), for bulk writers such as imports, which check
    registration numbers and duplicates (§7.3) for many rows at once and save in bulk with
    history. `config` saves one query per account when many are prepared."""
    require_creator(user)
    values = _normalise({"name": name, **fields})
    if values.get("team") is None and (owner or user).team_id:
        values["team"] = (owner or user).team
    account = Account(owner=owner or user, created_by=user, **values)
    apply_ka_profile(account, config)
    apply_strategy(account, history=[])
    return account
