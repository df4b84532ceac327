"""Test data for strategy, tactics and value proposition (§4.7, §4.8). Questionnaires are
stored rows here (the questionnaire service belongs to the winning engine)."""

from typing import Any

from django.utils import timezone

from tests.factories import make_account
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.competitors.models import Competitor
from wuwei.opportunities.models import Opportunity, Questionnaire, QuestionnaireAnswer
from wuwei.opportunities.services import opportunity_competitor_add
from wuwei.org.models import User


def make_deal(owner: User, *, amount: int = 6_000_000, **fields: Any) -> Opportunity:
    account = fields.pop("account", None) or make_account(owner)
    return make_opportunity(owner, account, amount, **fields)


def on_deal(deal: Opportunity, *names: str, primary: str | None = None) -> list[Competitor]:
    """Competitors on the deal, the first (or `primary`) as the main threat."""
    found = []
    for index, name in enumerate(names):
        competitor = Competitor.objects.filter(name=name).first() or make_competitor(
            deal.owner, name
        )
        is_primary = name == primary if primary else index == 0
        opportunity_competitor_add(
            user=deal.owner, opportunity=deal, competitor=competitor, is_primary=is_primary
        )
        found.append(competitor)
    return found


def answer(
    deal: Opportunity,
    us: tuple[int, int],
    competitors: list[tuple[Competitor, int, int]],
    *,
    win_rate: int | None = None,
    has_inside_source: bool = True,
    at: Any = None,
) -> Questionnaire:
    """A stored questionnaire; `win_rate` is what the engine would have set on the deal."""
    questionnaire = Questionnaire.objects.create(
        opportunity=deal,
        role="rep",
        answered_by=deal.owner,
        answered_at=at or timezone.now(),
        has_inside_source=has_inside_source,
        us_fit=us[0],
        us_closeness=us[1],
        win_rate=win_rate,
    )
    for competitor, fit, closeness in competitors:
        QuestionnaireAnswer.objects.create(
            questionnaire=questionnaire, competitor=competitor, fit=fit, closeness=closeness
        )
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=win_rate)
    deal.refresh_from_db()
    return questionnaire
