"""People writes (§3, §4.9): contacts and persona, political map, competitor relations,
activities and derived interaction, decision maps, closeness snapshots, connections."""

from wuwei.people.services.activities import (
    activity_archive,
    activity_create,
    activity_restore,
    activity_update,
    normalize_tags,
)
from wuwei.people.services.closeness import (
    closeness_record_account,
    closeness_record_for_contacts,
    closeness_record_opportunity,
)
from wuwei.people.services.connections import (
    connection_create,
    connection_remove,
    connection_update,
)
from wuwei.people.services.contacts import (
    EDITABLE_FIELDS,
    competitor_relation_remove,
    competitor_relation_set,
    contact_archive,
    contact_create,
    contact_restore,
    contact_update,
    influence_add,
    influence_remove,
    require_writer,
)
from wuwei.people.services.decision import (
    decision_influence_add,
    decision_influence_remove,
    participant_add,
    participant_remove,
    participant_update,
)
from wuwei.people.services.interaction import interaction_recompute, interaction_recompute_all

__all__ = [
    "EDITABLE_FIELDS",
    "activity_archive",
    "activity_create",
    "activity_restore",
    "activity_update",
    "closeness_record_account",
    "closeness_record_for_contacts",
    "closeness_record_opportunity",
    "competitor_relation_remove",
    "competitor_relation_set",
    "connection_create",
    "connection_remove",
    "connection_update",
    "contact_archive",
    "contact_create",
    "contact_restore",
    "contact_update",
    "decision_influence_add",
    "decision_influence_remove",
    "influence_add",
    "influence_remove",
    "interaction_recompute",
    "interaction_recompute_all",
    "normalize_tags",
    "participant_add",
    "participant_remove",
    "participant_update",
    "require_writer",
]
