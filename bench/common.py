"""Shared benchmark plumbing: a throwaway database, timing, results, the scale data set."""

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    target: float | None = None  # the value must stay at or below the target

    @property
    def ok(self) -> bool:
        return self.target is None or self.value <= self.target


class SqlClock:
    """Adds up the wall time and number of the statements run while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.statements = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.statements += 1


@contextmanager
def sql_clock() -> Iterator[SqlClock]:
    """The statements run on the default connection inside the block, timed and counted."""
    from django.db import connection

    clock = SqlClock()
    with connection.execute_wrapper(clock):
        yield clock


def median_ms(action: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of `repeat` runs after one warm-up, in milliseconds."""
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def scale_data(deals: int, seed: int = 7) -> Any:
    """The `wuwei demo --scale` data set of `deals` opportunities (wuwei.scale), loaded in
    bulk; returns its `Result` (`.users`: a username per role, e.g. "sparse_rep")."""
    from wuwei.scale import generate

    return generate(deals, seed=seed)
