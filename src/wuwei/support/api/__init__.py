"""/presales/... and /opportunities/{id}/ledger (API.md, MCI), one module per sub-domain.

`router` is mounted at /presales and gathers the sub-domains' routers in the order of the
OpenAPI document; `ledger_router` is mounted at /opportunities."""

from ninja import Router

from wuwei.support.api import assignments, requests, resources, stages
from wuwei.support.api.ledger import ledger_router

router = Router()  # the sub-routers carry the "presales" tag
for part in (resources, requests, assignments, stages):
    router.add_router("", part.router)

__all__ = ["ledger_router", "router"]
