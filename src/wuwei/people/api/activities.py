"""/activities (API.md, METHOD.md §4.9): customer interactions with the contacts involved.
Writes re-derive the interaction levels of those contacts (§3.2)."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Query, Router, Status

from wuwei.accounts.models import Account
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    visible_ref,
)
from wuwei.core.pagination import keyset_page
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.people import selectors, services
from wuwei.people.models import Activity, ActivityKind, Contact

router = Router(tags=["activities"])


class ContactRef(Schema):
    id: int
    name: str


class ActivityOut(Schema):
    id: int
    kind: str
    occurred_on: date
    account: int = Field(alias="account_id")
    account_name: str
    opportunity: int | None = Field(None, alias="opportunity_id")
    contacts: list[ContactRef]
    subject: str
    notes: str
    tags: list[str]
    owner: int = Field(alias="owner_id")
    owner_name: str
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_account_name(obj: Activity) -> str:
        return obj.account.name

    @staticmethod
    def resolve_contacts(obj: Activity) -> list[dict[str, Any]]:
        return [{"id": c.pk, "name": c.name} for c in obj.contacts.all()]

    @staticmethod
    def resolve_tags(obj: Activity) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_owner_name(obj: Activity) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_archived(obj: Activity) -> bool:
        return obj.archived_at is not None


class ActivityIn(Schema):
    account: int
    kind: ActivityKind
    occurred_on: date
    subject: str = Field(min_length=1, max_length=200)
    contacts: list[int] = Field([], max_length=200)
    opportunity: int | None = None
    notes: str = Field("", max_length=20000)
    tags: list[Annotated[str, Field(max_length=50)]] = Field([], max_length=20)
    owner: int | None = None


class ActivityPatch(Schema):
    kind: ActivityKind | None = None
    occurred_on: date | None = None
    subject: str | None = Field(None, min_length=1, max_length=200)
    contacts: list[int] | None = Field(None, max_length=200)
    opportunity: int | None = None
    notes: str | None = Field(None, max_length=20000)
    tags: list[Annotated[str, Field(max_length=50)]] | None = Field(None, max_length=20)
    owner: int | None = None
    version: int | None = None


class ActivityList(Schema):
    items: list[ActivityOut]
    next: str | None
    count: int | None = None


class ActivityQuery(ListQuery):
    account: int | None = None
    opportunity: int | None = None
    contact: int | None = None
    kind: ActivityKind | None = None
    tag: str | None = Field(None, max_length=50)
    owner: str | None = Field(None, pattern=r"^(me|\d+)$")
    occurred_from: date | None = None
    occurred_to: date | None = None
    q: str | None = Field(None, max_length=200)
    archived: bool = False
    sort: str = Field("-occurred_on", pattern="^-?(occurred_on|created_at|updated_at)$")


def _contacts(user: Any, ids: list[int]) -> list[Contact]:
    return [visible_ref(user, Contact, pk, "contacts") for pk in dict.fromkeys(ids)]


@router.get("", response={200: ActivityList, **ERRORS})
def activity_list(request: AuthedRequest, query: Query[ActivityQuery]) -> Any:
    owner = None
    if query.owner:
        owner = request.auth.pk if query.owner == "me" else int(query.owner)
    filters = selectors.ActivityFilters(
        account=query.account,
        opportunity=query.opportunity,
        contact=query.contact,
        kind=query.kind,
        tag=query.tag,
        owner=owner,
        occurred_from=query.occurred_from,
        occurred_to=query.occurred_to,
        q=query.q,
        archived=query.archived,
    )
    qs = selectors.activity_list(user=request.auth, filters=filters)
    return keyset_page(
        qs, sort=query.sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("", response={201: ActivityOut, **ERRORS})
def activity_create(request: AuthedRequest, payload: ActivityIn) -> Any:
    account = visible_ref(request.auth, Account, payload.account, "account")
    opportunity = (
        None
        if payload.opportunity is None
        else visible_ref(request.auth, Opportunity, payload.opportunity, "opportunity")
    )
    owner = (
        None if payload.owner is None else visible_ref(request.auth, User, payload.owner, "owner")
    )
    activity = services.activity_create(
        user=request.auth,
        account=account,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        subject=payload.subject,
        contacts=_contacts(request.auth, payload.contacts),
        opportunity=opportunity,
        notes=payload.notes,
        tags=payload.tags,
        owner=owner,
    )
    return Status(201, selectors.activity_get(user=request.auth, id=activity.pk))


@router.get("/{activity_id}", response={200: ActivityOut, **ERRORS})
def activity_get(request: AuthedRequest, activity_id: int) -> Any:
    return selectors.activity_get(user=request.auth, id=activity_id)


@router.patch("/{activity_id}", response={200: ActivityOut, **ERRORS})
def activity_patch(request: AuthedRequest, activity_id: int, payload: ActivityPatch) -> Any:
    activity = selectors.activity_get(user=request.auth, id=activity_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("kind", "occurred_on", "subject", "contacts", "notes", "tags", "owner"))
    if "contacts" in changes:
        changes["contacts"] = _contacts(request.auth, changes["contacts"])
    if changes.get("opportunity") is not None:
        changes["opportunity"] = visible_ref(
            request.auth, Opportunity, changes["opportunity"], "opportunity"
        )
    if "owner" in changes:
        changes["owner"] = visible_ref(request.auth, User, changes["owner"], "owner")
    services.activity_update(
        user=request.auth,
        activity=activity,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.activity_get(user=request.auth, id=activity_id)


@router.delete("/{activity_id}", response={200: ActivityOut, **ERRORS})
def activity_delete(request: AuthedRequest, activity_id: int) -> Any:
    activity = selectors.activity_get(user=request.auth, id=activity_id)
    services.activity_archive(user=request.auth, activity=activity)
    return selectors.activity_get(user=request.auth, id=activity_id)


@router.post("/{activity_id}/restore", response={200: ActivityOut, **ERRORS})
def activity_restore(request: AuthedRequest, activity_id: int) -> Any:
    activity = selectors.activity_get(user=request.auth, id=activity_id)
    services.activity_restore(user=request.auth, activity=activity)
    return selectors.activity_get(user=request.auth, id=activity_id)
