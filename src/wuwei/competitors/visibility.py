"""Who sees competitor intelligence (METHOD.md §1 "Visibility", §4.4).

The profile, the analysis library and the key partners are shared inside the company. All of
it is internal work that partner users never see (`internal`). The records that name a
customer or a deal (relations, key events, prices) follow that customer or deal: their rules
are registered by the apps that own those rules (`opportunities.visibility`), so this app
needs neither."""

from django.db.models import Q

from wuwei.competitors.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPartner,
    CompetitorPrice,
    CompetitorRelation,
)
from wuwei.core.visibility import Scope, internal, register


def shared_rule(scope: Scope) -> Q | None:
    return None


def register_rules() -> None:
    """Called from `CompetitorsConfig.ready()`."""
    internal(
        Competitor,
        CompetitorInsight,
        CompetitorPartner,
        CompetitorRelation,
        CompetitorEvent,
        CompetitorPrice,
    )
    for model in (Competitor, CompetitorInsight, CompetitorPartner):
        register(model)(shared_rule)
