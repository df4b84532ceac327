"""People records are visible exactly when what they belong to is: contacts, influence
edges and competitor relations through the account; decision maps through the opportunity;
activities through the account or the opportunity; connections through the contact (and
always to the employee who holds them)."""

from typing import Any

from django.db.models import Q, QuerySet

from wuwei.accounts.models import Account
from wuwei.core.visibility import Scope, condition_for, internal, register
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import (
    Activity,
    Connection,
    Contact,
    ContactCompetitorStance,
    DecisionParticipant,
    Influence,
)


def _accounts(scope: Scope) -> QuerySet[Any, Any] | None:
    """The visible accounts as a subquery, or None when the scope sees them all."""
    condition = condition_for(Account, scope)
    return None if condition is None else Account.objects.filter(condition).values("pk")


def _opportunities(scope: Scope) -> QuerySet[Any, Any] | None:
    condition = condition_for(Opportunity, scope)
    return None if condition is None else Opportunity.objects.filter(condition).values("pk")


def _via(lookup: str, subquery: QuerySet[Any, Any] | None) -> Q | None:
    return None if subquery is None else Q(**{f"{lookup}__in": subquery})


def contact_rule(scope: Scope) -> Q | None:
    return _via("account", _accounts(scope))


def influence_rule(scope: Scope) -> Q | None:
    return _via("account", _accounts(scope))


def competitor_relation_rule(scope: Scope) -> Q | None:
    return _via("contact__account", _accounts(scope))


def decision_participant_rule(scope: Scope) -> Q | None:
    return _via("opportunity", _opportunities(scope))


def activity_rule(scope: Scope) -> Q | None:
    if scope.is_partner:  # our reps' visits and notes are internal work (METHOD.md §1)
        return Q(created_by_id=scope.user_id)
    by_account = _via("account", _accounts(scope))
    by_opportunity = _via("opportunity", _opportunities(scope))
    if by_account is None or by_opportunity is None:
        return None
    return by_account | by_opportunity


def connection_rule(scope: Scope) -> Q | None:
    by_contact = _via("contact__account", _accounts(scope))
    return None if by_contact is None else by_contact | Q(employee_id=scope.user_id)


def register_rules() -> None:
    """Called from `PeopleConfig.ready()`."""
    register(Contact)(contact_rule)
    register(Influence)(influence_rule)
    register(ContactCompetitorStance)(competitor_relation_rule)
    # The decision map of a deal is internal work (METHOD.md §1): partner users see none of it.
    internal(DecisionParticipant)
    register(DecisionParticipant)(decision_participant_rule)
    register(Activity)(activity_rule)
    register(Connection)(connection_rule)
