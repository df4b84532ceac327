"""The scorecard in brief for the executive home page: the team's five axes and its headline
numbers (`scorecard_summary(user)`, rendered by `insights/_scorecard_brief.html` in the
executive's lazy home panel)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wuwei.core.errors import NotFound
from wuwei.insights.scorecard.scope import Period, Reach, scorecard_reach
from wuwei.insights.scorecard.selectors import AXES, Row, scorecard
from wuwei.insights.selectors import default_period


@dataclass(frozen=True)
class Summary:
    reach: Reach
    period: Period
    total: Row
    query: str

    @property
    def axes(self) -> list[tuple[str, Decimal | None]]:
        return list(zip((str(a) for a in AXES), self.total.radar.as_list(), strict=True))


def scorecard_summary(user: Any) -> Summary | None:
    """This year's scorecard of the user's own team (everything for an executive or
    administrator without a team); None for a partner user."""
    try:
        reach = scorecard_reach(user=user, team_id=None)
    except NotFound:
        return None
    start, end = default_period()
    period = Period(start, end)
    card = scorecard(
        user=user,
        reps=reach.reps,
        period=period,
        rows=False,
        resources=False,
        everyone=reach.everyone,
    )
    team = f"team={reach.team.pk}&" if reach.team is not None else ""
    query = f"{team}date_from={start.isoformat()}&date_to={end.isoformat()}"
    return Summary(reach=reach, period=period, total=card.total, query=query)
