"""Reports and exports read from a replica when one is configured (docs/deployment.md).

`DATABASE_REPLICA_URL` adds the `replica` database alias (a streaming replica of the primary,
read-only). Nothing reads it by accident: the router sends a read there only inside
`replica_reads()` — the report pages (`@reads_from_replica`) and every export while it streams
(`core.exports`). Writes, migrations, sessions and everything else stay on `default`. Without a
replica the context does nothing, so code never asks whether one exists.

A replica lags the primary by its replication delay: only read-only reports use it, never a page
that shows what the user has just written.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase

REPLICA = "replica"
_reading = ContextVar("wuwei_replica_reads", default=False)

T = TypeVar("T")


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica (when there is one); nesting is harmless."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reading(items: Iterable[T]) -> Iterator[T]:
    """Iterate `items` (a lazy queryset, a generator reading the database) inside
    `replica_reads()`: a streamed response is read after its view has returned."""
    iterator = iter(items)
    while True:
        with replica_reads():
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def reads_from_replica(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A report view: GET and HEAD read from the replica, other methods from the primary."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            content = cast(Iterator[bytes], response.streaming_content)
            response.streaming_content = reading(content)
        return response

    return wrapped


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside `replica_reads()` go to the replica alias."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading.get() and configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the same rows on both aliases

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows the primary; never migrate it
