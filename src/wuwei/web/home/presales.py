"""The presales lead's and engineer's panels: queue, assignments, scores owed, scorecard brief,
load, budget burn."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wuwei.core.config import method_config
from wuwei.insights.scorecard.summary import scorecard_summary
from wuwei.methodology.presales import is_over_capacity
from wuwei.org.models import Role
from wuwei.support import selectors as support
from wuwei.support.models import RequestState
from wuwei.web.home.base import LOAD_WEEKS, Today

# ----------------------------------------------------------------------------------------
# presales lead and engineer


def presales_queue(t: Today) -> Sequence[Any]:
    filters = support.RequestFilters(state=RequestState.QUEUED)
    return list(
        support.request_list(user=t.user, filters=filters).order_by("start", "pk")[: t.fetch]
    )


def my_assignments(t: Today) -> Sequence[Any]:
    qs = support.assignment_list(user=t.user, active=True).filter(
        resource__user_id=t.user.pk, end__gte=t.today
    )
    return list(qs.order_by("start", "pk")[: t.fetch])


def scores_owed(t: Today) -> Sequence[Any]:
    """Stage-exit scores the user owes (METHOD.md §5.4): stages they owned that deals left."""
    return support.pending_scores(user=t.user)[: t.fetch]


def scorecard_brief(t: Today) -> Sequence[Any]:
    """This year's five-dimension scorecard of the user's reach, in brief (METHOD.md §8)."""
    summary = scorecard_summary(t.user)
    return [summary] if summary is not None else []


@dataclass(frozen=True, slots=True)
class LoadRow:
    person: str
    weeks: list[tuple[str, float, bool]]  # ISO week, load %, over capacity

    @property
    def peak(self) -> float:
        return max((load for _week, load, _over in self.weeks), default=0.0)


def presales_load(t: Today) -> Sequence[Any]:
    """Load per ISO week of the coming weeks (support's heat-map selector): a delivery lead's
    unit, most loaded first; a presales engineer's own."""
    if Role.DELIVERY_LEAD in t.scope.roles and t.user.team_id:
        heat = support.load_heatmap(
            user=t.user, start=t.today, weeks=LOAD_WEEKS, unit=t.user.team_id
        )
    else:
        mine = support.resource_list(user=t.user).filter(user_id=t.user.pk).values("pk")[:1]
        resource = mine[0]["pk"] if mine else None
        if resource is None:
            return []
        heat = support.load_heatmap(
            user=t.user, start=t.today, weeks=LOAD_WEEKS, resource_id=resource
        )
    config = method_config().presales
    table: list[list[float]] = [[0.0] * len(heat.weeks) for _person in heat.people]
    for x, y, load in heat.cells:
        table[y][x] = load
    rows = [
        LoadRow(
            person,
            [
                (week, load, is_over_capacity(Decimal(str(load)), config=config))
                for week, load in zip(heat.weeks, table[y], strict=True)
            ],
        )
        for y, person in enumerate(heat.people)
    ]
    return sorted(rows, key=lambda row: -row.peak)[: t.fetch]


def budget_burn(t: Today) -> Sequence[Any]:
    """Presales spend against budget (support's charge-back selector), highest spend first."""
    return support.budget_burn(user=t.user, limit=t.fetch)
