"""People reads, always through visibility."""

from wuwei.people.selectors.activities import (
    ActivityFilters,
    account_activities,
    activity_get,
    activity_list,
    contact_activities,
    deal_activities,
)
from wuwei.people.selectors.closeness import mapped_closeness
from wuwei.people.selectors.connections import (
    INTRODUCER_ORDER,
    ConnectionFilters,
    account_connection_coverage,
    connection_get,
    connection_list,
    introducers,
)
from wuwei.people.selectors.contacts import ContactFilters, contact_get, contact_list
from wuwei.people.selectors.decision_map import DecisionMap, decision_map
from wuwei.people.selectors.relationship_map import RelationshipMap, relationship_map

__all__ = [
    "INTRODUCER_ORDER",
    "ActivityFilters",
    "ConnectionFilters",
    "ContactFilters",
    "DecisionMap",
    "RelationshipMap",
    "account_activities",
    "account_connection_coverage",
    "activity_get",
    "activity_list",
    "connection_get",
    "connection_list",
    "contact_activities",
    "contact_get",
    "contact_list",
    "deal_activities",
    "decision_map",
    "introducers",
    "mapped_closeness",
    "relationship_map",
]
