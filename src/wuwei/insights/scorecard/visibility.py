"""Collections and the uses at close follow their deal and are internal work (METHOD.md §1):
whoever sees the deal sees them; partner users see none."""

from django.db.models import Q

from wuwei.core.visibility import Scope, internal, register, through
from wuwei.insights.scorecard.models import Contract, DealUse, Payment
from wuwei.opportunities.models import Opportunity


def _through_deal(scope: Scope) -> Q | None:
    return through(Opportunity, scope, "opportunity")


def register_rules() -> None:
    """Called from the scorecard's `wiring.register()`."""
    for model in (Contract, Payment, DealUse):
        register(model)(_through_deal)
    internal(Contract, Payment, DealUse)
