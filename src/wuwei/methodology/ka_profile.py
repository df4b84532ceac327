"""Automatic KA profile of an account (§2.1, seed 003)."""

from decimal import Decimal

from wuwei.methodology.config import KaProfileConfig
from wuwei.methodology.enums import KaProfile, Scope

__all__ = ["KaProfile", "Scope", "assign_ka_profile"]


def assign_ka_profile(
    *,
    is_headquarters: bool,
    scope: Scope,
    on_ranking_list: bool,
    annual_revenue: Decimal | None,
    pays_above_peers: bool,
    config: KaProfileConfig,
    product_line: str | None = None,
) -> KaProfile | None:
    """KA profile from account attributes (METHOD.md §2.1, seed 003); None means SMB.

    The first matching rule wins:
    1. `global`: the company's scope is worldwide and it is on a ranking list;
    2. `national`: its scope is nationwide and it is on a ranking list;
    3. `regional`: the account is a headquarters, its scope is at least regional (regional,
       national or global: a known name beyond its city) and its annual revenue is at least
       the revenue bar (default 50,000,000 CNY; per product line when configured). This also
       catches national/global companies that are on no ranking list but meet the bar;
    4. `high_willingness`: none of the above (below the size bar) but it pays well above
       its peers;
    5. otherwise None (SMB).
    "HQ or scope worldwide" in §2.1 is read as the reach of the company (seed 003: "公司总部或
    历史经营范围覆盖全球"), which `scope` records, so `is_headquarters` does not matter for
    global/national: a branch of a ranked group belongs to that key account. Unknown revenue
    never qualifies for `regional`.
    """
    if on_ranking_list and scope is Scope.GLOBAL:
        return KaProfile.GLOBAL
    if on_ranking_list and scope is Scope.NATIONAL:
        return KaProfile.NATIONAL
    bar = config.revenue_bar(product_line)
    meets_bar = annual_revenue is not None and annual_revenue >= bar
    if is_headquarters and scope is not Scope.LOCAL and meets_bar:
        return KaProfile.REGIONAL
    if pays_above_peers:
        return KaProfile.HIGH_WILLINGNESS
    return None
