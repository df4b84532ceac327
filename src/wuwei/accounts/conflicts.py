"""Raising ownership/registration conflicts (METHOD.md §7.3). Any app may raise one; the ESP+
issue owns the queue, the decision flow and duplicate detection."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts import notices
from wuwei.accounts.models import Account, ConflictKind, OwnershipConflict
from wuwei.core import services as core_services
from wuwei.org.models import Team, User


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
) -> OwnershipConflict:
    conflict = OwnershipConflict(
        kind=kind,
        account=account,
        raised_by=raised_by,
        summary=summary[:500],
        other_account=other_account,
        opportunity=opportunity,
        details=details or {},
    )
    conflict = core_services.save_new(conflict, user=raised_by)
    notices.conflict_raised(conflict, actor=raised_by)
    return conflict


def is_other_team(owning: Team | None, working: Team | None) -> bool:
    """Whether `working` is another team than the account's owning team. A team inside the
    owner's subtree (a sub-team) or above it (the region or company that oversees it) is the
    same line of ownership, not a conflict."""
    if owning is None or working is None or owning.pk == working.pk:
        return False
    return not (owning.path.startswith(working.path) or working.path.startswith(owning.path))


def ownership_conflict_check(
    *,
    user: User,
    account: Account,
    team: Team | None,
    opportunity: Any = None,
    registration: Any = None,
) -> OwnershipConflict | None:
    """One account has one owning segment team (METHOD.md §7.3): a deal (`opportunity`) or a
    partner registration (`registration`) by `team` on an account another team owns raises an
    ownership conflict for a manager to decide — once per account and deal; the conflict, or
    None when the team owns the account (or no conflict is due)."""
    if team is None or account.team_id in (None, team.pk):
        return None  # decided by the ids alone: the account's team is not read (issue #17)
    if not is_other_team(account.team, team):
        return None
    existing = OwnershipConflict.objects.filter(kind=ConflictKind.OWNERSHIP, account=account)
    if opportunity is not None:
        existing = existing.filter(opportunity=opportunity)
    elif registration is not None:
        existing = existing.filter(details__registration=registration.pk)
    else:
        existing = existing.filter(opportunity__isnull=True, details__registration__isnull=True)
    found = existing.first()
    if found is not None:
        return found
    assert team is not None and account.team is not None  # checked by is_other_team
    details: dict[str, Any] = {"team": team.pk, "owning_team": account.team.pk}
    if registration is not None:
        details["registration"] = registration.pk
    return conflict_raise(
        kind=ConflictKind.OWNERSHIP,
        account=account,
        raised_by=user,
        opportunity=opportunity,
        summary=_("%(team)s works on %(account)s, which %(owner)s owns")
        % {"team": team.name, "account": account.name, "owner": account.team.name},
        details=details,
    )
