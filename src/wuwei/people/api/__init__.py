"""People routers: /contacts, /activities, /connections, and the relationship-map paths
under /accounts and /opportunities."""

from wuwei.people.api.activities import router as activities_router
from wuwei.people.api.connections import router as connections_router
from wuwei.people.api.contacts import router
from wuwei.people.api.maps import account_router as account_map_router
from wuwei.people.api.maps import opportunity_router as decision_map_router

__all__ = [
    "account_map_router",
    "activities_router",
    "connections_router",
    "decision_map_router",
    "router",
]
