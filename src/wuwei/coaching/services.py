"""Coaching writes (METHOD.md §4.10): a review with its action items, and action updates.
Keyword-only, atomic, audited (django-simple-history); the pages and the API call these.

Who may review a deal: a manager whose team subtree holds the deal's owner (or the deal's
team), an executive or an administrator — never the deal's owner. Whoever cannot see the
deal gets "not found"; whoever sees it but may not review it gets "not allowed"."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.coaching import notices
from wuwei.coaching.models import ActionStatus, CoachingAction, CoachingReview
from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.core.visibility import get_visible, scope_for, visible
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.visibility import manages_deal
from wuwei.org.models import User
from wuwei.org.permissions import Action, may

MAX_ACTIONS = 20
ACTION_FIELDS = frozenset({"status", "title", "owner", "due"})


class ActionItem(NamedTuple):
    title: str
    owner: User
    due: date | None


def is_reviewer(user: Any) -> bool:
    """Coaches deals at all: whoever may open the coaching area (org.permissions) and oversees
    someone — a manager with a team, an executive or an administrator."""
    scope = scope_for(user)
    return may(user, Action.COACHING_AREA) and (scope.sees_everything or bool(scope.team_path))


def can_review(user: Any, opportunity: Opportunity) -> bool:
    """A manager above the deal's owner (team subtree), an executive or an administrator;
    never the owner. Reads `opportunity.owner.team` and `opportunity.team`."""
    if not getattr(user, "is_authenticated", False) or opportunity.owner_id == user.pk:
        return False
    return manages_deal(user, opportunity)


def can_update_status(user: Any, action: CoachingAction) -> bool:
    """The owner of an action item ticks it off; so may those who review the deal."""
    return action.owner_id == getattr(user, "pk", None) or can_review(user, action.opportunity)


def _owner_errors(owner: Any, opportunity: Opportunity, field: str) -> list[tuple[str, str]]:
    if owner is None:
        return [(field, _("This field is required."))]
    if not owner.is_active or scope_for(owner).is_partner:
        return [(field, _("Choose an active person of the company."))]
    if not visible(Opportunity, owner).filter(pk=opportunity.pk).exists():
        return [(field, _("This person cannot see the deal."))]
    return []


def _action_errors(
    index: int, item: ActionItem, opportunity: Opportunity, today: date
) -> list[tuple[str, str]]:
    prefix = f"actions.{index}"
    errors = []
    if not (item.title or "").strip():
        errors.append((f"{prefix}.title", _("This field is required.")))
    elif len(item.title.strip()) > 300:
        errors.append((f"{prefix}.title", _("At most 300 characters.")))
    errors += _owner_errors(item.owner, opportunity, f"{prefix}.owner")
    if item.due is None:
        errors.append((f"{prefix}.due", _("This field is required.")))
    elif item.due < today:
        errors.append((f"{prefix}.due", _("The due date is in the past.")))
    return errors


def _check_review(
    comments: str, items: list[ActionItem], opportunity: Opportunity, today: date
) -> None:
    errors: list[tuple[str, str]] = []
    if not comments:
        errors.append(("comments", _("This field is required.")))
    if len(items) > MAX_ACTIONS:
        errors.append(("actions", _("At most %(max)s action items.") % {"max": MAX_ACTIONS}))
    else:
        for index, item in enumerate(items):
            errors += _action_errors(index, item, opportunity, today)
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


@transaction.atomic
def review_create(
    *,
    user: User,
    opportunity: Opportunity,
    comments: str,
    actions: Iterable[tuple[str, Any, date | None]] = (),
    reviewed_at: datetime | None = None,
) -> CoachingReview:
    """Record a review: the comments, the action items (title, owner, due) and what the
    reviewer saw — the deal's win rate and stage now — so the queue clears until they move."""
    deal = get_visible(
        Opportunity.objects.select_related("owner__team", "team"), user, pk=opportunity.pk
    )
    if not can_review(user, deal):
        raise NotAllowed(
            _("Only a manager above the deal's owner, an executive or an administrator reviews.")
        )
    if deal.archived_at is not None:
        raise Conflict(_("This record is archived. Restore it before editing."))
    reviewed_at = reviewed_at or timezone.now()
    items = [ActionItem(*item) for item in actions]
    comments = (comments or "").strip()
    _check_review(comments, items, deal, timezone.localdate(reviewed_at))
    review = core_services.save_new(
        CoachingReview(
            opportunity=deal,
            reviewer=user,
            reviewed_at=reviewed_at,
            comments=comments,
            win_rate_at_review=deal.win_rate,
            stage_at_review=deal.stage,
        ),
        user=user,
    )
    created = [
        core_services.save_new(
            CoachingAction(
                review=review,
                opportunity=deal,
                title=item.title.strip(),
                owner=item.owner,
                due=item.due,  # type: ignore[misc]  # checked by _check_review
            ),
            user=user,
        )
        for item in items
    ]
    notices.actions_assigned(created, actor=user)
    return review


def _action_changes(action: CoachingAction, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the requested changes and add what follows from them (done_at)."""
    cleaned = dict(changes)
    errors: list[tuple[str, str]] = []
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            errors.append(("title", _("This field is required.")))
    if "owner" in cleaned:
        errors += _owner_errors(cleaned["owner"], action.opportunity, "owner")
    if "due" in cleaned and cleaned["due"] is None:
        errors.append(("due", _("This field is required.")))
    if "status" in cleaned:
        if cleaned["status"] not in ActionStatus.values:
            errors.append(("status", _("Choose open or done.")))
        elif cleaned["status"] != action.status:
            done = cleaned["status"] == ActionStatus.DONE
            cleaned["done_at"] = timezone.now() if done else None
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    return cleaned


def action_update(
    *,
    user: User,
    action: CoachingAction,
    changes: Mapping[str, Any],
    expected_version: int | None,
) -> CoachingAction:
    """Change an action item (status, title, owner, due). Its owner may only change the
    status; those who may review the deal, everything. A stale version is refused (409)."""
    unknown = set(changes) - ACTION_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not can_review(user, action.opportunity):
        if action.owner_id != user.pk:
            raise NotAllowed(_("Only the action's owner or a reviewer of the deal changes it."))
        if set(changes) - {"status"}:
            raise NotAllowed(_("As the action's owner you can only change its status."))
    cleaned = _action_changes(action, changes)
    previous_owner = action.owner_id
    updated: CoachingAction = core_services.update_fields(
        action, user=user, changes=cleaned, expected_version=expected_version
    )
    if updated.owner_id != previous_owner and updated.is_open:
        notices.actions_assigned([updated], actor=user)  # the new owner hears, once
    return updated


def action_done(
    *, user: User, action: CoachingAction, expected_version: int | None
) -> CoachingAction:
    return action_update(
        user=user,
        action=action,
        changes={"status": ActionStatus.DONE},
        expected_version=expected_version,
    )
