"""The one place that decides which rows a user may see (METHOD.md §1 "Visibility").

Each model registers a rule `rule(user, scope) -> Q | None`; `None` means "no restriction".
Every selector, page, API list/detail, count, search and export starts from `visible()`, so
nothing leaks through a side door. Absent and invisible rows are indistinguishable (404).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.db.models import Expression, F, Q, Subquery
from django.utils.translation import gettext as _

from wuwei.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True, slots=True)
class Scope:
    """The facts about a user that visibility rules need, gathered once per request."""

    user_id: int
    sees_everything: bool
    roles: frozenset[str]
    team_path: str | None  # the manager's subtree prefix, None when not a manager with a team
    # What rules look up once per scope and reuse for every query of the request (the
    # manager's subtree ids: `org.visibility.in_subtree`); not part of equality.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_partner(self) -> bool:
        return "partner_user" in self.roles and not self.sees_everything


Rule = Callable[[Scope], Q | None]
_rules: dict[type[models.Model], Rule] = {}
_grants: dict[type[models.Model], list[Rule]] = {}
_internal: set[type[models.Model]] = set()


def register(model: type[models.Model]) -> Callable[[Rule], Rule]:
    def decorator(rule: Rule) -> Rule:
        _rules[model] = rule
        return rule

    return decorator


def grant(model: type[models.Model]) -> Callable[[Rule], Rule]:
    """Register an extra way to see rows of `model`, owned by another app (e.g. presales see
    the deals they are assigned to). Grants only widen a restricted rule: `rule OR grant`."""

    def decorator(rule: Rule) -> Rule:
        _grants.setdefault(model, []).append(rule)
        return rule

    return decorator


def internal(*models: type[models.Model]) -> None:
    """Mark records as internal work (METHOD.md §1 "Partners are outsiders to internal
    work"): a partner user sees no row of them, whatever the model's own rule and grants say.
    What a partner may see of a deal itself is decided by `opportunities.partners`."""
    _internal.update(models)


def scope_for(user: Any) -> Scope:
    cached: Scope | None = getattr(user, "_wuwei_scope", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        scope = Scope(user_id=0, sees_everything=False, roles=frozenset(), team_path=None)
    else:
        roles = user.role_slugs
        team_path = None
        if "manager" in roles and user.team_id:
            team_path = user.team.path
        scope = Scope(
            user_id=user.pk,
            sees_everything=user.sees_everything,
            roles=roles,
            team_path=team_path,
        )
    if user is not None:
        user._wuwei_scope = scope
    return scope


def condition_for(model: type[models.Model], scope: Scope) -> Q | None:
    """The filter a model's rule imposes for `scope`; lets a child model reuse its parent's."""
    try:
        rule = _rules[model]
    except KeyError:
        raise LookupError(f"no visibility rule registered for {model.__name__}") from None
    if scope.is_partner and model in _internal:
        return Q(pk__in=[])
    condition = rule(scope)
    if condition is None:
        return None
    for extra in _grants.get(model, ()):
        widened = extra(scope)
        if widened is not None:
            condition |= widened
    return condition


class InIds(Expression):
    """`column IN (SELECT id …)` that PostgreSQL can answer from an index: there it is written
    `column = ANY(ARRAY(SELECT id …))`, the subquery runs once and the test becomes an index
    condition, so `owner_id = me OR id = ANY(…)` is a BitmapOr of two index scans for a rep's
    few deals instead of a test of every row (issue #17). Elsewhere a plain `IN`. Meant for
    small id sets (a user's memberships); a large set belongs in an ordinary `__in`."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column: str, ids: models.QuerySet[Any]) -> None:
        super().__init__()
        self.column = F(column)
        self.ids = Subquery(ids.order_by())

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.ids]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.column, self.ids = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (column, ids), (*column_params, *ids_params)


def through(parent: type[models.Model], scope: Scope, field: str) -> Q | None:
    """The rule of a child record that follows its parent: `field` names a parent the user
    sees (the parent's rule and grants). None when the user sees every parent."""
    condition = condition_for(parent, scope)
    if condition is None:
        return None
    return Q(**{f"{field}__in": parent._default_manager.filter(condition).values("pk")})


def visible(model_or_queryset: type[M] | models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    """The rows of this model the user may see (archived rows included: callers filter)."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset, model = model_or_queryset, model_or_queryset.model
    else:
        model = model_or_queryset
        queryset = model._default_manager.all()
    scope = scope_for(user)
    if scope.user_id == 0:
        return queryset.none()
    condition = condition_for(model, scope)
    return queryset if condition is None else queryset.filter(condition)


def get_visible(model_or_queryset: type[M] | models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """One visible row, or NotFound — the same answer whether it is absent or hidden."""
    try:
        return visible(model_or_queryset, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
