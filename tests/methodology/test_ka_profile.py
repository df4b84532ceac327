from decimal import Decimal

import pytest

from wuwei.methodology.config import KaProfileConfig
from wuwei.methodology.ka_profile import Scope, assign_ka_profile

DEFAULT = KaProfileConfig()
PER_LINE = KaProfileConfig(product_line_revenue_bars={"saas": Decimal(20_000_000)})


@pytest.mark.parametrize(
    ("is_hq", "scope", "ranked", "revenue", "pays_more", "profile"),
    [
        (True, "global", True, None, False, "global"),
        # a branch of a ranked worldwide group still belongs to that global key account
        (False, "global", True, None, False, "global"),
        (True, "national", True, "10000000", False, "national"),
        (False, "national", True, None, True, "national"),
        # worldwide/nationwide but on no ranking list: sized like a regional account
        (True, "global", False, "60000000", False, "regional"),
        (True, "national", False, "1000000", False, None),
        (True, "regional", False, "50000000", False, "regional"),
        (True, "regional", True, "50000000", False, "regional"),
        (True, "regional", False, "49999999.99", False, None),
        (True, "regional", False, "49999999.99", True, "high_willingness"),
        (True, "regional", False, None, False, None),
        (False, "regional", False, "80000000", False, None),
        (True, "local", False, "80000000", False, None),
        (True, "local", True, "80000000", False, None),
        (True, "local", False, "80000000", True, "high_willingness"),
        (False, "local", False, None, True, "high_willingness"),
        (False, "local", False, None, False, None),
    ],
)
def test_assign_ka_profile(
    is_hq: bool,
    scope: str,
    ranked: bool,
    revenue: str | None,
    pays_more: bool,
    profile: str | None,
) -> None:
    result = assign_ka_profile(
        is_headquarters=is_hq,
        scope=Scope(scope),
        on_ranking_list=ranked,
        annual_revenue=None if revenue is None else Decimal(revenue),
        pays_above_peers=pays_more,
        config=DEFAULT,
    )

    assert result == profile


@pytest.mark.parametrize(
    ("product_line", "revenue", "profile"),
    [
        ("saas", "20000000", "regional"),
        ("saas", "19999999", None),
        ("hardware", "30000000", None),
        (None, "30000000", None),
        (None, "50000000", "regional"),
    ],
)
def test_regional_revenue_bar_per_product_line(
    product_line: str | None, revenue: str, profile: str | None
) -> None:
    result = assign_ka_profile(
        is_headquarters=True,
        scope=Scope.REGIONAL,
        on_ranking_list=False,
        annual_revenue=Decimal(revenue),
        pays_above_peers=False,
        config=PER_LINE,
        product_line=product_line,
    )

    assert result == profile
