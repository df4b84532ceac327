"""Handover steps (METHOD.md §3.5) for everything a person can own: accounts and their
coverage lines, opportunities and deal teams, connections, activities and open plan actions
(support moves the stages they are accountable for: `support.handover`).

Registered from PeopleConfig.ready(). The accounts and opportunities apps may take their
steps over later (same keys replace these)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account, ActionStatus, PlanAction
from wuwei.core import services as core_services
from wuwei.opportunities.models import Opportunity
from wuwei.org.handover import CountFn, ReassignFn, owner_step, register_step
from wuwei.org.models import User
from wuwei.people.models import Activity, Connection


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
        if connection.contact_id in known:
            core_services.delete_attributed(connection, user=actor, reason="handover")
            continue
        connection.employee = successor
        connection.note = f"{connection.note} {stamp}".strip()[:500]
        core_services.versioned_save(connection, user=actor, reason="handover")
        moved.append(connection.pk)
    return moved


def register() -> None:
    register_step("accounts", _("Accounts owned"), *owner_step(Account, "owner"))
    register_step(
        "account_coverage",
        _("Account coverage teams"),
        *_move_membership(Account.members.through, "account_id"),
    )
    register_step("opportunities", _("Opportunities owned"), *owner_step(Opportunity, "owner"))
    register_step(
        "deal_teams",
        _("Deal team memberships"),
        *_move_membership(Opportunity.members.through, "opportunity_id"),
    )
    register_step("connections", _("Connections"), _connections_count, _connections_reassign)
    register_step("activities", _("Activities owned"), *owner_step(Activity, "owner"))
    register_step(
        "region_coverage", _("Region line ownership"), *owner_step(Account, "region_owner")
    )
    register_step(
        "industry_coverage", _("Industry line ownership"), *owner_step(Account, "industry_owner")
    )
    open_actions = {"status__in": [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]}
    register_step(
        "plan_actions", _("Open plan actions"), *owner_step(PlanAction, "owner", **open_actions)
    )
