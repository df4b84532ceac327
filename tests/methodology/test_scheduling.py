from datetime import date
from decimal import Decimal

import pytest

from wuwei.methodology.config import PresalesConfig
from wuwei.methodology.scheduling import Candidate, CandidateRequest, rank_candidates

CONFIG = PresalesConfig()
# Monday 2027-01-04 to Friday 2027-01-08 is ISO week 2027-W01
REQUEST = CandidateRequest(
    skills=frozenset({"erp", "cloud"}),
    start=date(2027, 1, 4),
    end=date(2027, 1, 8),
    days=Decimal(2),
    unit_id=1,
)


def person(rid, skills, unit=1, booked="0", capacity="5"):
    return Candidate(
        resource_id=rid,
        skills=frozenset(skills),
        unit_id=unit,
        capacity_days_per_week=Decimal(capacity),
        booked_days={"2027-W01": Decimal(booked)},
    )


@pytest.mark.parametrize(
    ("candidates", "order"),
    [
        # more of the requested skills first
        ([person(1, ["erp"]), person(2, ["erp", "cloud"])], [2, 1]),
        # same skills: the request's own unit first
        ([person(1, ["erp"], unit=9), person(2, ["erp"], unit=1)], [2, 1]),
        # same skills and unit: the lower load first
        ([person(1, ["erp"], booked="2"), person(2, ["erp"], booked="1")], [2, 1]),
        # a tie everywhere: by id
        ([person(2, ["erp"]), person(1, ["erp"])], [1, 2]),
        # whoever would go over capacity comes last, whatever their skills
        ([person(1, ["erp", "cloud"], booked="3.5"), person(2, ["erp"], unit=9)], [2, 1]),
        # exactly 100 % still fits: 3 booked + 2 requested = 5 of 5
        ([person(1, ["erp", "cloud"], booked="3"), person(2, ["erp"])], [1, 2]),
        # nobody without one of the requested skills
        ([person(1, ["network"]), person(2, ["cloud"])], [2]),
        # a smaller capacity fills sooner: 2 + 2 = 4 of 4 is 100 %, 2.5 + 2 of 4 is over
        (
            [
                person(1, ["erp"], booked="2.5", capacity="4"),
                person(2, ["erp"], booked="2", capacity="4"),
            ],
            [2, 1],
        ),
    ],
)
def test_rank_candidates_order(candidates, order):
    ranked = rank_candidates(REQUEST, candidates, config=CONFIG)
    assert [r.resource_id for r in ranked] == order


@pytest.mark.parametrize(
    ("booked", "fits", "peak", "weeks_over"),
    [
        ("0", True, "40.00", ()),
        ("3", True, "100.00", ()),
        ("3.01", False, "100.20", ("2027-W01",)),
    ],
)
def test_rank_candidates_capacity(booked, fits, peak, weeks_over):
    (ranked,) = rank_candidates(REQUEST, [person(1, ["erp"], booked=booked)], config=CONFIG)
    assert (ranked.fits, str(ranked.peak_load), ranked.weeks_over) == (fits, peak, weeks_over)
    assert ranked.skill_match == Decimal("0.50")
    assert ranked.home_unit is True


def test_rank_candidates_across_a_week_boundary():
    # Thursday to Tuesday: 2 working days in W01, 2 in W02; 4 days → 2 + 2
    request = CandidateRequest(
        skills=frozenset(),
        start=date(2027, 1, 7),
        end=date(2027, 1, 12),
        days=Decimal(4),
        unit_id=None,
    )
    full_in_w02 = Candidate(1, frozenset(), None, Decimal(5), {"2027-W02": Decimal(4)})
    full_in_w01 = Candidate(2, frozenset(), None, Decimal(5), {"2027-W01": Decimal(3)})
    ranked = rank_candidates(request, [full_in_w02, full_in_w01], config=CONFIG)
    assert [(r.resource_id, r.fits, r.weeks_over) for r in ranked] == [
        (2, True, ()),
        (1, False, ("2027-W02",)),
    ]
    assert [
        r.resource_id
        for r in rank_candidates(
            request, [full_in_w02, full_in_w01], config=CONFIG, only_fitting=True
        )
    ] == [2]
    # no skills asked: everyone matches fully; the hotline has no home unit
    assert ranked[0].skill_match == Decimal(1) and ranked[0].home_unit is False


def test_rank_candidates_limit_and_reasons():
    ranked = rank_candidates(
        REQUEST, [person(n, ["erp"]) for n in range(1, 8)], config=CONFIG, limit=3
    )
    assert [r.resource_id for r in ranked] == [1, 2, 3]
    assert [reason.code for reason in ranked[0].reasons] == [
        "skill_match",
        "home_unit",
        "fits_capacity",
    ]
