r"""The forecast on the `wuwei demo --scale N` data set (issue 14 item 9: < 300 ms at 200k
deals), for the executive `scale_exec`, the sales-team manager `scale_mgr_1` and the sparse rep
`scale_rep_1`: the selector, the `/forecast/` page and `GET /api/v1/forecast` over eight
quarters (this year and next), and — where the page offers one — opening the first team row
(the htmx fragment of its children and reps).

When the database already holds a scale data set (the user `scale_exec` exists, e.g. a copy of
`wuwei_scale_200k` named by DATABASE_URL) it is measured as it is; otherwise the data set of
`--scale` deals is loaded first (bench.common.scale_data). Each line gives the median wall time
of 3 runs, the SQL time and statements of one more run (a cursor wrapper adds them up) and the
Python CPU seconds of that run (`time.process_time()`, which does not count the database
server's work nor the time waiting for a core). On PostgreSQL the forecast's running totals
are counted first when they do not match today (as the scheduler would, `forecast.cells`): the
first line says how long that took; the executive's grid reads them, the others the deals.

    createdb -h 127.0.0.1 -U postgres -T wuwei_scale_200k wuwei_forecast_200k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuwei_forecast_200k \
        python -m bench forecast_scale
"""

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.common import Result, median_ms, scale_data, sql_clock, timed
from wuwei.insights.forecast.cells import scheduled_recount
from wuwei.insights.forecast.selectors import forecast_grid
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User

TARGET_MS = 300.0
USERS = {"executive": "scale_exec", "manager": "scale_mgr_1", "sparse_rep": "scale_rep_1"}


def _measured(name: str, action: Callable[[], Any]) -> Result:
    total = median_ms(action, repeat=3)
    cpu = time.process_time()
    with sql_clock() as clock:
        action()
    cpu = time.process_time() - cpu
    extra = f" (SQL {clock.seconds * 1000:.0f} ms, {clock.statements} st., CPU {cpu * 1000:.0f} ms)"
    return Result(name + extra, total, "ms", TARGET_MS)


def _users(scale: int) -> dict[str, User]:
    names = USERS
    if not User.objects.filter(username=USERS["executive"]).exists():
        names = scale_data(scale).users
    return {who: User.objects.get(username=names[who]) for who in USERS}


def run(scale: int) -> list[Result]:
    users, seconds = timed(lambda: _users(scale))
    deals = Opportunity.objects.count()
    results = [Result(f"data set of {deals:,} deals ready", seconds, "s")]
    cells, seconds = timed(lambda: scheduled_recount(timezone.now()))
    if cells is not None:
        results.append(Result(f"forecast running totals counted ({cells:,} cells)", seconds, "s"))
    year = date.today().year
    start, end = date(year, 1, 1), date(year + 1, 12, 31)
    page = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    api = {"from": start.isoformat(), "to": end.isoformat()}
    for who, user in users.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)

        def get(
            path: str, query: dict[str, Any], client: Client = client, htmx: bool = False
        ) -> Any:
            response = client.get(path, query, headers={"HX-Request": "true"} if htmx else None)
            assert response.status_code == 200, (path, response.status_code)
            return response

        grid = forecast_grid(user=user, date_from=start, date_to=end)
        rows = sum(len(p.teams) + sum(len(t.reps) for t in p.teams) for p in grid.periods)
        results += [
            _measured(
                f"{who}: forecast 8 quarters (selector, {rows} rows)",
                lambda u=user: forecast_grid(user=u, date_from=start, date_to=end),
            ),
            _measured(f"{who}: forecast page", lambda: get(reverse("forecast:forecast"), page)),
            _measured(f"{who}: GET /api/v1/forecast", lambda: get("/api/v1/forecast", api)),
        ]
        try:
            url = reverse("forecast:rows")
        except NoReverseMatch:  # a version without lazy rows
            continue
        from wuwei.insights.forecast.selectors import openable_ids

        openable = openable_ids(user, grid)
        opened = next(
            ((p, t) for p in grid.periods for t in p.teams if t.subtree and t.team_id in openable),
            None,
        )
        if opened is not None:
            period, team = opened
            query = {"team": team.team_id, "period": period.period.label}
            results.append(
                _measured(
                    f"{who}: open team {team.team_id} in {period.period.label} (fragment)",
                    lambda q=query, u=url: get(u, q, htmx=True),
                )
            )
    return results
