"""Handover steps (METHOD.md §3.5) for what the people area and the records it maps own:
accounts and their coverage, opportunities and deal teams, connections, activities.

Registered from PeopleConfig.ready(). The accounts and opportunities apps may take their
steps over later (same keys replace these)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from wuwei.accounts.models import Account
from wuwei.opportunities.models import Opportunity
from wuwei.org.handover import CountFn, ReassignFn, register_step
from wuwei.org.models import User
from wuwei.people.models import Activity, Connection


def _move_owner(model: type[models.Model], field: str) -> tuple[CountFn, ReassignFn]:
    def count(user: User) -> int:
        return int(model._default_manager.filter(**{field: user}).count())

    def reassign(user: User, successor: User, actor: User) -> list[int]:
        rows = list(
            model._default_manager.select_for_update().filter(**{field: user}).order_by("pk")
        )
        for row in rows:
            setattr(row, field, successor)
            row.version += 1  # type: ignore[attr-defined]
        bulk_update_with_history(
            rows,
            model,
            [field, "version"],
            default_user=actor,
            default_change_reason="handover",
        )
        return [row.pk for row in rows]

    return count, reassign


def _move_membership(through: type[models.Model], owner_field: str) -> tuple[CountFn, ReassignFn]:
    def count(user: User) -> int:
        return int(through._default_manager.filter(user=user).count())

    def reassign(user: User, successor: User, actor: User) -> list[int]:
        """The successor takes the leaver's place (and any role stored on the link); where
        they already belong, the leaver's link is simply dropped."""
        links = through._default_manager.filter(user=user)
        owner_ids = list(links.order_by(owner_field).values_list(owner_field, flat=True))
        already = through._default_manager.filter(
            user=successor, **{f"{owner_field}__in": owner_ids}
        ).values_list(owner_field, flat=True)
        links.filter(**{f"{owner_field}__in": list(already)}).delete()
        links.update(user=successor)
        return owner_ids

    return count, reassign


def _connections_count(user: User) -> int:
    return Connection.objects.filter(employee=user).count()


def _connections_reassign(user: User, successor: User, actor: User) -> list[int]:
    """The successor inherits each relationship (人脉传承); where they already know the
    person, their own connection stays and the leaver's is dropped (kept in history)."""
    moved: list[int] = []
    known = set(Connection.objects.filter(employee=successor).values_list("contact_id", flat=True))
    stamp = gettext("Inherited from %(user)s on %(date)s.") % {
        "user": user,
        "date": timezone.localdate().isoformat(),
    }
    for connection in Connection.objects.select_for_update().filter(employee=user).order_by("pk"):
        connection._history_user = actor
        connection._change_reason = "handover"
        if connection.contact_id in known:
            connection.delete()
            continue
        connection.employee = successor
        connection.note = f"{connection.note} {stamp}".strip()[:500]
        connection.version += 1
        connection.save()
        moved.append(connection.pk)
    return moved


def register() -> None:
    register_step("accounts", _("Accounts owned"), *_move_owner(Account, "owner"))
    register_step(
        "account_coverage",
        _("Account coverage teams"),
        *_move_membership(Account.members.through, "account_id"),
    )
    register_step("opportunities", _("Opportunities owned"), *_move_owner(Opportunity, "owner"))
    register_step(
        "deal_teams",
        _("Deal team memberships"),
        *_move_membership(Opportunity.members.through, "opportunity_id"),
    )
    register_step("connections", _("Connections"), _connections_count, _connections_reassign)
    register_step("activities", _("Activities owned"), *_move_owner(Activity, "owner"))
