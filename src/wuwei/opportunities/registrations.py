"""Partner registrations (报备, METHOD.md §4.2 E; §7.3): a channel partner registers a customer
and a product scope, protected for `partner.protection_days` of the method configuration.
A registration overlapping another protected one, or a direct deal, on the same account and
product scope raises a conflict for a manager to decide (prevents hidden and "flying" orders).
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.accounts.conflicts import conflict_raise, ownership_conflict_check
from wuwei.accounts.models import Account, ConflictKind
from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from wuwei.methodology.names import normalize_company_name
from wuwei.opportunities.models import (
    OPEN_STAGES,
    Opportunity,
    PartnerRegistration,
    ProductLine,
    RegistrationStatus,
    Source,
)
from wuwei.opportunities.services import opportunity_create, overlapping
from wuwei.org.models import Role, Team, TeamKind, User
from wuwei.org.permissions import Action, require


def _partner_for(user: User, partner: Team | None) -> Team:
    """A partner user registers for their own company; staff name the partner."""
    if user.role_slugs & {Role.PARTNER_USER} and not user.sees_everything:
        team = user.team
        if team is None or team.kind != TeamKind.PARTNER:
            raise NotAllowed(_("Your account is not attached to a partner company."))
        if partner is not None and partner.pk != team.pk:
            raise NotAllowed(_("You can register only for your own company."))
        return team
    require(user, Action.REGISTRATION_INTERNAL)
    if partner is None or partner.kind != TeamKind.PARTNER:
        raise ValidationFailed(
            _("Name the partner company this registration is for."),
            [("partner", _("a partner team is required"))],
        )
    return partner


def registration_customer(*, name: str, registration_number: str) -> Account:
    """The customer a partner names by its registration number (unified social credit code)
    and name. A partner sees no account, so both must match — a number alone would let them
    look customers up — and a mismatch answers exactly like an unknown customer. Names match
    after normalisation (有限公司/股份有限公司, full-width characters, case: §7.3)."""
    number = registration_number.strip()
    wanted = normalize_company_name(name)
    account = (
        Account.objects.filter(registration_number=number, archived_at__isnull=True).first()
        if number and wanted
        else None
    )
    if account is None or normalize_company_name(account.name) != wanted:
        raise NotFound(
            _(
                "No customer with this name and registration number; check both or ask "
                "your channel manager."
            ),
            [("customer_registration_number", _("not found"))],
        )
    return account


@transaction.atomic
def registration_create(
    *,
    user: User,
    account: Account,
    products: Iterable[ProductLine],
    partner: Team | None = None,
    estimated_amount: Decimal = Decimal(0),
    expected_close: date | None = None,
    notes: str = "",
    today: date | None = None,
) -> PartnerRegistration:
    products = list(products)
    if not products:
        raise ValidationFailed(
            _("A registration covers at least one product line."),
            [("products", _("This field is required."))],
        )
    partner = _partner_for(user, partner)
    today = today or timezone.localdate()
    registration = PartnerRegistration(
        partner=partner,
        account=account,
        registered_by=user,
        registered_on=today,
        expires_on=today + timedelta(days=method_config().partner.protection_days),
        estimated_amount=estimated_amount,
        expected_close=expected_close,
        notes=notes,
    )
    core_services.save_new(registration, user=user)
    registration.products.set(products)
    conflict = _flag_overlaps(registration, products, user, today)
    # A partner working a customer another segment team owns is a conflict too (§7.3).
    ownership = ownership_conflict_check(
        user=user, account=account, team=partner, registration=registration
    )
    conflict = conflict or ownership
    if conflict is not None:
        PartnerRegistration.objects.filter(pk=registration.pk).update(conflict=conflict)
        registration.conflict = conflict
    return registration


def _flag_overlaps(
    registration: PartnerRegistration, products: list[ProductLine], user: User, today: date
) -> Any:
    """One conflict naming everything this registration overlaps, or None."""
    others = overlapping(
        PartnerRegistration.objects.filter(
            account_id=registration.account_id,
            status=RegistrationStatus.ACTIVE,
            expires_on__gte=today,
            archived_at__isnull=True,
        ).exclude(pk=registration.pk),
        products,
    ).select_related("partner")
    direct = overlapping(
        Opportunity.objects.filter(
            account_id=registration.account_id,
            partner__isnull=True,
            stage__in=OPEN_STAGES,
            archived_at__isnull=True,
        ),
        products,
    )
    other_ids = [r.pk for r in others]
    direct_ids = list(direct.values_list("pk", flat=True))
    if not other_ids and not direct_ids:
        return None
    params = {"partner": registration.partner.name, "account": registration.account.name}
    if other_ids:
        kind = ConflictKind.REGISTRATION_OVERLAP
        summary = _("Registration by %(partner)s on %(account)s overlaps another registration")
    else:
        kind = ConflictKind.DIRECT_VS_REGISTRATION
        summary = _("Registration by %(partner)s on %(account)s overlaps a direct opportunity")
    return conflict_raise(
        kind=kind,
        account=registration.account,
        raised_by=user,
        summary=summary % params,
        opportunity=Opportunity.objects.filter(pk__in=direct_ids).first(),
        details={
            "registration": registration.pk,
            "overlapping_registrations": other_ids,
            "overlapping_opportunities": direct_ids,
            "products": sorted(p.code for p in products),
        },
    )


def _check_active(registration: PartnerRegistration) -> None:
    if registration.status != RegistrationStatus.ACTIVE:
        raise Conflict(
            _("This registration is %(status)s.") % {"status": registration.get_status_display()},
            [("status", registration.status)],
        )


def registration_withdraw(*, user: User, registration: PartnerRegistration) -> PartnerRegistration:
    _partner_for(user, registration.partner)
    _check_active(registration)
    return core_services.update_fields(
        registration,
        user=user,
        changes={"status": RegistrationStatus.WITHDRAWN},
        expected_version=registration.version,
    )


@transaction.atomic
def registration_convert(
    *,
    user: User,
    registration: PartnerRegistration,
    name: str,
    amount: Decimal,
    owner: User | None = None,
    **fields: Any,
) -> Opportunity:
    """Turn a protected registration into the partner-led (grade E) opportunity."""
    _partner_for(user, registration.partner)
    _check_active(registration)
    if registration.expires_on < timezone.localdate():
        raise Conflict(
            _("The registration's protection has expired; register again."),
            [("expires_on", _("expired"))],
        )
    opportunity = opportunity_create(
        user=user,
        account=registration.account,
        name=name,
        amount=amount,
        owner=owner,
        partner=registration.partner,
        registration=registration,
        source=Source.PARTNER,
        products=list(registration.products.all()),
        **fields,
    )
    core_services.update_fields(
        registration,
        user=user,
        changes={"status": RegistrationStatus.CONVERTED},
        expected_version=registration.version,
    )
    return opportunity
