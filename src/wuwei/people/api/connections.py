"""/connections (METHOD.md §3.5 ECM): who in our company knows which contact."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Status

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
from wuwei.org.models import User
from wuwei.people import selectors, services
from wuwei.people.models import Connection, ConnectionHow, Contact

router = Router(tags=["connections"])


class ConnectionOut(Schema):
    id: int
    employee: int = Field(alias="employee_id")
    employee_name: str
    contact: int = Field(alias="contact_id")
    contact_name: str
    account: int
    account_name: str
    strength: int
    since: date | None
    how: str
    note: str
    version: int
    created_at: datetime

    @staticmethod
    def resolve_employee_name(obj: Connection) -> str:
        return str(obj.employee)

    @staticmethod
    def resolve_contact_name(obj: Connection) -> str:
        return obj.contact.name

    @staticmethod
    def resolve_account(obj: Connection) -> int:
        return obj.contact.account_id

    @staticmethod
    def resolve_account_name(obj: Connection) -> str:
        return obj.contact.account.name


class ConnectionIn(Schema):
    contact: int
    employee: int | None = Field(None, description="Defaults to the caller")
    strength: int = Field(3, ge=1, le=5)
    since: date | None = None
    how: ConnectionHow
    note: str = Field("", max_length=500)


class ConnectionPatch(Schema):
    strength: int | None = Field(None, ge=1, le=5)
    since: date | None = None
    how: ConnectionHow | None = None
    note: str | None = Field(None, max_length=500)
    version: int | None = None


class ConnectionList(Schema):
    items: list[ConnectionOut]
    next: str | None
    count: int | None = None


class ConnectionQuery(ListQuery):
    employee: str | None = Field(None, pattern=r"^(me|\d+)$")
    contact: int | None = None
    account: int | None = None
    q: str | None = Field(None, max_length=200)


@router.get("", response={200: ConnectionList, **ERRORS})
def connection_list(request: AuthedRequest, query: Query[ConnectionQuery]) -> Any:
    employee = None
    if query.employee:
        employee = request.auth.pk if query.employee == "me" else int(query.employee)
    filters = selectors.ConnectionFilters(
        employee=employee, contact=query.contact, account=query.account, q=query.q
    )
    qs = selectors.connection_list(user=request.auth, filters=filters)
    return keyset_page(qs, limit=query.limit, cursor=query.cursor, with_count=query.count)


@router.post("", response={201: ConnectionOut, **ERRORS})
def connection_create(request: AuthedRequest, payload: ConnectionIn) -> Any:
    contact = visible_ref(request.auth, Contact, payload.contact, "contact")
    employee = (
        request.auth
        if payload.employee is None
        else visible_ref(request.auth, User, payload.employee, "employee")
    )
    connection = services.connection_create(
        user=request.auth,
        employee=employee,
        contact=contact,
        how=payload.how,
        strength=payload.strength,
        since=payload.since,
        note=payload.note,
    )
    return Status(201, selectors.connection_get(user=request.auth, id=connection.pk))


@router.get("/{connection_id}", response={200: ConnectionOut, **ERRORS})
def connection_get(request: AuthedRequest, connection_id: int) -> Any:
    return selectors.connection_get(user=request.auth, id=connection_id)


@router.patch("/{connection_id}", response={200: ConnectionOut, **ERRORS})
def connection_patch(request: AuthedRequest, connection_id: int, payload: ConnectionPatch) -> Any:
    connection = selectors.connection_get(user=request.auth, id=connection_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("strength", "how", "note"))
    services.connection_update(
        user=request.auth,
        connection=connection,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.connection_get(user=request.auth, id=connection_id)


@router.delete("/{connection_id}", response={204: None, **ERRORS})
def connection_delete(request: AuthedRequest, connection_id: int) -> Any:
    connection = selectors.connection_get(user=request.auth, id=connection_id)
    services.connection_remove(user=request.auth, connection=connection)
    return Status(204, None)
