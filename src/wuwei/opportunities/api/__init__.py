"""The opportunities API, by sub-domain: the deal (`deals`), its team and competitors
(`members`), partner registrations (`registrations`). /competitors is `competitors.api`."""

from wuwei.opportunities.api import deals, members, registrations

router = deals.router
router.add_router("", members.router)
registration_router = registrations.router

__all__ = ["registration_router", "router"]
