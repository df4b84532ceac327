from decimal import Decimal

import pytest

from wuwei.methodology.explain import Reason
from wuwei.methodology.strategies import (
    AccountClass,
    AccountStatus,
    RelationshipStatus,
    suggest_account_strategy,
    suggest_relationship_strategy,
)

FALLING = ("60", "55", "50")


@pytest.mark.parametrize(
    ("status", "history", "account_class", "strategy", "code"),
    [
        ("lost", (), "A", "wait_and_watch", "account_lost"),
        ("lost", FALLING, "C", "wait_and_watch", "account_lost"),
        ("drifting", (), "A", "win_back", "account_drifting"),
        ("drifting", (), None, "win_back", "account_drifting"),
        ("customer", FALLING, "A", "win_back", "closeness_falling"),
        ("customer", FALLING, "D", "win_back", "closeness_falling"),
        ("customer", ("70", "50", "60", "55", "50"), "A", "win_back", "closeness_falling"),
        ("customer", ("60", "55", "55"), "A", "retain", "class_retain"),
        ("customer", ("60", "60", "50"), "B", "retain", "class_retain"),
        ("customer", ("55", "50"), "B", "retain", "class_retain"),
        ("customer", ("50", "55", "60"), "C", "grow", "class_grow"),
        ("customer", ("60", "50", "55"), "C", "grow", "class_grow"),
        ("prospect", (), None, "acquire", "account_prospect"),
        ("prospect", (), "A", "acquire", "account_prospect"),
        # the rule order is literal: falling closeness comes before prospect
        ("prospect", FALLING, None, "win_back", "closeness_falling"),
        ("customer", (), "C", "grow", "class_grow"),
        ("customer", (), "A", "retain", "class_retain"),
        ("customer", (), "B", "retain", "class_retain"),
        ("customer", (), "D", None, "class_minimal"),
        ("customer", (), None, None, "not_classified"),
    ],
)
def test_suggest_account_strategy(
    status: str,
    history: tuple[str, ...],
    account_class: str | None,
    strategy: str | None,
    code: str,
) -> None:
    suggestion = suggest_account_strategy(
        status=AccountStatus(status),
        closeness_history=[Decimal(value) for value in history],
        account_class=None if account_class is None else AccountClass(account_class),
    )

    assert suggestion.strategy == strategy
    assert [reason.code for reason in suggestion.reasons] == [code]


def test_falling_closeness_reason_carries_the_three_records() -> None:
    suggestion = suggest_account_strategy(
        status=AccountStatus.CUSTOMER,
        closeness_history=[Decimal("80.0"), Decimal("62.5"), Decimal("58.3"), Decimal("41.7")],
        account_class=AccountClass.A,
    )

    assert suggestion.reasons == (
        Reason(
            "closeness_falling",
            {"first": Decimal("62.5"), "middle": Decimal("58.3"), "last": Decimal("41.7")},
        ),
    )


@pytest.mark.parametrize(
    ("status", "strategy", "score"),
    [
        ("strong_positive", "encourage", 2),
        ("positive", "harmonize", 1),
        ("neutral", "attack", 0),
        ("negative", "defend", -1),
        ("strong_negative", "suppress", -2),
    ],
)
def test_suggest_relationship_strategy(status: str, strategy: str, score: int) -> None:
    assert suggest_relationship_strategy(RelationshipStatus(status)) == strategy
    assert RelationshipStatus(status).score == score
