"""/accounts (API.md). Validate → selector/service → response."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from wuwei.accounts import selectors, services
from wuwei.accounts.models import Account, AccountStatus, Industry
from wuwei.core.api import AuthedRequest, ErrorOut, expected_version, reject_nulls, visible_ref
from wuwei.core.errors import ValidationFailed
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page
from wuwei.org.models import Segment, Team, User

router = Router(tags=["accounts"])
ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422): ErrorOut}


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
    version: int | None = None


class AccountList(Schema):
    items: list[AccountOut]
    next: str | None
    count: int | None = None


class AccountQuery(Schema):
    q: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=20, description='"me" or a user id')
    team: int | None = None
    industry: Industry | None = None
    segment: Segment | None = None
    status: AccountStatus | None = None
    parent: int | None = None
    archived: bool = False
    sort: str = Field("name", pattern="^-?(name|created_at|updated_at)$")
    limit: int = DEFAULT_LIMIT
    cursor: str | None = Field(None, max_length=500)
    count: bool = False


def _resolve_refs(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids into visible objects; an inactive owner is refused like an unknown one."""
    for field, model in (("owner", User), ("team", Team), ("parent", Account)):
        if data.get(field) is not None:
            data[field] = visible_ref(user, model, data[field], field)
    if data.get("owner") is not None and not data["owner"].is_active:
        raise ValidationFailed(_("The owner must be an active user."), [("owner", _("inactive"))])
    return data


@router.get("", response={200: AccountList, **ERRORS})
def account_list(request: AuthedRequest, query: Query[AccountQuery]) -> Any:
    filters = selectors.AccountFilters(
        q=query.q,
        owner=query.owner,
        team=query.team,
        industry=query.industry,
        segment=query.segment,
        status=query.status,
        parent=query.parent,
        archived=query.archived,
    )
    qs = selectors.account_list(user=request.auth, filters=filters)
    return keyset_page(
        qs, sort=query.sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("", response={201: AccountOut, **ERRORS})
def account_create(request: AuthedRequest, payload: AccountIn) -> Any:
    data = _resolve_refs(request.auth, payload.dict())
    account = services.account_create(user=request.auth, **data)
    return Status(201, selectors.account_get(user=request.auth, id=account.pk))


@router.get("/{account_id}", response={200: AccountOut, **ERRORS})
def account_get(request: AuthedRequest, account_id: int) -> Any:
    return selectors.account_get(user=request.auth, id=account_id)


@router.patch("/{account_id}", response={200: AccountOut, **ERRORS})
def account_patch(request: AuthedRequest, account_id: int, payload: AccountPatch) -> Any:
    account = selectors.account_get(user=request.auth, id=account_id)
    changes = _resolve_refs(request.auth, payload.dict(exclude_unset=True, exclude={"version"}))
    reject_nulls(changes, ("name", "industry", "segment", "status", "owner"))
    services.account_update(
        user=request.auth,
        account=account,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.account_get(user=request.auth, id=account_id)


@router.delete("/{account_id}", response={200: AccountOut, **ERRORS})
def account_delete(request: AuthedRequest, account_id: int) -> Any:
    account = selectors.account_get(user=request.auth, id=account_id)
    services.account_archive(user=request.auth, account=account)
    return selectors.account_get(user=request.auth, id=account_id)


@router.post("/{account_id}/restore", response={200: AccountOut, **ERRORS})
def account_restore(request: AuthedRequest, account_id: int) -> Any:
    account = selectors.account_get(user=request.auth, id=account_id)
    services.account_restore(user=request.auth, account=account)
    return selectors.account_get(user=request.auth, id=account_id)
