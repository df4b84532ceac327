"""Stage gates: the checks every stage move runs, in order (METHOD.md §4.1, §4.2, §6).

`opportunity_move_stage` asks every gate in `STAGE_GATES`; any reason returned refuses the move
with 409 and the reasons listed. The method's own rules come first; PRM blocking rules (§6
"Stage gates") are added later with `register_stage_gate`, without touching the service.
A gate's reason codes are turned into sentences by `reason_message`; a gate that brings new
codes registers their messages with `register_reason_message`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from wuwei.methodology.enums import Stage, Track
from wuwei.methodology.explain import Reason
from wuwei.methodology.stages import check_stage_move


@dataclass(frozen=True, slots=True)
class StageMove:
    """The facts a gate decides on."""

    opportunity: Any
    user: Any
    current: Stage
    target: Stage
    track: Track
    reason: str
    winning_price: Decimal | None = None
    # A manager's reason for letting the move through blocking PRM rules (§6); a gate that
    # honours overrides decides who may give one.
    override_reason: str = ""
    # What a gate worked out about this move, kept for the after-move hooks of the same move
    # (PRM records the findings its gate overrode without evaluating the deal again).
    found: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: str, work: Callable[["StageMove"], Any]) -> Any:
        """`work(self)`, done the first time `key` is asked for in this move and kept in
        `found` for the rest of it (never beyond: the next move works it out again)."""
        if key not in self.found:
            self.found[key] = work(self)
        return self.found[key]


StageGate = Callable[[StageMove], Iterable[Reason]]


def method_rules(move: StageMove) -> Iterable[Reason]:
    """Order of stages by track: AB one stage at a time, CD/E may jump (METHOD.md §4.2)."""
    return check_stage_move(current=move.current, target=move.target, track=move.track)


def lost_needs_reason(move: StageMove) -> Iterable[Reason]:
    """A lost deal records why (METHOD.md §4.1)."""
    if move.target is Stage.LOST and not move.reason.strip():
        return (Reason("lost_needs_reason"),)
    return ()


STAGE_GATES: list[StageGate] = [method_rules, lost_needs_reason]


def register_stage_gate(gate: StageGate) -> StageGate:
    """Add a gate (e.g. a PRM rule an administrator marked as blocking)."""
    if gate not in STAGE_GATES:
        STAGE_GATES.append(gate)
    return gate


def run_gates(move: StageMove) -> tuple[Reason, ...]:
    return tuple(reason for gate in STAGE_GATES for reason in gate(move))


# What other areas record once a move is made, inside the same transaction (e.g. PRM keeps
# the gate overrides and, on won/lost, the rules that were open at the close).
AfterMove = Callable[[StageMove, Any], None]
AFTER_MOVE: list[AfterMove] = []


def register_after_move(hook: AfterMove) -> AfterMove:
    if hook not in AFTER_MOVE:
        AFTER_MOVE.append(hook)
    return hook


def run_after_move(move: StageMove, opportunity: Any) -> None:
    for hook in AFTER_MOVE:
        hook(move, opportunity)


# What other areas record when a deal enters a stage (on creation and on every move, before the
# after-move hooks), inside the same transaction: e.g. support gives the stage its accountable
# owner (MCI §5.3) and credits the people of a won deal (§5.4).
StageEntered = Callable[[Any, str, Any], None]  # (opportunity, stage, by)
STAGE_ENTERED: list[StageEntered] = []


def register_stage_entered(hook: StageEntered) -> StageEntered:
    if hook not in STAGE_ENTERED:
        STAGE_ENTERED.append(hook)
    return hook


def run_stage_entered(opportunity: Any, stage: str, by: Any) -> None:
    for hook in STAGE_ENTERED:
        hook(opportunity, stage, by)


_MESSAGES: dict[str, Any] = {
    "same_stage": _("The opportunity is already in %(stage)s."),
    "stage_closed": _("The opportunity is closed (%(stage)s); a revived deal is a new one."),
    "won_only_from_negotiation": _(
        "A deal can be won only from negotiation & signing; it is in %(stage)s."
    ),
    "skip_not_allowed": _(
        "A big-project (AB) deal goes through every stage: from %(stage)s the next stage is "
        "%(next_stage)s, not %(target)s."
    ),
    "lost_needs_reason": _("Say why the deal was lost."),
}


def register_reason_message(code: str, message: Any) -> None:
    _MESSAGES[code] = message


def reason_message(reason: Reason, stage_names: dict[str, str]) -> str:
    """The sentence for a reason, with stage slugs shown by their template names."""
    template = _MESSAGES.get(reason.code)
    if template is None:
        return reason.code
    params = {
        key: stage_names.get(str(value), str(value)) if value is not None else "—"
        for key, value in reason.params.items()
    }
    return str(template) % params if params else str(template)
