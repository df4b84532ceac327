"""The presales resource pool (METHOD.md §5.1): the level rate table and the people in it."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.org.models import Role, Team, User
from wuwei.support.models import HOME_UNIT_KINDS, LevelRate, Resource

_CENT = Decimal("0.01")
POOL_ADMIN_ROLES = {Role.ADMIN, Role.DELIVERY_LEAD}


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _normalize_skills(skills: Iterable[str]) -> list[str]:
    cleaned = [s.strip().lower() for s in skills if s and s.strip()]
    bad = [s for s in cleaned if len(s) > 40 or '"' in s or "," in s]
    if bad:
        raise ValidationFailed(
            _("Skills are short tags without quotes or commas."), [("skills", ", ".join(bad))]
        )
    return sorted(set(cleaned))


# ----------------------------------------------------------------------------------------
# resource pool


def _require_pool_admin(user: User) -> None:
    if not (user.is_superuser or user.role_slugs & POOL_ADMIN_ROLES):
        raise NotAllowed(_("Only delivery leads and administrators manage the resource pool."))


@transaction.atomic
def level_rate_set(*, user: User, level: str, day_rate: Decimal) -> LevelRate:
    _require_pool_admin(user)
    rate = LevelRate.objects.filter(level=level).first()
    if rate is None:
        return core_services.save_new(LevelRate(level=level, day_rate=day_rate), user=user)
    updated: LevelRate = core_services.update_fields(
        rate, user=user, changes={"day_rate": day_rate}, expected_version=rate.version
    )
    return updated


def _check_home_unit(home_unit: Team | None) -> None:
    if home_unit is not None and home_unit.kind not in HOME_UNIT_KINDS:
        raise ValidationFailed(
            _("A home unit is a delivery centre, an office or HQ presales."),
            [("home_unit", _("wrong kind of team"))],
        )


@transaction.atomic
def resource_create(
    *,
    user: User,
    person: User,
    level: LevelRate,
    home_unit: Team | None = None,
    skills: Iterable[str] = (),
    capacity_days_per_week: Decimal = Decimal(5),
) -> Resource:
    _require_pool_admin(user)
    _check_home_unit(home_unit)
    if not person.role_slugs & {Role.PRESALES, Role.DELIVERY_LEAD}:
        raise ValidationFailed(
            _("Only presales and delivery people join the resource pool."),
            [("user", _("needs the presales or delivery lead role"))],
        )
    if Resource.objects.filter(user=person).exists():
        raise Conflict(_("This person is already in the pool."), [("user", _("taken"))])
    resource = Resource(
        user=person,
        level=level,
        home_unit=home_unit,
        skills=_normalize_skills(skills),
        capacity_days_per_week=capacity_days_per_week,
    )
    return core_services.save_new(resource, user=user)


@transaction.atomic
def resource_update(
    *, user: User, resource: Resource, changes: dict[str, Any], expected_version: int | None
) -> Resource:
    _require_pool_admin(user)
    if "home_unit" in changes:
        _check_home_unit(changes["home_unit"])
    if "skills" in changes:
        changes = {**changes, "skills": _normalize_skills(changes["skills"])}
    return core_services.update_fields(
        resource, user=user, changes=changes, expected_version=expected_version
    )
