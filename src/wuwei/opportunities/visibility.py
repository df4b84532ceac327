"""Who sees which opportunities and what hangs off them (METHOD.md §1 "Visibility").

Opportunities, rule by rule:
- executives and admins: everything;
- a partner user: deals they own and deals led by their partner company, nothing else;
- everyone else: deals they own or are on the deal team of;
- a manager, in addition: deals owned by, or owned in, their team subtree.
(Presales assignments, METHOD.md §5, add one more `condition |= ...` line here.)

Competitor intelligence is shared inside the company and hidden from partners. Records that
name a customer or a deal (prices, relations, events, stage history) follow that customer or
deal, so nothing leaks through them.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q

from wuwei.accounts.models import Account
from wuwei.core.visibility import Scope, condition_for, register, scope_for
from wuwei.opportunities.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPartner,
    CompetitorPrice,
    CompetitorRelation,
    Opportunity,
    OpportunityCompetitor,
    OpportunityMember,
    PartnerRegistration,
    ProductLine,
    StageHistory,
    StageTemplate,
    WinRateChange,
)


@register(Opportunity)
def opportunity_rule(scope: Scope) -> Q | None:
    if scope.sees_everything:
        return None
    condition = Q(owner_id=scope.user_id)
    if scope.is_partner:
        return condition | Q(partner__members__id=scope.user_id)
    on_team = OpportunityMember.objects.filter(opportunity_id=OuterRef("pk"), user_id=scope.user_id)
    condition |= Q(Exists(on_team))
    if scope.team_path:
        condition |= in_team_subtree(scope.team_path)
    return condition


def in_team_subtree(path: str) -> Q:
    """Deals a manager of the team at `path` oversees: owned by, or owned by a member of, a
    team of that subtree."""
    return Q(team__path__startswith=path) | Q(owner__team__path__startswith=path)


def manages_deal(user: Any, opportunity: Opportunity) -> bool:
    """The user oversees the deal from above: an executive or administrator, or a manager
    whose team subtree holds the deal's owning team or its owner (the row-level twin of
    `in_team_subtree`). Reads `opportunity.owner.team` and `opportunity.team`."""
    scope = scope_for(user)
    if scope.sees_everything:
        return True
    path = scope.team_path
    if not path:
        return False
    teams = (opportunity.team, opportunity.owner.team)
    return any(team is not None and team.path.startswith(path) for team in teams)


def _through_opportunity(scope: Scope, field: str = "opportunity") -> Q | None:
    # The deal's rule and its grants: whoever sees the deal sees what belongs to it.
    condition = condition_for(Opportunity, scope)
    if condition is None:
        return None
    return Q(**{f"{field}__in": Opportunity.objects.filter(condition).values("pk")})


def _through_account(scope: Scope, nullable: bool = False) -> Q | None:
    condition = condition_for(Account, scope)
    if condition is None:
        return None
    through = Q(account__in=Account.objects.filter(condition).values("pk"))
    return through | Q(account__isnull=True) if nullable else through


def _not_for_partners(scope: Scope) -> Q | None:
    return Q(pk__in=[]) if scope.is_partner else None


register(Competitor)(_not_for_partners)
register(CompetitorInsight)(_not_for_partners)
register(CompetitorPartner)(_not_for_partners)


@register(CompetitorRelation)
def competitor_relation_rule(scope: Scope) -> Q | None:
    return Q(pk__in=[]) if scope.is_partner else _through_account(scope)


@register(CompetitorEvent)
def competitor_event_rule(scope: Scope) -> Q | None:
    return Q(pk__in=[]) if scope.is_partner else _through_account(scope, nullable=True)


@register(CompetitorPrice)
def competitor_price_rule(scope: Scope) -> Q | None:
    if scope.is_partner:
        return Q(pk__in=[])
    condition = _through_opportunity(scope)
    return None if condition is None else condition | Q(opportunity__isnull=True)


@register(OpportunityCompetitor)
def opportunity_competitor_rule(scope: Scope) -> Q | None:
    return Q(pk__in=[]) if scope.is_partner else _through_opportunity(scope)


@register(StageHistory)
def stage_history_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope)


@register(WinRateChange)
def win_rate_change_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope)


@register(PartnerRegistration)
def registration_rule(scope: Scope) -> Q | None:
    """A partner user: their own company's registrations only. Inside the company: the
    registrations on customers one can see (a manager sees those on the team's accounts)."""
    if scope.sees_everything:
        return None
    if scope.is_partner:
        return Q(partner__members__id=scope.user_id)
    return _through_account(scope)


@register(ProductLine)
@register(StageTemplate)
def configuration_rule(scope: Scope) -> Q | None:
    return None
