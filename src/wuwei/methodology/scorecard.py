"""The five-dimension scorecard (道术本势律, METHOD.md §8): the ratios behind each KPI, the three
core functions of account management (三作用), the three uses in pursuit recorded at a deal's
close (三利用), collections (回款) and the radar's 0–100 score per dimension.

Pure: counts and sums gathered by `insights.scorecard.selectors` come in, ratios go out.
Percentages are rounded half up to one decimal; a ratio over nothing is None ("no data"),
never 0.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "CLASS_ORDER",
    "CloseFacts",
    "CoreFunctionFacts",
    "CoreFunctions",
    "Movement",
    "Radar",
    "RadarFacts",
    "ScorecardConfig",
    "UseSummary",
    "Uses",
    "collection_rate",
    "core_functions",
    "nine_box_movement",
    "percent",
    "presales_return",
    "radar",
    "use_summary",
    "uses_at_close",
    "weighted_forecast",
]

ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")
#: Nine-box classes from best to worst (§2.3): a move towards A is an improvement.
CLASS_ORDER = ("A", "B", "C", "D")
POSITIVE = frozenset({"positive", "strong_positive"})
#: A value proposition leads on at least this many of its four dimensions (§8 三利用 (2)).
SOLUTION_DIMENSIONS_NEEDED = 2


@dataclass(frozen=True, slots=True)
class ScorecardConfig:
    """`return_reference`: the presales return (won amount ÷ presales cost) that scores 100 on
    the radar's 势 axis; the default 33.3 is a deal that spent exactly its AB budget of 3 % of
    its amount (§5.2)."""

    return_reference: Decimal = Decimal("33.3")


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole × 100, one decimal, half up; None when whole is 0."""
    if whole == 0:
        return None
    if part < 0 or whole < 0:
        raise ValueError("part and whole must not be negative")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def presales_return(won_amount: Decimal, cost: Decimal) -> Decimal | None:
    """Return on presales (§5.2) = won amount ÷ presales cost, two decimals; None when
    nothing was spent."""
    if cost <= 0:
        return None
    return (Decimal(won_amount) / Decimal(cost)).quantize(CENT, ROUND_HALF_UP)


