"""Who sees the pursuit records: a deal's strategy, tactics, value proposition and comparison
follow the deal (grants included, e.g. assigned presales); the competitive tactics library is
method knowledge shared inside the company. All of it is internal work: partners see none."""

from django.db.models import Q

from wuwei.core.visibility import Scope, internal, register, through
from wuwei.opportunities.models import (
    CompetitiveTactic,
    DealStrategy,
    DealTactic,
    Opportunity,
    ValueComparison,
    ValueProposition,
)


def _through_opportunity(scope: Scope) -> Q | None:
    return through(Opportunity, scope, "opportunity")


# Internal work (METHOD.md §1): partner users see none of these rows.
internal(DealStrategy, DealTactic, ValueProposition, ValueComparison, CompetitiveTactic)

for _model in (DealStrategy, DealTactic, ValueProposition, ValueComparison):
    register(_model)(_through_opportunity)


@register(CompetitiveTactic)
def competitive_tactic_rule(scope: Scope) -> Q | None:
    return None
