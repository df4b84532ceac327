"""Opportunities: owner or deal-team member; a manager's team subtree; a partner user the
deals of their partner team; executives and admins all (METHOD.md §1)."""

from django.db.models import Exists, OuterRef, Q

from wuwei.core.visibility import Scope, register
from wuwei.opportunities.models import Competitor, Opportunity


@register(Opportunity)
def opportunity_rule(scope: Scope) -> Q | None:
    if scope.sees_everything:
        return None
    condition = Q(owner_id=scope.user_id)
    if scope.is_partner:
        return condition | Q(partner__members__id=scope.user_id)
    on_team = Opportunity.members.through.objects.filter(
        opportunity_id=OuterRef("pk"), user_id=scope.user_id
    )
    condition |= Q(Exists(on_team))
    if scope.team_path:
        condition |= Q(team__path__startswith=scope.team_path)
        condition |= Q(owner__team__path__startswith=scope.team_path)
    return condition


@register(Competitor)
def competitor_rule(scope: Scope) -> Q | None:
    # Competitor intelligence is shared with the whole sales organisation, not with partners.
    return Q(pk__in=[]) if scope.is_partner else None
