import pytest

from wuwei.methodology.explain import Reason
from wuwei.methodology.stages import Stage, Track, check_stage_move, next_stage

BIG = Track.BIG_PROJECT
FAST = Track.FAST_TRACK
PARTNER = Track.PARTNER


def test_stage_order_and_slugs() -> None:
    assert [stage.value for stage in Stage] == [
        "validate",
        "initiate",
        "needs_analysis",
        "value_presentation",
        "tender_preparation",
        "bidding",
        "negotiation",
        "won",
        "lost",
    ]
    assert [stage.number for stage in Stage] == [1, 2, 3, 4, 5, 6, 7, None, None]


@pytest.mark.parametrize(
    ("stage", "following"),
    [
        (Stage.VALIDATE, Stage.INITIATE),
        (Stage.BIDDING, Stage.NEGOTIATION),
        (Stage.NEGOTIATION, None),
        (Stage.WON, None),
        (Stage.LOST, None),
    ],
)
def test_next_stage(stage: Stage, following: Stage | None) -> None:
    assert next_stage(stage) is following


@pytest.mark.parametrize(
    ("current", "target", "track", "codes"),
    [
        # big project: one stage forwards at a time
        ("validate", "initiate", BIG, ()),
        ("needs_analysis", "value_presentation", BIG, ()),
        ("bidding", "negotiation", BIG, ()),
        ("validate", "needs_analysis", BIG, ("skip_not_allowed",)),
        ("validate", "negotiation", BIG, ("skip_not_allowed",)),
        ("tender_preparation", "negotiation", BIG, ("skip_not_allowed",)),
        # fast track and partner: any number of stages forwards, e.g. 1 → 7
        ("validate", "negotiation", FAST, ()),
        ("validate", "negotiation", PARTNER, ()),
        ("initiate", "bidding", FAST, ()),
        ("validate", "initiate", FAST, ()),
        # backwards one or more stages on every track
        ("initiate", "validate", BIG, ()),
        ("bidding", "needs_analysis", BIG, ()),
        ("negotiation", "validate", BIG, ()),
        ("negotiation", "validate", FAST, ()),
        # won only from negotiation
        ("negotiation", "won", BIG, ()),
        ("negotiation", "won", FAST, ()),
        ("bidding", "won", BIG, ("won_only_from_negotiation",)),
        ("validate", "won", FAST, ("won_only_from_negotiation",)),
        ("validate", "won", PARTNER, ("won_only_from_negotiation",)),
        # lost from any open stage
        ("validate", "lost", BIG, ()),
        ("bidding", "lost", FAST, ()),
        ("negotiation", "lost", PARTNER, ()),
        # won and lost are final, no reopen
        ("won", "lost", BIG, ("stage_closed",)),
        ("won", "negotiation", BIG, ("stage_closed",)),
        ("lost", "validate", BIG, ("stage_closed",)),
        ("lost", "validate", FAST, ("stage_closed",)),
        ("lost", "won", FAST, ("stage_closed",)),
        # same stage
        ("validate", "validate", BIG, ("same_stage",)),
        ("bidding", "bidding", FAST, ("same_stage",)),
        ("won", "won", BIG, ("same_stage",)),
        ("lost", "lost", FAST, ("same_stage",)),
    ],
)
def test_check_stage_move(current: str, target: str, track: Track, codes: tuple[str, ...]) -> None:
    reasons = check_stage_move(current=Stage(current), target=Stage(target), track=track)

    assert tuple(reason.code for reason in reasons) == codes


def test_skip_reason_names_the_allowed_next_stage() -> None:
    reasons = check_stage_move(current=Stage.VALIDATE, target=Stage.BIDDING, track=BIG)

    assert reasons == (
        Reason(
            "skip_not_allowed",
            {
                "stage": "validate",
                "target": "bidding",
                "next_stage": "initiate",
                "track": "big_project",
            },
        ),
    )
