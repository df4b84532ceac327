"""Accounts: a rep sees what they own or cover; a manager everything owned in their team
subtree; executives and admins all; a partner user only what they own (METHOD.md §1)."""

from django.db.models import Q

from wuwei.accounts.models import (
    Account,
    AccountFieldDefinition,
    AccountGrading,
    AccountPlan,
    AnnualEvaluation,
    MonitoringRecord,
    OwnershipConflict,
    PlanAction,
    PlanCompetitor,
    Tactic,
    Visit,
)
from wuwei.core.visibility import InIds, Rule, Scope, condition_for, register, through
from wuwei.org.visibility import in_subtree


def account_rule(scope: Scope) -> Q | None:
    if scope.sees_everything:
        return None
    if scope.is_partner:
        return Q(owner_id=scope.user_id)
    covered = Account.members.through.objects.filter(user_id=scope.user_id).values("account_id")
    if not scope.team_path:
        # A rep's few accounts out of many: two indexed id lookups (issue #17).
        return Q(owner_id=scope.user_id) | Q(InIds("pk", covered))
    # A manager's subtree: index lookups of its teams' and people's ids (`in_subtree`).
    return Q(owner_id=scope.user_id) | Q(InIds("pk", covered)) | in_subtree(scope.team_path)


def conflict_rule(scope: Scope) -> Q | None:
    """Whoever raised it, and whoever can see the account it is about (its managers)."""
    account_condition = condition_for(Account, scope)
    if account_condition is None:
        return None
    visible_accounts = Account.objects.filter(account_condition).values("pk")
    return Q(raised_by_id=scope.user_id) | Q(account__in=visible_accounts)


def _through_account(prefix: str) -> Rule:
    """Records that belong to an account are visible exactly when their account is (its rule
    and its grants: a presales user who sees the account sees its plans and visits too)."""

    def rule(scope: Scope) -> Q | None:
        return through(Account, scope, prefix)

    return rule


def field_definition_rule(scope: Scope) -> Q | None:
    # Custom field definitions are labels and types of the archive, shared inside the company.
    return Q(pk__in=[]) if scope.is_partner else None


def tactic_rule(scope: Scope) -> Q | None:
    # The tactics library is method knowledge shared by the sales organisation.
    return Q(pk__in=[]) if scope.is_partner else None


def register_rules() -> None:
    """Called from `AccountsConfig.ready()`."""
    register(Account)(account_rule)
    register(OwnershipConflict)(conflict_rule)
    for model in (AccountGrading, AccountPlan, MonitoringRecord, AnnualEvaluation, Visit):
        register(model)(_through_account("account"))
    for child in (PlanAction, PlanCompetitor):
        register(child)(_through_account("plan__account"))
    register(AccountFieldDefinition)(field_definition_rule)
    register(Tactic)(tactic_rule)
