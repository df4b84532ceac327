"""Win rate by competitor comparison (§4.6)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.config import WinRateConfig
from wuwei.methodology.explain import Reason

__all__ = [
    "CompetitorScore",
    "CompetitorStrength",
    "PartyScore",
    "WinRateResult",
    "calculate_win_rate",
    "win_rate_change_event",
]

_HUNDRED = Decimal(100)
_RAW_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class PartyScore:
    """Questionnaire answers for us: need fit and closeness, each 0-10 (§4.5)."""

    fit: int
    closeness: int


@dataclass(frozen=True, slots=True)
class CompetitorScore:
    """Questionnaire answers for one competitor on the deal (§4.5)."""

    competitor_id: int
    fit: int
    closeness: int


@dataclass(frozen=True, slots=True)
class CompetitorStrength:
    competitor_id: int
    strength: Decimal


@dataclass(frozen=True, slots=True)
class WinRateResult:
    """Win rate in whole percent (None = not rated), our rank, the strengths and why.

    `competitors` is ordered strongest first (ties keep the input order). `rank` is None when
    the deal is not rated (no confirmed compelling event).
    """

    win_rate: int | None
    rank: int | None
    strength: Decimal
    competitors: tuple[CompetitorStrength, ...]
    reasons: tuple[Reason, ...]


def _check_answer(name: str, value: int) -> None:
    if isinstance(value, bool) or not 0 <= value <= 10:
        raise ValueError(f"{name} must be an integer between 0 and 10, got {value!r}")


def _strength(fit: int, closeness: int, config: WinRateConfig) -> Decimal:
    _check_answer("fit", fit)
    _check_answer("closeness", closeness)
    return config.fit_weight * fit + config.closeness_weight * closeness


def _ranked_competitors(
    competitors: Sequence[CompetitorScore], config: WinRateConfig
) -> tuple[CompetitorStrength, ...]:
    ids = [competitor.competitor_id for competitor in competitors]
    if len(set(ids)) != len(ids):
        raise ValueError("each competitor may be scored only once")
    strengths = [
        CompetitorStrength(c.competitor_id, _strength(c.fit, c.closeness, config))
        for c in competitors
    ]
    return tuple(sorted(strengths, key=lambda item: item.strength, reverse=True))


def calculate_win_rate(
    *,
    has_confirmed_compelling_event: bool,
    has_inside_source: bool,
    us: PartyScore,
    competitors: Sequence[CompetitorScore],
    config: WinRateConfig,
) -> WinRateResult:
    """Competitor-comparison win rate (METHOD.md §4.6); stage never enters it.

    `strength(p) = fit_weight * fit(p) + closeness_weight * closeness(p)`; our rank counts every
    competitor at least as strong as us (ties: us below).
    1. no confirmed compelling event → None (not rated);
    2. rank > top_n (3) → 0;
    3. `raw = strength(us) / (strength(us) + Σ strength of the competitors_in_formula (2)
       strongest competitors)`; no competitors → 1; all strengths 0 → 0;
    4. no inside source → `raw * no_inside_source_factor` (0.7);
    then whole percent, halves up, in Decimal. Every rule applied is in `reasons`.
    """
    strength = _strength(us.fit, us.closeness, config)
    ranked = _ranked_competitors(competitors, config)
    if not has_confirmed_compelling_event:
        return WinRateResult(None, None, strength, ranked, (Reason("no_compelling_event"),))
    rank = 1 + sum(1 for competitor in ranked if competitor.strength >= strength)
    reasons = [Reason("strength", {"strength": strength, "rank": rank, "parties": len(ranked) + 1})]
    if rank > config.top_n:
        reasons.append(Reason("not_in_top_n", {"rank": rank, "top_n": config.top_n}))
        return WinRateResult(0, rank, strength, ranked, tuple(reasons))
    compared = ranked[: config.competitors_in_formula]
    win_rate = _share_percent(strength, compared, has_inside_source, config, reasons)
    return WinRateResult(win_rate, rank, strength, ranked, tuple(reasons))


def _share_percent(
    strength: Decimal,
    compared: tuple[CompetitorStrength, ...],
    has_inside_source: bool,
    config: WinRateConfig,
    reasons: list[Reason],
) -> int:
    """Rules 3 and 4 and the rounding; appends their reasons."""
    for position, competitor in enumerate(compared, start=1):
        reasons.append(
            Reason(
                "compared_with_competitor",
                {
                    "position": position,
                    "competitor_id": competitor.competitor_id,
                    "strength": competitor.strength,
                },
            )
        )
    denominator = strength + sum((c.strength for c in compared), Decimal(0))
    if denominator == 0:
        reasons.append(Reason("all_strengths_zero"))
        return 0
    if not compared:
        reasons.append(Reason("no_competitors", {"strength": strength}))
    raw = strength / denominator
    reasons.append(
        Reason(
            "raw_share",
            {
                "strength": strength,
                "total": denominator,
                "raw": raw.quantize(_RAW_PLACES, rounding=ROUND_HALF_UP),
            },
        )
    )
    factor = Decimal(1)
    if not has_inside_source:
        factor = config.no_inside_source_factor
        reasons.append(Reason("no_inside_source", {"factor": factor}))
    # A single division keeps exact halves exact (e.g. 15 * 70 / 20 = 52.5 → 53).
    percent = strength * factor * _HUNDRED / denominator
    win_rate = int(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    reasons.append(
        Reason(
            "win_rate_rounded",
            {
                "percent": percent.quantize(_RAW_PLACES, rounding=ROUND_HALF_UP),
                "win_rate": win_rate,
            },
        )
    )
    return win_rate


def win_rate_change_event(
    previous: int | None, current: int | None, *, config: WinRateConfig
) -> bool:
    """Week-over-week change of at least `change_event_points` (10) is an event (§4.6).

    A move between rated and not rated (None on either side) is not a win-rate change event;
    the compelling-event change that causes it is reported on its own (§4.10).
    """
    if previous is None or current is None:
        return False
    return abs(current - previous) >= config.change_event_points
