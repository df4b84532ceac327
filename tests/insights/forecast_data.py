"""A fixed data set for the forecast and the pipeline analytics: deals at exactly the commit
and best-case thresholds and just below, one unrated, one closed since last week, one in
another quarter, one of another team and one archived."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import make_account, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.opportunities.models import Opportunity, WinRateSnapshot

Q1 = (date(2027, 1, 1), date(2027, 3, 31))


@dataclass
class Deals:
    org: Any
    by_name: dict[str, Opportunity]
    north_rep: Any


def _deal(
    owner: Any, account: Any, name: str, amount: int, rate: int | None, close: date, **fields: Any
) -> Opportunity:
    deal = make_opportunity(owner, account, amount=amount, name=name)
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=rate, expected_close=close, **fields)
    deal.refresh_from_db()
    return deal


def snapshot(deal: Opportunity, week: date, rate: int | None) -> None:
    WinRateSnapshot.objects.create(
        opportunity=deal,
        week=week,
        win_rate=rate,
        stage="validate",
        taken_at=timezone.make_aware(datetime(week.year, week.month, week.day, 8)),
    )


def build(org: Any, last_week: date) -> Deals:
    account = make_account(org.rep, name="华东客户")
    d = date(2027, 2, 15)
    deals = {
        "commit70": _deal(org.rep, account, "at 70", 1_000_000, 70, d),
        "best69": _deal(org.rep, account, "at 69", 500_000, 69, d),
        "best40": _deal(org.rep, account, "at 40", 400_000, 40, date(2027, 3, 31)),
        "pipe39": _deal(org.rep, account, "at 39", 300_000, 39, date(2027, 1, 1)),
        "unrated": _deal(org.rep, account, "unrated", 200_000, None, d),
        "peer100": _deal(org.peer_rep, account, "peer at 100", 100_000, 100, d),
        "won": _deal(
            org.rep, account, "won since", 900_000, 80, d, stage="won", closed_on=date(2027, 2, 5)
        ),
        "q2": _deal(org.rep, account, "next quarter", 250_000, 50, date(2027, 4, 15)),
        "archived": _deal(org.rep, account, "archived", 700_000, 90, d, archived_at=timezone.now()),
    }
    north_rep = make_user("north_rep", team=org.north_ka)
    north = make_account(north_rep, name="北方客户")
    deals["north90"] = _deal(north_rep, north, "north at 90", 600_000, 90, d)
    snapshot(deals["commit70"], last_week, 60)
    snapshot(deals["best69"], last_week, 69)
    snapshot(deals["unrated"], last_week, None)
    snapshot(deals["won"], last_week, 80)
    snapshot(deals["best40"], last_week - timedelta(days=7), 10)  # two weeks ago: not compared
    return Deals(org=org, by_name=deals, north_rep=north_rep)


def money(value: str | int) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
