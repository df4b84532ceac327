"""Winning-engine test data, built through the real services."""

from datetime import UTC, datetime
from typing import Any

from tests.factories import make_account
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.competitors.models import Competitor
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_competitor_add
from wuwei.opportunities.winning import services
from wuwei.org.models import User

# Wednesday of ISO week 2027-W03 (Monday 2027-01-18), noon in Shanghai
AT = datetime(2027, 1, 20, 4, 0, tzinfo=UTC)


def make_deal(
    owner: User, *, rivals: int = 1, amount: int = 2_000_000, primary: bool = False, **fields: Any
) -> tuple[Opportunity, list[Competitor]]:
    """A deal of `owner` with `rivals` competitors on it (the first one a main threat if
    `primary`)."""
    deal = make_opportunity(owner, make_account(owner), amount, **fields)
    competitors = []
    for index in range(rivals):
        competitor = make_competitor(owner, name=f"Rival {deal.pk}-{index + 1}")
        opportunity_competitor_add(
            user=owner, opportunity=deal, competitor=competitor, is_primary=primary and index == 0
        )
        competitors.append(competitor)
    return deal, competitors


def add_event(deal: Opportunity, user: User, *, confirmed: bool = True, **fields: Any) -> Any:
    fields.setdefault("description", "Budget approved last year; go-live set by the CIO")
    return services.compelling_event_create(
        user=user, opportunity=deal, is_confirmed=confirmed, **fields
    )


def answer(
    deal: Opportunity,
    user: User,
    us: tuple[int, int],
    competitors: list[tuple[Competitor, int, int]],
    *,
    coach: bool = True,
    **fields: Any,
) -> Any:
    return services.questionnaire_submit(
        user=user,
        opportunity=deal,
        has_inside_source=coach,
        us_fit=us[0],
        us_closeness=us[1],
        competitors=competitors,
        **fields,
    )


def adjust(
    questionnaire: Any,
    user: User,
    us: tuple[int, int],
    competitors: list[tuple[Competitor, int, int]],
    *,
    coach: bool = True,
    **fields: Any,
) -> Any:
    return services.questionnaire_adjust(
        user=user,
        questionnaire=questionnaire,
        has_inside_source=coach,
        us_fit=us[0],
        us_closeness=us[1],
        competitors=competitors,
        **fields,
    )


def stored_win_rate(deal: Opportunity) -> int | None:
    return Opportunity.objects.values_list("win_rate", flat=True).get(pk=deal.pk)
