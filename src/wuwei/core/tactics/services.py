"""The one tactics-library service: list, get, create, update, archive (API.md writes)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

from wuwei.core import services as core_services
from wuwei.core.errors import NotAllowed
from wuwei.core.tactics.models import TACTIC_FIELDS, TacticBase
from wuwei.core.visibility import get_visible, visible

T = TypeVar("T", bound=TacticBase)


@dataclass(frozen=True)
class TacticLibrary(Generic[T]):
    """One library: its model and who may edit it (`require_editor` raises NotAllowed)."""

    model: type[T]
    require_editor: Callable[[Any], None]

    def may_edit(self, user: Any) -> bool:
        try:
            self.require_editor(user)
        except NotAllowed:
            return False
        return True

    def list(self, *, user: Any, strategy: str | None = None) -> QuerySet[T]:
        return tactic_list(self.model, user=user, strategy=strategy)

    def get(self, *, user: Any, id: int) -> T:
        return tactic_get(self.model, user=user, id=id)

    def create(self, *, user: Any, **fields: Any) -> T:
        self.require_editor(user)
        _check_fields(fields)
        return core_services.save_new(self.model(**fields), user=user)

    def update(
        self, *, user: Any, tactic: T, expected_version: int | None, changes: dict[str, Any]
    ) -> T:
        self.require_editor(user)
        _check_fields(changes)
        return core_services.update_fields(
            tactic, user=user, changes=changes, expected_version=expected_version
        )

    def archive(self, *, user: Any, tactic: T) -> T:
        self.require_editor(user)
        return core_services.archive(tactic, user=user)


def tactic_list(model: type[T], *, user: Any, strategy: str | None = None) -> QuerySet[T]:
    """The library's tactics the user sees (not archived), of one strategy if given."""
    qs = visible(model, user).filter(archived_at__isnull=True)
    return qs.filter(strategy=strategy) if strategy else qs


def tactic_get(model: type[T], *, user: Any, id: int) -> T:
    return get_visible(model, user, pk=id)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(TACTIC_FIELDS)
    if unknown:
        raise ValueError(f"not tactic fields: {sorted(unknown)}")
