"""MCI fixtures: a delivery centre, an office, HQ presales, a rate table and a small pool."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import make_account, make_team, make_user
from wuwei.opportunities.models import CompellingEvent, Opportunity
from wuwei.opportunities.services import opportunity_create
from wuwei.org.models import Role, Team, TeamKind, User
from wuwei.support import services
from wuwei.support.models import LevelRate, Resource

MONDAY = date(2027, 1, 4)  # ISO week 2027-W01


@dataclass
class Mci:
    centre: Team
    office: Team
    hq: Team
    lead: User  # delivery lead of the centre
    office_lead: User  # delivery lead of the office
    hotline_lead: User  # delivery lead in HQ presales
    senior: LevelRate
    junior: LevelRate
    alice: Resource  # centre, senior, erp + cloud
    bob: Resource  # centre, junior, erp
    carol: Resource  # office, junior, network
    dave: Resource  # hotline (no home unit), junior, erp


def make_resource(
    name: str, *, level: LevelRate, unit: Team | None, skills: list[str], capacity: str = "5"
) -> Resource:
    admin = User.objects.get(username="admin")
    person = make_user(name, roles=[Role.PRESALES], team=unit)
    return services.resource_create(
        user=admin,
        person=person,
        level=level,
        home_unit=unit,
        skills=skills,
        capacity_days_per_week=Decimal(capacity),
    )


@pytest.fixture
def mci(org: Any) -> Mci:
    centre = make_team("Delivery centre", kind=TeamKind.DELIVERY_CENTER, parent=org.company)
    office = make_team("Shanghai office", kind=TeamKind.OFFICE, parent=org.east)
    hq = make_team("HQ presales", kind=TeamKind.HQ_PRESALES, parent=org.company)
    senior = services.level_rate_set(user=org.admin, level="P3", day_rate=Decimal("3000"))
    junior = services.level_rate_set(user=org.admin, level="P1", day_rate=Decimal("1000"))
    return Mci(
        centre=centre,
        office=office,
        hq=hq,
        lead=make_user("lead", roles=[Role.DELIVERY_LEAD, Role.PRESALES], team=centre),
        office_lead=make_user("office_lead", roles=[Role.DELIVERY_LEAD], team=office),
        hotline_lead=make_user("hotline_lead", roles=[Role.DELIVERY_LEAD], team=hq),
        senior=senior,
        junior=junior,
        alice=make_resource("alice", level=senior, unit=centre, skills=["erp", "cloud"]),
        bob=make_resource("bob", level=junior, unit=centre, skills=["erp"]),
        carol=make_resource("carol", level=junior, unit=office, skills=["network"]),
        dave=make_resource("dave", level=junior, unit=None, skills=["erp"]),
    )


def make_deal(
    owner: User, amount: str = "5000000", win_rate: int | None = 50, **fields: Any
) -> Opportunity:
    deal = opportunity_create(
        user=owner,
        account=make_account(owner),
        name=f"Deal {amount}",
        amount=Decimal(amount),
        **fields,
    )
    if win_rate is not None:
        # A rated deal has a confirmed compelling event (§4.6 rule 1), which is what the
        # presales warning `no_compelling_event` checks.
        CompellingEvent.objects.create(
            opportunity=deal, description="Go-live deadline", is_confirmed=True
        )
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=win_rate)
    deal.refresh_from_db()
    return deal


def make_request(deal: Opportunity, by: User | None = None, **fields: Any) -> Any:
    data: dict[str, Any] = {
        "skills": ["erp"],
        "effort_days": Decimal(5),
        "start": MONDAY,
        "end": date(2027, 1, 8),
        "purpose": "Solution demo",
        "confirm_warnings": True,
    }
    data.update(fields)
    return services.request_create(user=by or deal.owner, opportunity=deal, **data)
