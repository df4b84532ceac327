"""Imports and saved mappings are private to the person who made them."""

from django.db.models import Q

from wuwei.core.visibility import Scope, register
from wuwei.dataio.models import ImportMapping, ImportRun


@register(ImportRun)
@register(ImportMapping)
def own_rule(scope: Scope) -> Q | None:
    return Q(created_by_id=scope.user_id)
