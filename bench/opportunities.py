"""Opportunity list, totals and pipeline board at scale ("fast at 100k deals").

Loads the `wuwei demo --scale N` data set in bulk (bench.common.scale_data: this measures
reads, not writes), then times what the pages and the API run for the executive, a manager
and a sparse rep who owns 20 deals:
the first and a deep keyset page, filtered lists, totals by stage and grade, the board
columns, and the two pages through the Django test client.
"""

from datetime import date
from typing import Any

from django.test import Client

from bench.common import Result, median_ms, scale_data, timed
from wuwei.core.pagination import keyset_page
from wuwei.opportunities import selectors
from wuwei.org.models import User


def _deep_cursor(user: User) -> str | None:
    qs = selectors.opportunity_list(user=user, filters=selectors.OpportunityFilters())
    page = keyset_page(qs, sort="-amount", limit=500)
    for _ in range(19):  # 10,000 rows in
        if page.next is None:
            break
        page = keyset_page(qs, sort="-amount", limit=500, cursor=page.next)
    return page.next


def run(scale: int) -> list[Result]:
    data, seconds = timed(lambda: scale_data(scale))
    results = [Result("generate deals (bulk)", scale / seconds, "rows/s")]
    for who in ("executive", "manager", "sparse_rep"):
        results += _measure(User.objects.get(username=data.users[who]), who)
    return results


def _measure(user: User, who: str) -> list[Result]:
    none = selectors.OpportunityFilters()
    filtered = selectors.OpportunityFilters(
        stage="bidding", grade="A", close_period=str(date.today().year)
    )
    cursor = _deep_cursor(user)

    def page(filters: Any = none, cursor: str | None = None) -> Any:
        qs = selectors.opportunity_list(user=user, filters=filters)
        return keyset_page(
            qs.prefetch_related("products"), sort="-amount", limit=50, cursor=cursor
        ).items

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    def get(path: str) -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    return [
        Result(f"{who}: list first page of 50", median_ms(page), "ms", target=100),
        Result(
            f"{who}: list page after 10,000 rows",
            median_ms(lambda: page(cursor=cursor)),
            "ms",
            target=100,
        ),
        Result(
            f"{who}: stage + grade + close filter",
            median_ms(lambda: page(filtered)),
            "ms",
            target=100,
        ),
        Result(
            f"{who}: totals by stage and grade",
            median_ms(
                lambda: selectors.opportunity_totals(
                    selectors.opportunity_list(user=user, filters=none)
                )
            ),
            "ms",
            target=800,
        ),
        Result(
            f"{who}: board columns (25 cards each)",
            median_ms(lambda: selectors.board_columns(user=user, filters=none)),
            "ms",
            target=800,
        ),
        Result(
            f"{who}: GET /opportunities/ (page + totals)",
            median_ms(lambda: get("/opportunities/")),
            "ms",
            target=1000,
        ),
        Result(
            f"{who}: GET /opportunities/board/",
            median_ms(lambda: get("/opportunities/board/")),
            "ms",
            target=1000,
        ),
    ]
