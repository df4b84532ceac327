"""Contacts are visible exactly when their account is."""

from django.db.models import Q

from wuwei.accounts.models import Account
from wuwei.core.visibility import Scope, condition_for, register
from wuwei.people.models import Contact


@register(Contact)
def contact_rule(scope: Scope) -> Q | None:
    account_condition = condition_for(Account, scope)
    if account_condition is None:
        return None
    return Q(account__in=Account.objects.filter(account_condition).values("pk"))
