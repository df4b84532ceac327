"""/registrations: partner deal registrations (METHOD.md §1, API.md)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from wuwei.accounts.models import Account
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    Schema,
    visible_ref,
)
from wuwei.core.errors import NotFound
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page
from wuwei.opportunities import partners, selectors
from wuwei.opportunities import registrations as registration_services
from wuwei.opportunities.api.deals import OpportunityOut
from wuwei.opportunities.models import (
    RegistrationStatus,
)
from wuwei.org.models import Team

router = Router(tags=["registrations"])


# ----------------------------------------------------------------------------------------
# /registrations


class RegistrationOut(Schema):
    id: int
    partner: int = Field(alias="partner_id")
    partner_name: str = Field(alias="partner.name")
    account: int = Field(alias="account_id")
    account_name: str = Field(alias="account.name")
    products: list[str]
    registered_by: int = Field(alias="registered_by_id")
    registered_on: date
    expires_on: date
    status: str
    estimated_amount: Decimal
    expected_close: date | None = None
    conflict: int | None = Field(None, alias="conflict_id")
    notes: str
    version: int

    @staticmethod
    def resolve_products(obj: Any) -> list[str]:
        return [p.code for p in obj.products.all()]


class RegistrationList(Schema):
    items: list[RegistrationOut]
    next: str | None
    count: int | None = None


class RegistrationIn(Schema):
    account: int | None = Field(None, description="an account you can see")
    customer_registration_number: str | None = Field(
        None,
        max_length=50,
        description="partners: the customer's unified social credit code instead of an id",
    )
    partner: int | None = Field(None, description="staff registering for a partner")
    products: list[str] = Field(min_length=1)
    estimated_amount: Decimal = Field(Decimal(0), ge=0, max_digits=16, decimal_places=2)
    expected_close: date | None = None
    notes: str = Field("", max_length=20000)


class ConvertIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    expected_close: date | None = None


def _registration_account(user: Any, payload: RegistrationIn) -> Account:
    if payload.account is not None:
        visible_account: Account = visible_ref(user, Account, payload.account, "account")
        return visible_account
    number = (payload.customer_registration_number or "").strip()
    account: Account | None = Account.objects.filter(
        registration_number=number, archived_at__isnull=True
    ).first()
    if not number or account is None:
        raise NotFound(
            _("No customer with this registration number; ask your channel manager."),
            [("customer_registration_number", _("not found"))],
        )
    return account


@router.get("", response={200: RegistrationList, **ERRORS})
def registration_list(
    request: AuthedRequest,
    account: int | None = None,
    partner: int | None = None,
    status: RegistrationStatus | None = None,
    archived: bool = False,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = False,
) -> Any:
    filters = selectors.RegistrationFilters(
        account=account, partner=partner, status=str(status) if status else None, archived=archived
    )
    qs = selectors.registration_list(user=request.auth, filters=filters)
    return keyset_page(
        qs.prefetch_related("products"),
        sort="-created_at",
        limit=limit,
        cursor=cursor,
        with_count=count,
    )


@router.post("", response={201: RegistrationOut, **ERRORS})
def registration_create(request: AuthedRequest, payload: RegistrationIn) -> Any:
    user = request.auth
    partner = visible_ref(user, Team, payload.partner, "partner") if payload.partner else None
    registration = registration_services.registration_create(
        user=user,
        account=_registration_account(user, payload),
        partner=partner,
        products=selectors.product_lines(payload.products) or [],
        estimated_amount=payload.estimated_amount,
        expected_close=payload.expected_close,
        notes=payload.notes,
    )
    return Status(201, selectors.registration_get(user=user, id=registration.pk))


@router.get("/{registration_id}", response={200: RegistrationOut, **ERRORS})
def registration_get(request: AuthedRequest, registration_id: int) -> Any:
    return selectors.registration_get(user=request.auth, id=registration_id)


@router.post("/{registration_id}/withdraw", response={200: RegistrationOut, **ERRORS})
def registration_withdraw(request: AuthedRequest, registration_id: int) -> Any:
    user = request.auth
    registration = selectors.registration_get(user=user, id=registration_id)
    registration_services.registration_withdraw(user=user, registration=registration)
    return selectors.registration_get(user=user, id=registration_id)


@router.post("/{registration_id}/convert", response={201: OpportunityOut, **ERRORS})
def registration_convert(request: AuthedRequest, registration_id: int, payload: ConvertIn) -> Any:
    """Turn the registration into the partner-led (grade E) opportunity."""
    user = request.auth
    registration = selectors.registration_get(user=user, id=registration_id)
    opportunity = registration_services.registration_convert(
        user=user, registration=registration, **payload.dict()
    )
    created = selectors.opportunity_get(user=user, id=opportunity.pk)
    return Status(201, partners.shown(user, created))
