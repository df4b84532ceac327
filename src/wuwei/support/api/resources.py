"""The resource pool: /presales/levels and /presales/resources (MCI §5.1)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema, expected_version, visible_ref
from wuwei.core.errors import NotFound
from wuwei.core.visibility import visible
from wuwei.org.models import Team, User
from wuwei.support import selectors, services
from wuwei.support.api.common import page_of
from wuwei.support.models import LevelRate, Resource

#: The operation ids of support.api before its split (core.api.WuweiAPI).
OPERATION_ID_MODULE = "wuwei.support.api"
router = Router(tags=["presales"])


# ----------------------------------------------------------------------------------------
# resources and day rates


class LevelOut(Schema):
    id: int
    level: str
    day_rate: Decimal


class LevelList(Schema):
    items: list[LevelOut]
    next: str | None
    count: int | None = None


class LevelIn(Schema):
    level: str = Field(min_length=1, max_length=20)
    day_rate: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class ResourceOut(Schema):
    id: int
    user: int = Field(alias="user_id")
    name: str
    home_unit: int | None = Field(None, alias="home_unit_id")
    home_unit_name: str | None
    unit_kind: str
    level: str
    day_rate: Decimal
    skills: list[str]
    capacity_days_per_week: Decimal
    version: int
    archived: bool

    @staticmethod
    def resolve_name(obj: Resource) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_home_unit_name(obj: Resource) -> str | None:
        return obj.home_unit.name if obj.home_unit else None

    @staticmethod
    def resolve_level(obj: Resource) -> str:
        return obj.level.level

    @staticmethod
    def resolve_day_rate(obj: Resource) -> Decimal:
        return obj.level.day_rate

    @staticmethod
    def resolve_archived(obj: Resource) -> bool:
        return obj.archived_at is not None


class ResourceList(Schema):
    items: list[ResourceOut]
    next: str | None
    count: int | None = None


class ResourceQuery(ListQuery):
    skill: str | None = Field(None, max_length=40)
    unit: int | None = Field(None, description="home unit id; 0 = the hotline")
    archived: bool = False


class ResourceIn(Schema):
    user: int
    level: str = Field(max_length=20)
    home_unit: int | None = None
    skills: list[str] = Field(default_factory=list, max_length=30)
    capacity_days_per_week: Decimal = Field(Decimal(5), gt=0, le=7)


class ResourcePatch(Schema):
    level: str | None = Field(None, max_length=20)
    home_unit: int | None = None
    skills: list[str] | None = Field(None, max_length=30)
    capacity_days_per_week: Decimal | None = Field(None, gt=0, le=7)
    version: int | None = None


class WeekLoad(Schema):
    week: str
    load: Decimal


class CalendarEntry(Schema):
    id: int
    request: int
    opportunity: int
    start: date
    end: date
    days: Decimal


class ResourceDetail(ResourceOut):
    calendar: list[CalendarEntry] = []
    load: list[WeekLoad] = []


def _level(name: str) -> LevelRate:
    found = LevelRate.objects.filter(level=name, archived_at__isnull=True).first()
    if found is None:
        raise NotFound(f"level {name} not found.", [("level", "not found")])
    return found


@router.get("/levels", response={200: LevelList, **ERRORS})
def level_list(request: AuthedRequest, query: Query[ListQuery]) -> Any:
    """The day rates by level, cheapest first."""
    qs = visible(LevelRate, request.auth).filter(archived_at__isnull=True)
    return page_of(qs, query, sort="day_rate")


@router.post("/levels", response={200: LevelOut, **ERRORS})
def level_set(request: AuthedRequest, payload: LevelIn) -> Any:
    return services.level_rate_set(
        user=request.auth, level=payload.level.strip(), day_rate=payload.day_rate
    )


@router.get("/resources", response={200: ResourceList, **ERRORS})
def resource_list(request: AuthedRequest, query: Query[ResourceQuery]) -> Any:
    qs = selectors.resource_list(
        user=request.auth, skill=query.skill, unit=query.unit, archived=query.archived
    )
    return page_of(qs, query)


@router.post("/resources", response={201: ResourceOut, **ERRORS})
def resource_create(request: AuthedRequest, payload: ResourceIn) -> Any:
    resource = services.resource_create(
        user=request.auth,
        person=visible_ref(request.auth, User, payload.user, "user"),
        level=_level(payload.level),
        home_unit=(
            visible_ref(request.auth, Team, payload.home_unit, "home_unit")
            if payload.home_unit
            else None
        ),
        skills=payload.skills,
        capacity_days_per_week=payload.capacity_days_per_week,
    )
    return Status(201, selectors.resource_get(user=request.auth, id=resource.pk))


class WeeksQuery(Schema):
    # Bounded so that start + weeks stays a date (a year like 9999 overflowed to a 500).
    start: date | None = Field(None, ge=date(1900, 1, 1), le=date(2999, 12, 31))
    weeks: int = Field(8, ge=1, le=52)


class LoadQuery(WeeksQuery):
    unit: int | None = Field(None, description="home unit id; 0 = the hotline")


@router.get("/resources/{resource_id}", response={200: ResourceDetail, **ERRORS})
def resource_get(request: AuthedRequest, resource_id: int, query: Query[WeeksQuery]) -> Any:
    """The person with their calendar of assignments and weekly load from `start`."""
    resource = selectors.resource_get(user=request.auth, id=resource_id)
    heat = selectors.load_heatmap(
        user=request.auth,
        start=query.start or timezone.localdate(),
        weeks=query.weeks,
        resource_id=resource.pk,
    )
    resource.load = [  # type: ignore[attr-defined]
        {"week": heat.weeks[x], "load": Decimal(str(load))} for x, _y, load in heat.cells
    ]
    resource.calendar = [  # type: ignore[attr-defined]
        {
            "id": a.pk,
            "request": a.request_id,
            "opportunity": a.request.opportunity_id,
            "start": a.start,
            "end": a.end,
            "days": a.days,
        }
        for a in selectors.assignment_list(
            user=request.auth, resource=resource.pk, active=True
        ).order_by("start", "id")
    ]
    return resource


@router.patch("/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
def resource_patch(request: AuthedRequest, resource_id: int, payload: ResourcePatch) -> Any:
    resource = selectors.resource_get(user=request.auth, id=resource_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if "level" in changes:
        changes["level"] = _level(changes["level"] or "")
    if "home_unit" in changes and changes["home_unit"] is not None:
        changes["home_unit"] = visible_ref(request.auth, Team, changes["home_unit"], "home_unit")
    services.resource_update(
        user=request.auth,
        resource=resource,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.resource_get(user=request.auth, id=resource_id)
