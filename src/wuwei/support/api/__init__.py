"""/presales/... and /opportunities/{id}/ledger (API.md, MCI), one module per sub-domain."""

from wuwei.support.api.stages import ledger_router, router

__all__ = ["ledger_router", "router"]
