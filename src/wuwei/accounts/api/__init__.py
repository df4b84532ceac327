"""The accounts API: `router` (/accounts), `conflicts_router` (/conflicts) and
`tactics_router` (/tactics). Fixed paths register before `/{account_id}`."""

# isort: skip_file
# Django tries routes in registration order and `{account_id}` matches any text.
from wuwei.accounts.api import grading as _grading  # noqa: F401  (/ninebox first)
from wuwei.accounts.api import archive as _archive  # noqa: F401
from wuwei.accounts.api import plans as _plans  # noqa: F401
from wuwei.accounts.api import tracking as _tracking  # noqa: F401
from wuwei.accounts.api.base import router
from wuwei.accounts.api.conflicts import conflicts_router
from wuwei.accounts.api.plans import tactics_router

__all__ = ["conflicts_router", "router", "tactics_router"]
