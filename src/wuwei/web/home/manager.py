"""The manager's panels: the coaching queue, the team at risk, overdue actions, approvals."""

from collections.abc import Sequence
from typing import Any

from django.db.models import (
    Count,
    Max,
    Q,
)
from django.urls import reverse

from wuwei.coaching.selectors import coaching_queue
from wuwei.opportunities.models import (
    Opportunity,
)
from wuwei.org.visibility import in_subtree
from wuwei.playbook.models import RiskSeverity
from wuwei.playbook.selectors import open_visible_deals
from wuwei.support import selectors as support
from wuwei.support.models import RequestState
from wuwei.web.home.base import Today, _list_url
from wuwei.web.home.rep import _fired, _overdue

# ----------------------------------------------------------------------------------------
# manager


def coaching_head(t: Today) -> Sequence[Any]:
    """The head of the coaching queue (a fixed number of queries: coaching.selectors)."""
    return coaching_queue(user=t.user, limit=t.fetch).items


def team_at_risk(t: Today) -> Sequence[Any]:
    """Open deals of the manager's subtree with rules firing, most high-severity findings
    first: the findings counted per deal (one grouped query), then those deals."""
    if not t.scope.team_path:
        return []
    deals = open_visible_deals(user=t.user).filter(in_subtree(t.scope.team_path))
    counted = (
        _fired(deals)
        .values("opportunity_id")
        .annotate(
            risks=Count("id"),
            high=Count("id", filter=Q(rule__severity=RiskSeverity.HIGH)),
            amount=Max("opportunity__amount"),
        )
        .order_by("-high", "-risks", "-amount", "opportunity_id")[: t.fetch]
    )
    counts = {row["opportunity_id"]: row for row in counted}
    shown = Opportunity.objects.select_related("account", "owner").in_bulk(list(counts))
    rows = []
    for deal_id, row in counts.items():
        deal = shown[deal_id]
        deal.risks, deal.high = row["risks"], row["high"]
        rows.append(deal)
    return rows


def _team_risks_list(t: Today) -> str | None:
    team_id = t.user.team_id
    return _list_url("playbook:risks", team=team_id) if team_id else reverse("playbook:risks")


def team_overdue_actions(t: Today) -> Sequence[Any]:
    """Overdue actions of the people in the manager's team subtree (not the manager's own)."""
    if not t.scope.team_path:
        return []
    owners = Q(owner__team__path__startswith=t.scope.team_path) & ~Q(owner_id=t.user.pk)
    return _overdue(t, owners)


def approvals_waiting(t: Today) -> Sequence[Any]:
    """Presales requests over budget waiting for a manager (never one's own request)."""
    filters = support.RequestFilters(state=RequestState.AWAITING_APPROVAL)
    qs = support.request_list(user=t.user, filters=filters).exclude(requested_by_id=t.user.pk)
    return list(qs.order_by("created_at", "pk")[: t.fetch])
