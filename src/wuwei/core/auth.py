"""Bearer-token authentication as core sees it: the org app registers the lookup.

`core` sits below every domain app and imports none of them; the app that owns API tokens
(`org`) hands its lookup over in `AppConfig.ready()`.
"""

from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser

TokenLookup = Callable[[str], AbstractBaseUser | None]

_lookup: TokenLookup | None = None


def register_token_lookup(lookup: TokenLookup) -> None:
    global _lookup
    _lookup = lookup


def user_for_token(raw: str) -> AbstractBaseUser | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired)."""
    if _lookup is None:
        raise RuntimeError("no bearer-token lookup is registered (is wuwei.org installed?)")
    return _lookup(raw)
