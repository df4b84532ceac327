"""Competitor writes (METHOD.md §4.4): profile, analysis library, relations with customers,
key partners, key events and quoted prices. The competitors on a deal are
`opportunities.services`. The customer, deal and product a record names are passed in as
rows the caller has already resolved (and checked it may see)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from wuwei.competitors.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPartner,
    CompetitorPrice,
    CompetitorRelation,
    InsightKind,
)
from wuwei.core import services as core_services
from wuwei.core.errors import NotAllowed, ValidationFailed
from wuwei.org.models import Role, User

WRITER_ROLES = {Role.REP, Role.MANAGER, Role.PRESALES, Role.EXECUTIVE, Role.ADMIN}
PRICE_WRITER_ROLES = {Role.REP, Role.MANAGER, Role.EXECUTIVE, Role.ADMIN}
PROFILE_FIELDS = ("name", "website", "headquarters", "description", "notes")


def _require_writer(user: User) -> None:
    if not (user.is_superuser or user.role_slugs & WRITER_ROLES):
        raise NotAllowed(_("Your role cannot change competitor intelligence."))


def competitor_create(*, user: User, name: str, **fields: Any) -> Competitor:
    _require_writer(user)
    return core_services.save_new(Competitor(name=name.strip(), **fields), user=user)


def competitor_update(
    *, user: User, competitor: Competitor, changes: dict[str, Any], expected_version: int | None
) -> Competitor:
    _require_writer(user)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return core_services.update_fields(
        competitor, user=user, changes=changes, expected_version=expected_version
    )


def competitor_insight_add(
    *, user: User, competitor: Competitor, kind: str, text: str
) -> CompetitorInsight:
    _require_writer(user)
    if kind not in InsightKind.values:
        raise ValidationFailed(_("Unknown kind."), [("kind", _("unknown"))])
    insight = CompetitorInsight(competitor=competitor, kind=kind, text=text.strip())
    return core_services.save_new(insight, user=user)


@transaction.atomic
def competitor_relation_set(
    *,
    user: User,
    competitor: Competitor,
    account: models.Model,
    is_incumbent: bool = False,
    relationship_status: str = "neutral",
    notes: str = "",
) -> CompetitorRelation:
    _require_writer(user)
    values = {
        "is_incumbent": is_incumbent,
        "relationship_status": relationship_status,
        "notes": notes,
    }
    relation = CompetitorRelation.objects.filter(competitor=competitor, account=account).first()
    if relation is not None:
        updated: CompetitorRelation = core_services.update_fields(
            relation, user=user, changes=values, expected_version=relation.version
        )
        return updated
    relation = CompetitorRelation(competitor=competitor, account=account, **values)
    return core_services.save_new(relation, user=user)


def competitor_partner_add(
    *, user: User, competitor: Competitor, name: str, role: str = "", notes: str = ""
) -> CompetitorPartner:
    _require_writer(user)
    partner = CompetitorPartner(competitor=competitor, name=name.strip(), role=role, notes=notes)
    return core_services.save_new(partner, user=user)


def competitor_event_add(
    *,
    user: User,
    competitor: Competitor,
    happened_on: date,
    title: str,
    description: str = "",
    account: models.Model | None = None,
) -> CompetitorEvent:
    _require_writer(user)
    event = CompetitorEvent(
        competitor=competitor,
        happened_on=happened_on,
        title=title.strip(),
        description=description,
        account=account,
    )
    return core_services.save_new(event, user=user)


def competitor_insight_update(
    *,
    user: User,
    insight: CompetitorInsight,
    kind: str,
    text: str,
    expected_version: int | None,
) -> CompetitorInsight:
    _require_writer(user)
    if kind not in InsightKind.values:
        raise ValidationFailed(_("Unknown kind."), [("kind", _("unknown"))])
    return core_services.update_fields(
        insight,
        user=user,
        changes={"kind": kind, "text": text.strip()},
        expected_version=expected_version,
    )


def competitor_insight_archive(
    *, user: User, insight: CompetitorInsight, expected_version: int | None
) -> CompetitorInsight:
    _require_writer(user)
    return core_services.archive_checked(insight, user=user, expected_version=expected_version)


EVENT_FIELDS = ("happened_on", "title", "description")


def competitor_event_update(
    *,
    user: User,
    event: CompetitorEvent,
    changes: dict[str, Any],
    expected_version: int | None,
) -> CompetitorEvent:
    """Correct a key event; the customer it concerns stays (it decides who sees the event)."""
    _require_writer(user)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in changes:
        changes = {**changes, "title": changes["title"].strip()}
    return core_services.update_fields(
        event, user=user, changes=changes, expected_version=expected_version
    )


def competitor_event_archive(
    *, user: User, event: CompetitorEvent, expected_version: int | None
) -> CompetitorEvent:
    _require_writer(user)
    return core_services.archive_checked(event, user=user, expected_version=expected_version)


def _require_price_writer(user: User) -> None:
    if not (user.is_superuser or user.role_slugs & PRICE_WRITER_ROLES):
        raise NotAllowed(_("Your role cannot record competitor prices."))


def competitor_price_add(
    *,
    user: User,
    competitor: Competitor,
    price: Decimal,
    quoted_on: Any,
    opportunity: models.Model | None = None,
    product: models.Model | None = None,
    currency: str = "CNY",
    notes: str = "",
) -> CompetitorPrice:
    """One quoted price in a competitor's price history (§4.4)."""
    _require_price_writer(user)
    if price < 0:
        raise ValidationFailed(_("A price cannot be negative."), [("price", _("must be ≥ 0"))])
    entry = CompetitorPrice(
        competitor=competitor,
        opportunity=opportunity,
        product=product,
        price=price,
        currency=currency,
        quoted_on=quoted_on,
        notes=notes,
    )
    return core_services.save_new(entry, user=user)


PRICE_FIELDS = ("price", "currency", "quoted_on", "notes")


def competitor_price_update(
    *, user: User, price: CompetitorPrice, changes: dict[str, Any], expected_version: int | None
) -> CompetitorPrice:
    """Correct a recorded price (amount, currency, date, notes); the deal and product stay."""
    _require_price_writer(user)
    unknown = set(changes) - set(PRICE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "price" in changes and changes["price"] < 0:
        raise ValidationFailed(_("A price cannot be negative."), [("price", _("must be ≥ 0"))])
    return core_services.update_fields(
        price, user=user, changes=changes, expected_version=expected_version
    )


def competitor_price_archive(
    *, user: User, price: CompetitorPrice, expected_version: int | None
) -> CompetitorPrice:
    _require_price_writer(user)
    return core_services.archive_checked(price, user=user, expected_version=expected_version)
