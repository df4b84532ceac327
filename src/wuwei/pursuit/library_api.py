"""/competitive-tactics (API.md): the competitive strategies' tactics library (§4.7), seeded
and editable by managers, executives and administrators; DELETE archives. Built by the one
library router (`wuwei.core.tactics.api`)."""

from wuwei.core.tactics.api import tactics_router
from wuwei.opportunities.models import CompetitiveStrategy
from wuwei.pursuit import services

library_router = tactics_router(
    services.COMPETITIVE_TACTICS,
    strategies=CompetitiveStrategy,
    schema_prefix="CompetitiveTactic",
    operation_module="wuwei_opportunities_pursuit_library_api",
    name_prefix="library",
    tags=["competitive tactics"],
    with_detail=True,
    docs={
        "create": "Managers, executives and administrators edit the library.",
        "delete": "Archive the tactic: it leaves the library; deals that adopted it keep "
        "their copy.",
    },
)
