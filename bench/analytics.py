"""Pipeline analytics, the five-dimension scorecard and the role home pages on the
`wuwei demo --scale N` data set (issue 14 item 9: < 300 ms at 200k deals; issue 17: < 1 s at
1M), for the executive, a sales-team manager and the sparse rep who owns 20 deals.

When the database already holds a scale data set (the user `scale_exec` exists, e.g. a copy of
`wuwei_scale_200k` named by DATABASE_URL) it is measured as it is; otherwise the data set of
`--scale` deals is loaded first (bench.common.scale_data). Timed per role, this year:
the pipeline report (selector, page and its lazy team curves), the scorecard of the user's
reach (selector and page), the home page and its lazy panels (the executive's scorecard
brief, the manager's coaching queue) and forecast blocks. Each line also says how much of the
time the SQL took (the queries run through a cursor wrapper that adds up their time) and how
many statements it ran. Logging in writes a session row: measure a copy of the data set, not
the original.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from bench.common import Result, median_ms, scale_data, sql_clock, timed
from wuwei.insights.pipeline import pipeline_report
from wuwei.insights.scorecard.scope import Period, scorecard_reach
from wuwei.insights.scorecard.selectors import scorecard
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.web.home import sections_for
from wuwei.web.views import HOME_FORECASTS

TARGET_MS = 300.0
#: The data set's logins (bench/README.md "Data sets"): scale_mgr_1 manages the sparse rep.
USERS = {"executive": "scale_exec", "manager": "scale_mgr_1", "sparse_rep": "scale_rep_1"}


def _users(scale: int) -> dict[str, User]:
    names = USERS
    if not User.objects.filter(username=USERS["executive"]).exists():
        names = scale_data(scale).users
    return {who: User.objects.get(username=names[who]) for who in USERS}


def _measured(name: str, action: Callable[[], Any]) -> Result:
    total = median_ms(action)
    with sql_clock() as clock:
        action()
    sql = f" (SQL {clock.seconds * 1000:.0f} ms, {clock.statements} statements)"
    return Result(name + sql, total, "ms", TARGET_MS)


def run(scale: int) -> list[Result]:
    users, seconds = timed(lambda: _users(scale))
    deals = Opportunity.objects.count()  # an existing data set has its own size
    results = [Result(f"data set of {deals:,} deals ready", seconds, "s")]
    today = date.today()
    year = (date(today.year, 1, 1), today)
    for who, user in users.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)

        def get(path: str, client: Client = client, **headers: str) -> Any:
            response = client.get(path, **headers)
            assert response.status_code == 200, (path, response.status_code)
            return response

        reach = scorecard_reach(user=user, team_id=None)
        results += [
            _measured(
                f"{who}: pipeline analytics (selector)",
                lambda u=user: pipeline_report(user=u, date_from=year[0], date_to=year[1]),
            ),
            _measured(
                f"{who}: pipeline analytics page",
                lambda: get(reverse("insights:pipeline")),
            ),
            _measured(
                f"{who}: pipeline curves (lazy)",
                lambda: get(reverse("insights:pipeline_curves")),
            ),
            _measured(
                f"{who}: scorecard (selector, {len(reach.reps)} reps)",
                lambda u=user, r=reach: scorecard(
                    user=u, reps=r.reps, period=Period(*year), everyone=r.everyone
                ),
            ),
            _measured(f"{who}: scorecard page", lambda: get(reverse("scorecard:page"))),
            _measured(f"{who}: home page", lambda: get("/")),
        ]
        for section in sections_for(user):
            for panel in section.panels:
                if panel.lazy:
                    url = reverse("web:home_panel", args=[panel.key])
                    results.append(
                        _measured(
                            f"{who}: home panel {panel.key} (lazy)",
                            lambda url=url: get(url, HTTP_HX_REQUEST="true"),
                        )
                    )
        for part, shows in HOME_FORECASTS.items():
            if shows(user):
                url = reverse("web:home_forecast", args=[part])
                results.append(
                    _measured(
                        f"{who}: home forecast {part} (lazy)",
                        lambda url=url: get(url, HTTP_HX_REQUEST="true"),
                    )
                )
    return results
