"""Pursuit reads (§4.7, §4.8). The deal is fetched (and its visibility checked) by the caller
with `opportunities.selectors.opportunity_get`; everything here is a fixed number of queries
whatever the number of tactics, comparisons or competitors."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from wuwei.accounts.models import AccountStatus
from wuwei.competitors.models import Competitor
from wuwei.core.config import method_config
from wuwei.core.tactics import services as tactics
from wuwei.core.visibility import get_visible, visible
from wuwei.methodology.competitive import (
    CompetitivePosition,
    CompetitiveSuggestion,
    Standing,
    standing,
    suggest_competitive_strategy,
)
from wuwei.methodology.config import MethodConfig
from wuwei.methodology.winrate import CompetitorScore, PartyScore, calculate_win_rate
from wuwei.opportunities.models import (
    CompetitiveTactic,
    DealStrategy,
    DealTactic,
    Opportunity,
    OpportunityCompetitor,
    Questionnaire,
    QuestionnaireAnswer,
    Stage,
    ValueComparison,
    ValueDimension,
    ValueProposition,
)
from wuwei.opportunities.winning.selectors import effective_questionnaire

TOP_COMPETITORS = 2


# ----------------------------------------------------------------------------------------
# the tactics library


def tactic_list(*, user: Any, strategy: str | None = None) -> QuerySet[CompetitiveTactic]:
    return tactics.tactic_list(CompetitiveTactic, user=user, strategy=strategy)


def tactic_get(*, user: Any, id: int) -> CompetitiveTactic:
    return tactics.tactic_get(CompetitiveTactic, user=user, id=id)


# ----------------------------------------------------------------------------------------
# the deal's strategy and tactics


def deal_strategy(*, user: Any, opportunity: Opportunity) -> DealStrategy | None:
    qs = visible(DealStrategy, user).select_related("chosen_by")
    return qs.filter(opportunity=opportunity).first()


def deal_tactics(*, user: Any, opportunity: Opportunity) -> QuerySet[DealTactic]:
    return (
        visible(DealTactic, user)
        .filter(opportunity=opportunity, archived_at__isnull=True)
        .select_related("owner", "tactic", "activity")
    )


def deal_tactic_get(*, user: Any, opportunity: Opportunity, id: int) -> DealTactic:
    qs = deal_tactics(user=user, opportunity=opportunity).select_related("opportunity__account")
    return get_visible(qs, user, pk=id)


@dataclass(frozen=True, slots=True)
class Ranked:
    """Our rank and strength and the competitors strongest first, from one questionnaire."""

    rank: int
    strength: Decimal
    competitors: list[tuple[Competitor, Decimal]]


def _ranked(questionnaire: Questionnaire | None, config: MethodConfig) -> Ranked | None:
    """Strengths and our rank by the win-rate rules (§4.6: weights, ties us below)."""
    if questionnaire is None:
        return None
    answers = list(questionnaire.competitor_answers.all())
    result = calculate_win_rate(
        has_confirmed_compelling_event=True,  # only the ranking is used here
        has_inside_source=questionnaire.has_inside_source,
        us=PartyScore(questionnaire.us_fit, questionnaire.us_closeness),
        competitors=[CompetitorScore(a.competitor_id, a.fit, a.closeness) for a in answers],
        config=config.win_rate,
    )
    by_id = {a.competitor_id: a.competitor for a in answers}
    competitors = [(by_id[c.competitor_id], c.strength) for c in result.competitors]
    return Ranked(rank=result.rank or 1, strength=result.strength, competitors=competitors)


def _is_incumbent(opportunity: Opportunity) -> bool:
    """We already sell to this customer: it is a customer, or we won a deal there before."""
    if opportunity.account.status == AccountStatus.CUSTOMER:
        return True
    won = Opportunity.objects.filter(account_id=opportunity.account_id, stage=Stage.WON)
    return won.exclude(pk=opportunity.pk).exists()


@dataclass(frozen=True, slots=True)
class StrategyView:
    """What the Strategy tab and `GET /strategy` show."""

    chosen: DealStrategy | None
    suggestion: CompetitiveSuggestion
    position: CompetitivePosition


def strategy_view(*, user: Any, opportunity: Opportunity) -> StrategyView:
    config = method_config()
    ranked = _ranked(effective_questionnaire(opportunity), config)
    position = CompetitivePosition(
        win_rate=opportunity.win_rate,
        rank=ranked.rank if ranked else None,
        strength=ranked.strength if ranked else Decimal(0),
        leader_strength=ranked.competitors[0][1] if ranked and ranked.competitors else None,
        is_incumbent=_is_incumbent(opportunity),
        product_lines=len(opportunity.products.all()),
    )
    suggestion = suggest_competitive_strategy(
        position, top_n=config.win_rate.top_n, config=config.competitive_strategy
    )
    chosen = deal_strategy(user=user, opportunity=opportunity)
    return StrategyView(chosen=chosen, suggestion=suggestion, position=position)


# ----------------------------------------------------------------------------------------
# value proposition (§4.8)


@dataclass(frozen=True, slots=True)
class TopCompetitor:
    competitor: Competitor
    strength: Decimal | None  # from the questionnaire; None when taken from the deal
    source: str  # "questionnaire" or "deal"


def _deal_competitors(user: Any, opportunity: Opportunity) -> list[Competitor]:
    links = (
        OpportunityCompetitor.objects.filter(opportunity=opportunity)
        .filter(competitor__in=visible(Competitor, user))
        .select_related("competitor")
        .order_by("-is_primary", "competitor__name", "id")
    )
    return [link.competitor for link in links]


def top_competitors(
    *, user: Any, opportunity: Opportunity, questionnaire: Questionnaire | None
) -> list[TopCompetitor]:
    """The two most threatening competitors: strongest first in the newest questionnaire,
    then (to fill up, or without a questionnaire) those on the deal, main threat first."""
    ranked = _ranked(questionnaire, method_config())
    ids = [competitor.pk for competitor, _strength in (ranked.competitors if ranked else [])]
    allowed = set(visible(Competitor, user).filter(pk__in=ids).values_list("pk", flat=True))
    found: list[TopCompetitor] = [
        TopCompetitor(competitor, strength, "questionnaire")
        for competitor, strength in (ranked.competitors if ranked else [])
        if competitor.pk in allowed
    ][:TOP_COMPETITORS]
    for competitor in _deal_competitors(user, opportunity):
        if len(found) >= TOP_COMPETITORS:
            break
        if all(item.competitor.pk != competitor.pk for item in found):
            found.append(TopCompetitor(competitor, None, "deal"))
    return found


def involved_competitor_ids(opportunity: Opportunity) -> set[int]:
    """Competitors a comparison may name: those on the deal or in its questionnaires."""
    on_deal = OpportunityCompetitor.objects.filter(opportunity=opportunity)
    answered = QuestionnaireAnswer.objects.filter(questionnaire__opportunity=opportunity)
    return set(on_deal.values_list("competitor_id", flat=True)) | set(
        answered.values_list("competitor_id", flat=True)
    )


@dataclass(frozen=True, slots=True)
class Cell:
    rating: int | None
    note: str
    standing: Standing | None = None  # ours against this competitor's


@dataclass(frozen=True, slots=True)
class ValueRow:
    dimension: str
    label: str
    us: Cell
    competitors: list[Cell]

    @property
    def leads(self) -> int:
        return sum(1 for cell in self.competitors if cell.standing is Standing.LEAD)

    @property
    def lags(self) -> int:
        return sum(1 for cell in self.competitors if cell.standing is Standing.LAG)


@dataclass(frozen=True, slots=True)
class ValueView:
    proposition: ValueProposition | None
    competitors: list[TopCompetitor]
    rows: list[ValueRow]
    comparisons: list[ValueComparison]


def _table(comparisons: list[ValueComparison], competitors: list[TopCompetitor]) -> list[ValueRow]:
    cells = {(c.dimension, c.competitor_id): c for c in comparisons}
    rows = []
    for dimension, label in ValueDimension.choices:
        ours = cells.get((dimension, None))
        us = Cell(ours.rating if ours else None, ours.note if ours else "")
        row_cells = []
        for item in competitors:
            theirs = cells.get((dimension, item.competitor.pk))
            rating = theirs.rating if theirs else None
            row_cells.append(
                Cell(rating, theirs.note if theirs else "", standing(us.rating, rating))
            )
        rows.append(ValueRow(dimension, str(label), us, row_cells))
    return rows


def value_view(*, user: Any, opportunity: Opportunity) -> ValueView:
    proposition = visible(ValueProposition, user).filter(opportunity=opportunity).first()
    comparisons = list(
        visible(ValueComparison, user)
        .filter(opportunity=opportunity, archived_at__isnull=True)
        .select_related("competitor")
        .order_by("dimension", "competitor_id", "id")
    )
    competitors = top_competitors(
        user=user, opportunity=opportunity, questionnaire=effective_questionnaire(opportunity)
    )
    return ValueView(proposition, competitors, _table(comparisons, competitors), comparisons)
