"""Who sees the pursuit records: a deal's strategy, tactics, value proposition and comparison
follow the deal (grants included, e.g. assigned presales); the competitive tactics library is
method knowledge shared inside the company and hidden from partners, like the account one."""

from django.db.models import Q

from wuwei.core.visibility import Scope, register, through
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


for _model in (DealStrategy, DealTactic, ValueProposition):
    register(_model)(_through_opportunity)


@register(ValueComparison)
def value_comparison_rule(scope: Scope) -> Q | None:
    """Competitor intelligence stays inside the company: a partner sees only our own cells."""
    condition = _through_opportunity(scope)
    if scope.is_partner:
        return Q(competitor__isnull=True) & (condition or Q())
    return condition


@register(CompetitiveTactic)
def competitive_tactic_rule(scope: Scope) -> Q | None:
    return Q(pk__in=[]) if scope.is_partner else None