def collection_rate(collected: Decimal, contracted: Decimal) -> Decimal | None:
    """Collections (回款, §8) = collected ÷ contracted × 100; None without a contract value."""
    if contracted <= 0:
        return None
    return (Decimal(collected) * 100 / Decimal(contracted)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def weighted_forecast(deals: Iterable[tuple[Decimal, int | None]]) -> tuple[Decimal, int]:
    """Forecast (§8) = Σ amount × win rate over rated open deals, and the number of unrated
    deals, which are shown apart and never counted as 0 or 100."""
    total = Decimal(0)
    unrated = 0
    for amount, win_rate in deals:
        if win_rate is None:
            unrated += 1
        else:
            total += Decimal(amount) * win_rate / 100
    return total.quantize(CENT, ROUND_HALF_UP), unrated


@dataclass(frozen=True, slots=True)
class Movement:
    """Nine-box movement over a period (道): accounts whose class improved, declined, held,
    and those first classified during it."""

    improved: int
    declined: int
    held: int
    new: int


def nine_box_movement(groups: Iterable[tuple[str | None, str | None, int]]) -> Movement:
    """Each group is (nine-box class at the start of the period, class at its end, number of
    accounts); None: not classified then. A → D is best → worst (§2.3)."""
    improved = declined = held = new = 0
    for start, end, count in groups:
        if end is None:
            continue
        if start is None:
            new += count
            continue
        before, after = CLASS_ORDER.index(start), CLASS_ORDER.index(end)
        if after < before:
            improved += count
        elif after > before:
            declined += count
        else:
            held += count
    return Movement(improved, declined, held, new)


@dataclass(frozen=True, slots=True)
class CoreFunctionFacts:
    """The facts of one rep and period for 三作用 (§8).

    `closeness`: per KA account, the closeness index (§3.4) at the start and the end of the
    period; `deciders`: approver and decision-maker roles mapped on the rep's KA deals, and
    how many of them are positive; `ka_accounts` and `ka_ahead`: KA accounts and those whose
    plan shows us ahead of both top competitors; `incubated`: amounts of the deals started from
    plan actions or visits in the period, and their Σ amount."""

    closeness: Sequence[tuple[Decimal | None, Decimal | None]]
    deciders: int
    deciders_positive: int
    ka_accounts: int
    ka_ahead: int
    incubated_count: int
    incubated_amount: Decimal


@dataclass(frozen=True, slots=True)
class CoreFunctions:
    closeness_change: Decimal | None  # mean change in index points over measured accounts
    accounts_measured: int
    decider_coverage: Decimal | None  # % of approver/decision-maker roles positive
    solution_ahead: Decimal | None  # % of KA accounts ahead of both top competitors
    incubated_count: int
    incubated_amount: Decimal


def core_functions(facts: CoreFunctionFacts) -> CoreFunctions:
    """三作用 per rep and period (METHOD.md §8):
    (1) relationship advantage = mean of (end − start) closeness over the KA accounts measured
        at both ends, with the share of approver/decision-maker roles whose status is positive;
    (2) solution advantage = ka_ahead ÷ ka_accounts;
    (3) opportunities incubated = count and Σ amount."""
    if facts.deciders_positive > facts.deciders or facts.ka_ahead > facts.ka_accounts:
        raise ValueError("a part exceeds its whole")
    changes = [
        end - start for start, end in facts.closeness if start is not None and end is not None
    ]
    change = None
    if changes:
        change = (sum(changes, Decimal(0)) / len(changes)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return CoreFunctions(
        closeness_change=change,
        accounts_measured=len(changes),
        decider_coverage=percent(facts.deciders_positive, facts.deciders),
        solution_ahead=percent(facts.ka_ahead, facts.ka_accounts),
        incubated_count=facts.incubated_count,
        incubated_amount=Decimal(facts.incubated_amount).quantize(CENT),
    )


@dataclass(frozen=True, slots=True)
class CloseFacts:
    """A deal at its close (§8 三利用).

    `deciders`: the decision map's (role, relationship status) pairs; `ratings`: per value
    dimension, our rating and the top competitors' ratings (1–5, None when not rated);
    `blocking_overridden`: a blocking rule was let through at a stage gate; `high_open`: a
    high-severity risk rule fired at the close."""

    has_inside_source: bool
    has_connected_contact: bool
    deciders: Sequence[tuple[str, str]]
    ratings: Mapping[str, tuple[int | None, Sequence[int | None]]]
    blocking_overridden: bool
    high_open: bool


@dataclass(frozen=True, slots=True)
class Uses:
    connections: bool
    solution: bool
    rules: bool
    dimensions_ahead: int


def _positive_role(deciders: Sequence[tuple[str, str]], role: str) -> bool:
    return any(r == role and status in POSITIVE for r, status in deciders)


def _ahead(us: int | None, competitors: Sequence[int | None]) -> bool:
    rated = [c for c in competitors if c is not None]
    return us is not None and bool(rated) and all(us > c for c in rated)


def uses_at_close(facts: CloseFacts) -> Uses:
    """三利用 of one closed deal (METHOD.md §8):
    (1) connections used = (an inside source, or a contact reached through an enterprise
        connection) and an approver and a decision maker both positive at close;
    (2) solution used = we are rated above every top competitor rated on at least two of the
        value proposition's four dimensions (§4.8);
    (3) rules used = no blocking rule overridden and no high-severity risk open at close."""
    reached = facts.has_inside_source or facts.has_connected_contact
    deciders_positive = _positive_role(facts.deciders, "approver") and _positive_role(
        facts.deciders, "decision_maker"
    )
    ahead = sum(1 for us, theirs in facts.ratings.values() if _ahead(us, theirs))
    return Uses(
        connections=reached and deciders_positive,
        solution=ahead >= SOLUTION_DIMENSIONS_NEEDED,
        rules=not facts.blocking_overridden and not facts.high_open,
        dimensions_ahead=ahead,
    )


@dataclass(frozen=True, slots=True)
class UseSummary:
    """One use over closed deals: share of won deals that used it, and the win-rate lift =
    win rate of closed deals that used it − win rate of those that did not (points)."""

    won: int
    won_using: int
    share_of_won: Decimal | None
    win_rate_using: Decimal | None
    win_rate_without: Decimal | None
    lift: Decimal | None


def use_summary(
    *, won_using: int, won_without: int, lost_using: int, lost_without: int
) -> UseSummary:
    """Share of won deals = won_using ÷ won; lift = rate(using) − rate(without), None when
    either side has no closed deal."""
    if min(won_using, won_without, lost_using, lost_without) < 0:
        raise ValueError("counts must not be negative")
    won = won_using + won_without
    using = percent(won_using, won_using + lost_using)
    without = percent(won_without, won_without + lost_without)
    lift = None if using is None or without is None else using - without
    return UseSummary(won, won_using, percent(won_using, won), using, without, lift)


@dataclass(frozen=True, slots=True)
class RadarFacts:
    """What the radar's five axes read for one rep or team."""

    classified: int  # accounts classified at the end of the period
    declined: int  # of them, class worse than at the start
    won: int
    closed: int
    deciders: int  # approver/decision-maker roles on open deals
    deciders_connected: int  # of them, reachable through an enterprise connection
    won_amount: Decimal
    presales_cost: Decimal  # presales cost of the deals won
    closed_recorded: int  # closed deals whose uses were recorded at the close
    closed_rules_used: int  # of them, rules used (no override, no high risk open)


@dataclass(frozen=True, slots=True)
class Radar:
    """0–100 per dimension; None = no data for it (drawn as 0 and flagged)."""

    way: Decimal | None  # 道
    craft: Decimal | None  # 术
    root: Decimal | None  # 本
    momentum: Decimal | None  # 势
    law: Decimal | None  # 律

    def as_list(self) -> list[Decimal | None]:
        return [self.way, self.craft, self.root, self.momentum, self.law]


def radar(facts: RadarFacts, config: ScorecardConfig | None = None) -> Radar:
    """The radar (§8 scorecard), one normalised figure per dimension:
    道 = share of classified accounts that did not decline in the nine-box;
    术 = win rate (won ÷ closed);
    本 = connection coverage of approver/decision-maker roles;
    势 = presales return ÷ return_reference, capped at 100;
    律 = share of the closed deals recorded at close that kept the rules (三利用 (3))."""
    config = config or ScorecardConfig()
    if (
        facts.declined > facts.classified
        or facts.won > facts.closed
        or facts.closed_rules_used > facts.closed_recorded
    ):
        raise ValueError("a part exceeds its whole")
    momentum = None
    earned = presales_return(facts.won_amount, facts.presales_cost)
    if earned is not None:
        momentum = min(Decimal(100), earned * 100 / config.return_reference).quantize(
            ONE_DECIMAL, ROUND_HALF_UP
        )
    return Radar(
        way=percent(facts.classified - facts.declined, facts.classified),
        craft=percent(facts.won, facts.closed),
        root=percent(facts.deciders_connected, facts.deciders),
        momentum=momentum,
        law=percent(facts.closed_rules_used, facts.closed_recorded),
    )
