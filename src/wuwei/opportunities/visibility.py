"""Who sees which opportunities and what hangs off them (METHOD.md §1 "Visibility").

Opportunities, rule by rule:
- executives and admins: everything;
- a partner user: deals they own and deals led by their partner company, nothing else;
- everyone else: deals they own or are on the deal team of;
- a manager, in addition: deals owned by, or owned in, their team subtree.
(Presales assignments, METHOD.md §5, add one more `condition |= ...` line here.)

Competitor intelligence is shared inside the company (`competitors.visibility`); it, the
competitors on a deal, its stage history and win-rate changes are internal work that partners
never see (`internal`). Records that name a customer or a deal (competitor prices, relations and
events, stage history) follow that customer or deal, so nothing leaks through them.
"""

from typing import Any

from django.db.models import Q

from wuwei.accounts.models import Account
from wuwei.competitors.models import CompetitorEvent, CompetitorPrice, CompetitorRelation
from wuwei.core.visibility import InIds, Scope, condition_for, internal, register, scope_for
from wuwei.opportunities.models import (
    Opportunity,
    OpportunityCompetitor,
    OpportunityMember,
    PartnerRegistration,
    ProductLine,
    StageHistory,
    StageTemplate,
    WinRateChange,
)
from wuwei.org.models import User
from wuwei.org.visibility import in_subtree


def opportunity_rule(scope: Scope) -> Q | None:
    if scope.sees_everything:
        return None
    if scope.is_partner:
        # Their own deals and those their company (their team) leads: an id subquery, not a
        # join through the company's users, which repeated a deal once per colleague.
        company = User.objects.filter(pk=scope.user_id).values("team_id")
        return Q(owner_id=scope.user_id) | Q(partner_id__in=company)
    on_team = OpportunityMember.objects.filter(user_id=scope.user_id).values("opportunity_id")
    # A rep's few deals out of many: two indexed id lookups (issue #17); a manager's subtree
    # adds two more, so the whole rule is a BitmapOr of index scans, never a scan of every deal.
    mine = Q(owner_id=scope.user_id) | Q(InIds("pk", on_team))
    return mine | in_subtree(scope.team_path) if scope.team_path else mine


def manages_deal(user: Any, opportunity: Opportunity) -> bool:
    """The user oversees the deal from above: an executive or administrator, or a manager
    whose team subtree holds the deal's owning team or its owner (the row-level twin of
    `org.visibility.in_subtree`). Reads `opportunity.owner.team` and `opportunity.team`."""
    scope = scope_for(user)
    if scope.sees_everything:
        return True
    path = scope.team_path
    if not path:
        return False
    teams = (opportunity.team, opportunity.owner.team)
    return any(team is not None and team.path.startswith(path) for team in teams)


def may_override_gates(user: Any, opportunity: Opportunity) -> bool:
    """Who may let a stage move through blocking PRM rules (§6 "an override needs a manager
    and a reason"): an executive or administrator, or a manager above the deal — never the
    deal's owner."""
    if user.sees_everything:
        return True
    return user.pk != opportunity.owner_id and manages_deal(user, opportunity)


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


# Competitor records that name a customer or a deal follow it (the rest of competitor
# intelligence is registered by `competitors.visibility`).
def competitor_relation_rule(scope: Scope) -> Q | None:
    return _through_account(scope)


def competitor_event_rule(scope: Scope) -> Q | None:
    return _through_account(scope, nullable=True)


def competitor_price_rule(scope: Scope) -> Q | None:
    condition = _through_opportunity(scope)
    return None if condition is None else condition | Q(opportunity__isnull=True)


def deal_record_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope)


def registration_rule(scope: Scope) -> Q | None:
    """A partner user: their own company's registrations only. Inside the company: the
    registrations on customers one can see (a manager sees those on the team's accounts)."""
    if scope.sees_everything:
        return None
    if scope.is_partner:
        return Q(partner__members__id=scope.user_id)
    return _through_account(scope)


def configuration_rule(scope: Scope) -> Q | None:
    return None


def register_rules() -> None:
    """Called from `OpportunitiesConfig.ready()`."""
    register(Opportunity)(opportunity_rule)
    # Internal work (METHOD.md §1): partner users see none of these rows.
    internal(
        OpportunityCompetitor,
        StageHistory,
        WinRateChange,
    )
    register(CompetitorRelation)(competitor_relation_rule)
    register(CompetitorEvent)(competitor_event_rule)
    register(CompetitorPrice)(competitor_price_rule)
    register(OpportunityCompetitor)(deal_record_rule)
    register(StageHistory)(deal_record_rule)
    register(WinRateChange)(deal_record_rule)
    register(PartnerRegistration)(registration_rule)
    register(ProductLine)(configuration_rule)
    register(StageTemplate)(configuration_rule)
