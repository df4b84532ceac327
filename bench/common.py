"""Shared benchmark plumbing: a throwaway database, timing, results."""

import statistics
import time
from collections.abc import Callable
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
