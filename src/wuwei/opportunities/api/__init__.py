"""The opportunities API, by sub-domain: the deal (`deals`), its team and competitors
(`members`, also under /opportunities), partner registrations (`registrations`).
/competitors is `competitors.api`. `wuwei.api` mounts each router."""

from wuwei.opportunities.api import deals, members, registrations

router = deals.router
members_router = members.router
registration_router = registrations.router

__all__ = ["members_router", "registration_router", "router"]
