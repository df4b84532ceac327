"""Raising ownership/registration conflicts (METHOD.md §7.3). Any app may raise one; the ESP+
issue owns the queue, the decision flow and duplicate detection."""

from typing import Any

from django.db import transaction

from wuwei.accounts.models import Account, Conflict, ConflictKind
from wuwei.core import services as core_services
from wuwei.org.models import User


@transaction.atomic
def conflict_raise(
    *,
    kind: str,
    account: Account,
    raised_by: User,
    summary: str,
    other_account: Account | None = None,
    opportunity: Any = None,
    details: dict[str, Any] | None = None,
) -> Conflict:
    conflict = Conflict(
        kind=kind,
        account=account,
        raised_by=raised_by,
        summary=summary[:500],
        other_account=other_account,
        opportunity=opportunity,
        details=details or {},
    )
    return core_services.save_new(conflict, user=raised_by)


def ownership_conflict_check(
    *, user: User, account: Account, team: Any, opportunity: Any = None
) -> Conflict | None:
    """One account has one owning segment team (METHOD.md §7.3): work on `account` by `team`
    when another team owns it raises an ownership conflict (returned), else None."""
    if account.team_id is None or team is None or team.pk == account.team_id:
        return None
    return conflict_raise(
        kind=ConflictKind.OWNERSHIP,
        account=account,
        raised_by=user,
        opportunity=opportunity,
        summary=f"{team} works on {account.name}, owned by another team",
        details={"team": team.pk, "owning_team": account.team_id},
    )
