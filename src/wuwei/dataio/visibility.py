"""Imports and saved mappings are private to the person who made them."""

from django.db.models import Q

from wuwei.core.visibility import Scope, register
from wuwei.dataio.models import ImportMapping, ImportRun


def own_rule(scope: Scope) -> Q | None:
    return Q(created_by_id=scope.user_id)


def register_rules() -> None:
    """Called from `DataioConfig.ready()`."""
    register(ImportMapping)(own_rule)
    register(ImportRun)(own_rule)
