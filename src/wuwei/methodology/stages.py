"""Which stage moves an opportunity may make (§4.1, §4.2)."""

from wuwei.methodology.enums import Stage, Track
from wuwei.methodology.explain import Reason

__all__ = ["OPEN_STAGES", "Stage", "Track", "check_stage_move", "next_stage"]

OPEN_STAGES: tuple[Stage, ...] = tuple(stage for stage in Stage if stage.is_open)


def next_stage(stage: Stage) -> Stage | None:
    """The following open stage; None for negotiation (next is won/lost) and closed stages."""
    if stage.number is None or stage.number == len(OPEN_STAGES):
        return None
    return OPEN_STAGES[stage.number]


def check_stage_move(*, current: Stage, target: Stage, track: Track) -> tuple[Reason, ...]:
    """Reasons the move is refused; empty means allowed (METHOD.md §4.1, §4.2).

    - same stage → refused; won and lost are final (no moves out of them, no reopen: a deal
      that revives is a new opportunity, which keeps lost-reason statistics and the old
      win-rate curve honest);
    - lost from any open stage; won only from negotiation;
    - backwards one or more stages on every track;
    - forwards: big_project (AB) one stage at a time; fast_track (CD) and partner (E) any
      number of stages, which includes validate → negotiation.
    Stage gates (PRM rules, §6) are checked separately.
    """
    if current is target:
        return (Reason("same_stage", {"stage": current}),)
    if not current.is_open:
        return (Reason("stage_closed", {"stage": current}),)
    if target is Stage.LOST:
        return ()
    if target is Stage.WON:
        if current is Stage.NEGOTIATION:
            return ()
        return (Reason("won_only_from_negotiation", {"stage": current}),)
    assert current.number is not None and target.number is not None
    if target.number < current.number or track is not Track.BIG_PROJECT:
        return ()
    if target.number == current.number + 1:
        return ()
    return (
        Reason(
            "skip_not_allowed",
            {
                "stage": current,
                "target": target,
                "next_stage": next_stage(current),
                "track": track,
            },
        ),
    )
