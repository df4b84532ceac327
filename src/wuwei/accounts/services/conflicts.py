"""The conflict queue's decisions (METHOD.md §7.3): a manager resolves or dismisses; who,
when and what is recorded on the conflict and in its history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.accounts.models import ConflictKind, ConflictStatus, OwnershipConflict
from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.org.models import User
from wuwei.org.permissions import Action, may, require


def can_decide(user: User, conflict: OwnershipConflict) -> bool:
    """Managers (of a team that sees the account), executives and admins decide; never the
    person who raised it, unless they see everything."""
    return may(user, Action.CONFLICT_DECIDE, conflict)


def _decide(
    *,
    user: User,
    conflict: OwnershipConflict,
    status: str,
    decision: str,
    expected_version: int | None,
) -> OwnershipConflict:
    require(user, Action.CONFLICT_DECIDE, conflict)
    if conflict.status != ConflictStatus.OPEN:
        raise Conflict(_("This conflict has already been decided."), [("status", conflict.status)])
    decision = (decision or "").strip()
    if not decision:
        raise ValidationFailed(
            _("Record the decision."), [("decision", _("This field is required."))]
        )
    return core_services.update_fields(
        conflict,
        user=user,
        changes={
            "status": status,
            "decision": decision,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
        expected_version=expected_version,
    )


@transaction.atomic
def conflict_resolve(
    *,
    user: User,
    conflict: OwnershipConflict,
    decision: str,
    expected_version: int | None,
    archive_duplicate: bool = False,
) -> OwnershipConflict:
    """Resolve with a recorded decision. For a duplicate, `archive_duplicate` archives the
    newer account (`conflict.account`) as part of the same decision."""
    decided = _decide(
        user=user,
        conflict=conflict,
        status=ConflictStatus.RESOLVED,
        decision=decision,
        expected_version=expected_version,
    )
    if archive_duplicate:
        if conflict.kind not in (ConflictKind.DUPLICATE_ACCOUNT, ConflictKind.OWNERSHIP):
            raise ValidationFailed(
                _("Only a duplicate account can be archived here."),
                [("archive_duplicate", _("not a duplicate"))],
            )
        core_services.archive(conflict.account, user=user)
    return decided


@transaction.atomic
def conflict_dismiss(
    *, user: User, conflict: OwnershipConflict, decision: str, expected_version: int | None
) -> OwnershipConflict:
    return _decide(
        user=user,
        conflict=conflict,
        status=ConflictStatus.DISMISSED,
        decision=decision,
        expected_version=expected_version,
    )
