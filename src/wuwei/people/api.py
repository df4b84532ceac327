"""/contacts (API.md)."""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from wuwei.accounts.models import Account
from wuwei.core.api import AuthedRequest, ErrorOut, expected_version, reject_nulls, visible_ref
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page
from wuwei.people import selectors, services
from wuwei.people.models import Contact

router = Router(tags=["contacts"])
ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422): ErrorOut}


class ContactOut(Schema):
    id: int
    account: int = Field(alias="account_id")
    account_name: str
    name: str
    title: str
    department: str
    phone: str
    email: str
    reports_to: int | None = Field(None, alias="reports_to_id")
    notes: str
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_account_name(obj: Contact) -> str:
        return obj.account.name

    @staticmethod
    def resolve_archived(obj: Contact) -> bool:
        return obj.archived_at is not None


class ContactIn(Schema):
    account: int
    name: str = Field(min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    department: str = Field("", max_length=100)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    reports_to: int | None = None
    notes: str = Field("", max_length=20000)


class ContactPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, max_length=100)
    department: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=50)
    email: str | None = Field(None, max_length=254)
    reports_to: int | None = None
    notes: str | None = Field(None, max_length=20000)
    version: int | None = None


class ContactList(Schema):
    items: list[ContactOut]
    next: str | None
    count: int | None = None


class ContactQuery(Schema):
    q: str | None = Field(None, max_length=200)
    account: int | None = None
    department: str | None = Field(None, max_length=100)
    reports_to: int | None = None
    archived: bool = False
    sort: str = Field("name", pattern="^-?(name|created_at|updated_at)$")
    limit: int = DEFAULT_LIMIT
    cursor: str | None = Field(None, max_length=500)
    count: bool = False


@router.get("", response={200: ContactList, **ERRORS})
def contact_list(request: AuthedRequest, query: Query[ContactQuery]) -> Any:
    filters = selectors.ContactFilters(
        q=query.q,
        account=query.account,
        department=query.department,
        reports_to=query.reports_to,
        archived=query.archived,
    )
    qs = selectors.contact_list(user=request.auth, filters=filters)
    return keyset_page(
        qs, sort=query.sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("", response={201: ContactOut, **ERRORS})
def contact_create(request: AuthedRequest, payload: ContactIn) -> Any:
    data = payload.dict()
    data["account"] = visible_ref(request.auth, Account, data["account"], "account")
    if data["reports_to"] is not None:
        data["reports_to"] = visible_ref(request.auth, Contact, data["reports_to"], "reports_to")
    contact = services.contact_create(user=request.auth, **data)
    return Status(201, selectors.contact_get(user=request.auth, id=contact.pk))


@router.get("/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_get(request: AuthedRequest, contact_id: int) -> Any:
    return selectors.contact_get(user=request.auth, id=contact_id)


@router.patch("/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_patch(request: AuthedRequest, contact_id: int, payload: ContactPatch) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("name", "title", "department", "phone", "email", "notes"))
    if changes.get("reports_to") is not None:
        changes["reports_to"] = visible_ref(
            request.auth, Contact, changes["reports_to"], "reports_to"
        )
    services.contact_update(
        user=request.auth,
        contact=contact,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.contact_get(user=request.auth, id=contact_id)


@router.delete("/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_delete(request: AuthedRequest, contact_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    services.contact_archive(user=request.auth, contact=contact)
    return selectors.contact_get(user=request.auth, id=contact_id)


@router.post("/{contact_id}/restore", response={200: ContactOut, **ERRORS})
def contact_restore(request: AuthedRequest, contact_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    services.contact_restore(user=request.auth, contact=contact)
    return selectors.contact_get(user=request.auth, id=contact_id)
