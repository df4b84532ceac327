"""Shared helpers for the import tests: sample files and a one-call import."""

from pathlib import Path
from typing import Any

from wuwei.dataio.models import ImportRun
from wuwei.dataio.services import import_apply, import_check, import_create

FILES = Path(__file__).parent / "files"


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def checked(
    user: Any, kind: str, name: str, content: bytes | None = None, **kwargs: Any
) -> ImportRun:
    run = import_create(
        user=user,
        kind=kind,
        filename=name,
        content=sample(name) if content is None else content,
        **kwargs,
    )
    return import_check(run)


def imported(
    user: Any, kind: str, name: str, content: bytes | None = None, **kwargs: Any
) -> ImportRun:
    run = checked(user, kind, name, content, **kwargs)
    assert not run.report["counts"]["error"], run.report["issues"]
    return import_apply(run)
