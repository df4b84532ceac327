"""Who should do this presales request? Rank the pool by fit (METHOD.md §5.1).

A candidate fits when adding the request's effort keeps every ISO week at or under capacity
(exactly 100 % is allowed). Among the pool, the order is: fits first, then the larger share
of the requested skills, then people of the request's own unit (the office supports itself,
the delivery centre directs its own people), then the lower peak load, then the id.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.config import PresalesConfig
from wuwei.methodology.explain import Reason
from wuwei.methodology.presales import is_over_capacity, split_effort_by_week

__all__ = ["Candidate", "CandidateRequest", "RankedCandidate", "rank_candidates"]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class CandidateRequest:
    skills: frozenset[str]
    start: date
    end: date
    days: Decimal
    unit_id: int | None  # the unit whose queue handles the request; None for the hotline


@dataclass(frozen=True, slots=True)
class Candidate:
    resource_id: int
    skills: frozenset[str]
    unit_id: int | None  # home unit; None for hotline staff
    capacity_days_per_week: Decimal
    booked_days: Mapping[str, Decimal]  # ISO week → days already assigned


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    resource_id: int
    fits: bool
    skill_match: Decimal  # 0–1, share of the requested skills the person has
    home_unit: bool
    peak_load: Decimal  # highest weekly load in percent with this request added
    weeks_over: tuple[str, ...]
    reasons: tuple[Reason, ...]


def _evaluate(
    request: CandidateRequest,
    effort: Mapping[str, Decimal],
    candidate: Candidate,
    config: PresalesConfig,
) -> RankedCandidate:
    loads = {
        week: ((candidate.booked_days.get(week, Decimal(0)) + days) * _HUNDRED)
        / candidate.capacity_days_per_week
        for week, days in effort.items()
    }
    loads = {week: load.quantize(_CENT, rounding=ROUND_HALF_UP) for week, load in loads.items()}
    weeks_over = tuple(w for w, load in loads.items() if is_over_capacity(load, config=config))
    matched = request.skills & candidate.skills
    skill_match = (
        (Decimal(len(matched)) / Decimal(len(request.skills))).quantize(_CENT, ROUND_HALF_UP)
        if request.skills
        else Decimal(1)
    )
    home_unit = request.unit_id is not None and request.unit_id == candidate.unit_id
    peak = max(loads.values(), default=Decimal(0))
    reasons = [Reason("skill_match", {"matched": len(matched), "wanted": len(request.skills)})]
    if home_unit:
        reasons.append(Reason("home_unit"))
    reasons.append(
        Reason("over_capacity", {"weeks": ", ".join(weeks_over), "peak": peak})
        if weeks_over
        else Reason("fits_capacity", {"peak": peak})
    )
    return RankedCandidate(
        resource_id=candidate.resource_id,
        fits=not weeks_over,
        skill_match=skill_match,
        home_unit=home_unit,
        peak_load=peak,
        weeks_over=weeks_over,
        reasons=tuple(reasons),
    )


def rank_candidates(
    request: CandidateRequest,
    candidates: Iterable[Candidate],
    *,
    config: PresalesConfig,
    limit: int | None = None,
    only_fitting: bool = False,
) -> list[RankedCandidate]:
    """Best fit first. People with none of the requested skills are left out; so are those
    who would go over capacity when `only_fitting`. The request's effort is spread over its
    working days with `split_effort_by_week`, as assignments are."""
    effort = split_effort_by_week(request.start, request.end, request.days)
    ranked = [_evaluate(request, effort, candidate, config) for candidate in candidates]
    ranked = [
        r
        for r in ranked
        if (r.skill_match > 0 or not request.skills) and (r.fits or not only_fitting)
    ]
    ranked.sort(
        key=lambda r: (not r.fits, -r.skill_match, not r.home_unit, r.peak_load, r.resource_id)
    )
    return ranked if limit is None else ranked[:limit]
