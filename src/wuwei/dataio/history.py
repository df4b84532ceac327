"""Every record an import writes names the import in its history ("import #12 kunden.csv").

The domain services save records themselves, so the reason cannot be put on each instance
beforehand; inside `history_reason(...)` every historical row created without a reason of
its own gets the import's. Registered once from `DataioConfig.ready()`."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_reason: ContextVar[str] = ContextVar("wuwei_import_reason", default="")


@contextmanager
def history_reason(reason: str) -> Iterator[None]:
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def add_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    reason = _reason.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
