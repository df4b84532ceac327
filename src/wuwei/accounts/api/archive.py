"""/accounts (API.md): the account archive, overrides, group roll-up and nine-box data."""

from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Status

from wuwei.accounts import selectors, services
from wuwei.accounts.api.base import router, user_of
from wuwei.accounts.models import (
    Account,
    AccountStatus,
    Grade,
    HeadquartersScope,
    Industry,
    KaProfile,
    Strategy,
    SupportTier,
)
from wuwei.core.api import (
    ERRORS,
    JsonObject,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    visible_ref,
    written,
)
from wuwei.core.errors import ValidationFailed
from wuwei.core.links import WebAddress
from wuwei.core.pagination import keyset_page
from wuwei.org.models import Segment, Team, User

#: One account tag: too long is a 422, never cut (API.md "Errors").
Tag = Annotated[str, Field(max_length=50)]


class AccountOut(Schema):
    id: int
    name: str
    registration_number: str | None
    industry: str
    region: str
    segment: str
    status: str
    owner: int = Field(alias="owner_id")
    owner_name: str
    team: int | None = Field(None, alias="team_id")
    parent: int | None = Field(None, alias="parent_id")
    notes: str
    hq_scope: str
    is_headquarters: bool
    on_ranking_list: bool
    pays_above_peers: bool
    annual_revenue: Decimal | None
    employee_count: int | None
    website: str
    tags: list[str]
    custom_fields: dict[str, Any]
    ka_profile: str | None
    ka_profile_auto: str | None
    ka_profile_overridden: bool
    ka_profile_override_reason: str
    grade: str | None
    account_class: str | None
    strategy: str | None
    strategy_suggested: str | None
    strategy_overridden: bool
    strategy_override_reason: str
    region_owner: int | None = Field(None, alias="region_owner_id")
    industry_owner: int | None = Field(None, alias="industry_owner_id")
    support_tier: str
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner_name(obj: Account) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_archived(obj: Account) -> bool:
        return obj.archived_at is not None

    # Blank choice fields read as null: "no KA profile", "not graded", "no active strategy".
    @staticmethod
    def resolve_ka_profile(obj: Account) -> str | None:
        return obj.ka_profile or None

    @staticmethod
    def resolve_ka_profile_auto(obj: Account) -> str | None:
        return obj.ka_profile_auto or None

    @staticmethod
    def resolve_grade(obj: Account) -> str | None:
        return obj.grade or None

    @staticmethod
    def resolve_account_class(obj: Account) -> str | None:
        return obj.account_class or None

    @staticmethod
    def resolve_strategy(obj: Account) -> str | None:
        return obj.strategy or None

    @staticmethod
    def resolve_strategy_suggested(obj: Account) -> str | None:
        return obj.strategy_suggested or None


class AccountIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    registration_number: str | None = Field(None, max_length=50)
    industry: Industry = Industry.OTHER
    region: str = Field("", max_length=100)
    segment: Segment = Segment.SMB
    status: AccountStatus = AccountStatus.PROSPECT
    owner: int | None = None
    team: int | None = None
    parent: int | None = None
    notes: str = Field("", max_length=20000)
    hq_scope: HeadquartersScope = HeadquartersScope.LOCAL
    is_headquarters: bool = True
    on_ranking_list: bool = False
    pays_above_peers: bool = False
    annual_revenue: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    employee_count: int | None = Field(None, ge=0, le=2_000_000_000)
    website: WebAddress = ""
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    custom_fields: JsonObject = Field(default_factory=dict)
    region_owner: int | None = None
    industry_owner: int | None = None
    support_tier: SupportTier | None = None
    confirm_duplicate: bool = Field(
        False, description="Create even if a similar name exists (a manager then decides)."
    )


class AccountPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    registration_number: str | None = Field(None, max_length=50)
    industry: Industry | None = None
    region: str | None = Field(None, max_length=100)
    segment: Segment | None = None
    status: AccountStatus | None = None
    owner: int | None = None
    team: int | None = None
    parent: int | None = None
    notes: str | None = Field(None, max_length=20000)
    hq_scope: HeadquartersScope | None = None
    is_headquarters: bool | None = None
    on_ranking_list: bool | None = None
    pays_above_peers: bool | None = None
    annual_revenue: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    employee_count: int | None = Field(None, ge=0, le=2_000_000_000)
    website: WebAddress | None = None
    tags: list[Tag] | None = Field(None, max_length=50)
    custom_fields: JsonObject | None = None
    region_owner: int | None = None
    industry_owner: int | None = None
    support_tier: SupportTier | None = None
    version: int | None = None


class AccountList(Schema):
    items: list[AccountOut]
    next: str | None
    count: int | None = None


class AccountQuery(ListQuery):
    q: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=20, description='"me" or a user id')
    team: int | None = None
    industry: Industry | None = None
    segment: Segment | None = None
    status: AccountStatus | None = None
    parent: int | None = None
    grade: Grade | None = None
    account_class: Grade | None = Field(None, alias="class")
    ka_profile: KaProfile | None = None
    strategy: Strategy | None = None
    tag: str | None = Field(None, max_length=50)
    archived: bool = False
    sort: str = Field("name", pattern="^-?(name|created_at|updated_at)$")


