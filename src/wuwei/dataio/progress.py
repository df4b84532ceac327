"""Progress and cancel requests of running imports and exports, shared between the process
that works and the page that polls it.

They travel through the `dataio` cache (a file cache under var/ by default, Redis or
Memcached in a multi-machine installation), not the database: an all-or-nothing import holds
one transaction for the whole file, whose writes no other connection can see — and on SQLite
a second writer would wait for it to end."""

from typing import Any

from django.core.cache import caches

TIMEOUT = 24 * 3600


def _cache() -> Any:
    return caches["dataio"]


def publish(key: str, done: int, total: int, message: str) -> None:
    _cache().set(f"progress:{key}", (done, total, message[:500]), TIMEOUT)


def read(key: str) -> tuple[int, int, str] | None:
    value = _cache().get(f"progress:{key}")
    return tuple(value) if value else None  # type: ignore[return-value]


def request_cancel(key: str) -> None:
    _cache().set(f"cancel:{key}", True, TIMEOUT)


def is_cancel_requested(key: str) -> bool:
    return bool(_cache().get(f"cancel:{key}"))


def clear(key: str) -> None:
    _cache().delete_many([f"progress:{key}", f"cancel:{key}"])
