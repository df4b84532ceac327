"""GET /reports/segments?from=&to=&team= (METHOD.md §7.2): SMB conversion and KA success
against their references, cycle length, average won amount and presales cost per segment, over
the deals the caller can see. Partners get 404."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from wuwei.core.api import ERRORS, AuthedRequest, visible_ref
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.visibility import scope_for
from wuwei.insights.selectors import SegmentReport, segment_report
from wuwei.insights.views import default_period
from wuwei.org.models import Team

router = Router(tags=["reports"])


class SegmentQuery(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    team: int | None = None


class SegmentOut(Schema):
    segment: str
    basis: str
    won: int = Field(description="won deals the rate counts")
    closed: int = Field(description="closed deals the rate counts")
    rate: Decimal | None = Field(description="won ÷ closed in percent; null when none closed")
    reference: Decimal
    gap: Decimal | None
    meets_reference: bool | None
    closed_all: int
    won_all: int
    won_amount: Decimal
    average_won_amount: Decimal | None
    average_cycle_days: Decimal | None
    presales_cost: Decimal


class SegmentReportOut(Schema):
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    team: int | None
    segments: list[SegmentOut]


def report_out(report: SegmentReport) -> dict[str, Any]:
    return {
        "date_from": report.date_from,
        "date_to": report.date_to,
        "team": report.team.pk if report.team else None,
        "segments": [
            {
                "segment": row.segment,
                "basis": str(row.basis),
                "won": row.rate.won,
                "closed": row.rate.closed,
                "rate": row.rate.rate,
                "reference": row.rate.reference,
                "gap": row.rate.gap,
                "meets_reference": row.rate.meets_reference,
                "closed_all": row.closed,
                "won_all": row.won,
                "won_amount": row.won_amount,
                "average_won_amount": row.average_won_amount,
                "average_cycle_days": row.average_cycle_days,
                "presales_cost": row.presales_cost,
            }
            for row in report.rows
        ],
    }


@router.get("/segments", response={200: SegmentReportOut, **ERRORS}, by_alias=True)
def segments(request: AuthedRequest, query: Query[SegmentQuery]) -> Any:
    user = request.auth
    if scope_for(user).is_partner:
        raise NotFound(_("Not found."))
    default_from, default_to = default_period()
    date_from = query.date_from or default_from
    date_to = query.date_to or default_to
    if date_from > date_to:
        raise ValidationFailed(
            _("The period starts after it ends."), [("from", _("must not be after “to”"))]
        )
    team = None if query.team is None else visible_ref(user, Team, query.team, "team")
    return report_out(segment_report(user=user, date_from=date_from, date_to=date_to, team=team))