def _resolve_refs(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids into visible objects; an inactive owner is refused like an unknown one."""
    refs = (
        ("owner", User),
        ("team", Team),
        ("parent", Account),
        ("region_owner", User),
        ("industry_owner", User),
    )
    for field, model in refs:
        if data.get(field) is not None:
            data[field] = visible_ref(user, model, data[field], field)
    if data.get("owner") is not None and not data["owner"].is_active:
        raise ValidationFailed(_("The owner must be an active user."), [("owner", _("inactive"))])
    return data


@router.get("", response={200: AccountList, **ERRORS})
def account_list(request: HttpRequest, query: Query[AccountQuery]) -> Any:
    filters = selectors.AccountFilters(
        q=query.q,
        owner=query.owner,
        team=query.team,
        industry=query.industry,
        segment=query.segment,
        status=query.status,
        parent=query.parent,
        grade=query.grade,
        account_class=query.account_class,
        ka_profile=query.ka_profile,
        strategy=query.strategy,
        tag=query.tag,
        archived=query.archived,
    )
    qs = selectors.account_list(user=user_of(request), filters=filters)
    return keyset_page(
        qs, sort=query.sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("", response={201: AccountOut, **ERRORS})
def account_create(request: HttpRequest, payload: AccountIn) -> Any:
    data = _resolve_refs(user_of(request), payload.dict())
    if data.get("support_tier") is None:
        data["support_tier"] = ""
    account = services.account_create(user=user_of(request), **data)
    read = partial(selectors.account_get, user=user_of(request), id=account.pk)
    return Status(201, written(read, account))  # never 404 after the commit


@router.get("/{account_id}", response={200: AccountOut, **ERRORS})
def account_get(request: HttpRequest, account_id: int) -> Any:
    return selectors.account_get(user=user_of(request), id=account_id)


@router.patch("/{account_id}", response={200: AccountOut, **ERRORS})
def account_patch(request: HttpRequest, account_id: int, payload: AccountPatch) -> Any:
    account = selectors.account_get(user=user_of(request), id=account_id)
    changes = _resolve_refs(user_of(request), payload.dict(exclude_unset=True, exclude={"version"}))
    reject_nulls(
        changes,
        ("name", "industry", "segment", "status", "owner", "hq_scope", "website", "tags"),
    )
    for flag in ("is_headquarters", "on_ranking_list", "pays_above_peers"):
        reject_nulls(changes, (flag,))
    if "support_tier" in changes and changes["support_tier"] is None:
        changes["support_tier"] = ""
    if "custom_fields" in changes and changes["custom_fields"] is None:
        changes["custom_fields"] = {}
    updated = services.account_update(
        user=user_of(request),
        account=account,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    # handed to another owner or team: still 200 with the record as written, never a 404
    return written(partial(selectors.account_get, user=user_of(request), id=account_id), updated)


@router.delete("/{account_id}", response={200: AccountOut, **ERRORS})
def account_delete(request: HttpRequest, account_id: int) -> Any:
    account = selectors.account_get(user=user_of(request), id=account_id)
    services.account_archive(user=user_of(request), account=account)
    return selectors.account_get(user=user_of(request), id=account_id)


@router.post("/{account_id}/restore", response={200: AccountOut, **ERRORS})
def account_restore(request: HttpRequest, account_id: int) -> Any:
    account = selectors.account_get(user=user_of(request), id=account_id)
    services.account_restore(user=user_of(request), account=account)
    return selectors.account_get(user=user_of(request), id=account_id)


class OverrideIn(Schema):
    """`value` null returns to the automatic value; "" means none."""

    value: str | None = Field(None, max_length=30)
    reason: str = Field("", max_length=2000)
    version: int | None = None


@router.put("/{account_id}/ka-profile", response={200: AccountOut, **ERRORS})
def account_ka_profile_put(request: HttpRequest, account_id: int, payload: OverrideIn) -> Any:
    """Override the KA profile (global, national, regional, high_willingness, "" = none)."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    services.account_ka_profile_override(
        user=user,
        account=account,
        profile=payload.value,
        reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.account_get(user=user, id=account_id)


@router.put("/{account_id}/strategy", response={200: AccountOut, **ERRORS})
def account_strategy_put(request: HttpRequest, account_id: int, payload: OverrideIn) -> Any:
    """Override the suggested strategy (acquire, grow, retain, win_back, wait_and_watch)."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    services.account_strategy_override(
        user=user,
        account=account,
        strategy=payload.value,
        reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.account_get(user=user, id=account_id)


class GroupOut(Schema):
    subsidiaries: int
    subsidiaries_revenue: Decimal
    group_revenue: Decimal
    open_pipeline: Decimal
    open_opportunities: int


@router.get("/{account_id}/group", response={200: GroupOut, **ERRORS})
def account_group(request: HttpRequest, account_id: int) -> Any:
    """Roll-up over the visible subsidiaries: revenue and open pipeline."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    return selectors.account_rollup(user=user, account=account)
