"""Who sees what in MCI support (METHOD.md §1: "presales see the opportunities they are
assigned to").

- The resource pool and the rate table are open inside the company (not to partners).
- Requests, ledger entries, stage owners, scores and credits follow their opportunity.
- Grants widen the opportunity and account rules: a person assigned to a deal (or its stage
  owner) sees it and its account; a delivery lead sees the deals in their unit's queue, an
  HQ-presales lead the hotline queue.
"""

from django.db.models import Exists, Q

from wuwei.accounts.models import Account
from wuwei.core.visibility import Scope, grant, internal, register, through
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import TeamKind, User
from wuwei.org.permissions import Action, roles_may
from wuwei.support.models import (
    Assignment,
    BudgetApproval,
    CreditSplit,
    LedgerEntry,
    LevelRate,
    PresalesRequest,
    Queue,
    Resource,
    StageOwner,
    StageScore,
)


def _queue_requests(scope: Scope) -> Q | None:
    """Requests in the queue a delivery lead handles: their own unit's, and the hotline's
    for a lead in HQ presales."""
    if not roles_may(scope.roles, Action.SUPPORT_QUEUE_SEE):
        return None
    in_my_unit = Q(unit__members__id=scope.user_id)
    in_hq_presales = Exists(User.objects.filter(pk=scope.user_id, team__kind=TeamKind.HQ_PRESALES))
    return in_my_unit | (Q(queue=Queue.HOTLINE) & Q(in_hq_presales))


def _supported_deals(scope: Scope) -> Q | None:
    """Deals the user works on: assigned, stage owner, or their queue — id subqueries on the
    indexed deal id, not an EXISTS per deal (issue #17)."""
    if not roles_may(scope.roles, Action.SUPPORT_WORK):
        return None
    assigned = Assignment.objects.filter(
        resource__user_id=scope.user_id, cancelled_at__isnull=True
    ).values("request__opportunity_id")
    owns_stage = StageOwner.objects.filter(owner_id=scope.user_id).values("opportunity_id")
    condition = Q(pk__in=assigned) | Q(pk__in=owns_stage)
    queue = _queue_requests(scope)
    if queue is not None:
        condition |= Q(pk__in=PresalesRequest.objects.filter(queue).values("opportunity_id"))
    return condition


def presales_see_their_deals(scope: Scope) -> Q | None:
    return _supported_deals(scope)


def presales_see_their_deals_accounts(scope: Scope) -> Q | None:
    deals = _supported_deals(scope)
    if deals is None:
        return None
    return Q(pk__in=Opportunity.objects.filter(deals).values("account_id"))


def pool_rule(scope: Scope) -> Q | None:
    return None


def _through_opportunity(scope: Scope, prefix: str = "") -> Q | None:
    return through(Opportunity, scope, f"{prefix}opportunity")


def request_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope)


def approval_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope, "request__")


def assignment_rule(scope: Scope) -> Q | None:
    condition = _through_opportunity(scope, "request__")
    if condition is None:
        return None
    return condition | Q(resource__user_id=scope.user_id)


def deal_record_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope)


def score_rule(scope: Scope) -> Q | None:
    condition = _through_opportunity(scope)
    return None if condition is None else condition | Q(participant_id=scope.user_id)


def credit_rule(scope: Scope) -> Q | None:
    condition = _through_opportunity(scope)
    return None if condition is None else condition | Q(user_id=scope.user_id)


def register_rules() -> None:
    """Called from `SupportConfig.ready()`."""
    # Internal work (METHOD.md §1): presales, budget and ledger are never shown to partner users.
    internal(
        LevelRate,
        Resource,
        PresalesRequest,
        BudgetApproval,
        Assignment,
        LedgerEntry,
        StageOwner,
        StageScore,
        CreditSplit,
    )
    grant(Opportunity)(presales_see_their_deals)
    grant(Account)(presales_see_their_deals_accounts)
    register(LevelRate)(pool_rule)
    register(Resource)(pool_rule)
    register(PresalesRequest)(request_rule)
    register(BudgetApproval)(approval_rule)
    register(Assignment)(assignment_rule)
    register(LedgerEntry)(deal_record_rule)
    register(StageOwner)(deal_record_rule)
    register(StageScore)(score_rule)
    register(CreditSplit)(credit_rule)
