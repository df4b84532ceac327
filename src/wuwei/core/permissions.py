"""The permission policy as core sees it: the org app registers it.

`core` sits below every domain app and imports none of them, yet a few of its writes
(restoring an archived record, changing the method configuration) and its job list ask who
may. The policy — the `Action` table, `may`, `require` — lives in `org.permissions`, which
hands it over in `AppConfig.ready()`; core names actions by their value ("record.restore").
"""

from collections.abc import Callable, Set
from typing import Any

May = Callable[[Any, str, Any], bool]
Require = Callable[[Any, str, Any], None]
RolesMay = Callable[[Set[str], str], bool]

_policy: tuple[May, Require, RolesMay] | None = None


def register_policy(*, may: May, require: Require, roles_may: RolesMay) -> None:
    global _policy
    _policy = (may, require, roles_may)


def _registered() -> tuple[May, Require, RolesMay]:
    if _policy is None:
        raise RuntimeError("no permission policy is registered (is wuwei.org installed?)")
    return _policy


def may(user: Any, action: str, obj: Any = None) -> bool:
    return _registered()[0](user, action, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raises `NotAllowed` (403) unless the user may."""
    _registered()[1](user, action, obj)


def roles_may(roles: Set[str], action: str) -> bool:
    """The table alone, for visibility rules that see a `Scope`'s roles."""
    return _registered()[2](roles, action)
