"""GET /reports/segments?from=&to=&team= (METHOD.md §7.2): SMB conversion and KA success
against their references, cycle length, average won amount and presales cost per segment, over
the deals the caller can see. Partners get 404."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from wuwei.core.api import ERRORS, AuthedRequest, Schema, visible_ref
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.visibility import scope_for
from wuwei.insights.pipeline import PipelineReport, pipeline_report
from wuwei.insights.selectors import SegmentReport, default_period, segment_report
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


# --- GET /reports/pipeline: pipeline analytics (METHOD.md §8) -------------------------------


class PipelineQuery(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    team: int | None = None


class PipelineGradeOut(Schema):
    grade: str
    deals: int
    amount: Decimal


class PipelineStageOut(Schema):
    stage: str
    deals: int
    amount: Decimal
    grades: list[PipelineGradeOut]


class PipelineFlowOut(Schema):
    stage: str
    entered: int = Field(description="deals that entered the stage in the period")
    advanced: int = Field(description="of those, deals that reached a later stage or won")
    conversion: Decimal | None
    average_days: Decimal | None = Field(description="average stay over the stays that ended")


class PipelineBandOut(Schema):
    low: int | None = Field(description="lower edge of the band; null for unrated deals")
    deals: int
    amount: Decimal


class PipelineCompetitorOut(Schema):
    competitor: int
    name: str
    won: int
    lost: int
    lost_to: int = Field(description="lost deals this competitor won")
    won_amount: Decimal
    lost_amount: Decimal


class PipelineSlippedOut(Schema):
    id: int
    name: str
    amount: Decimal
    expected_close: date | None
    first_close: date | None
    is_overdue: bool


class PipelineCurvePointOut(Schema):
    week: date
    win_rate: Decimal


class PipelineCurveOut(Schema):
    user: int | None = Field(description="null: the average over the whole team")
    name: str
    points: list[PipelineCurvePointOut]


class PipelineReportOut(Schema):
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    team: int | None
    funnel: list[PipelineStageOut]
    flow: list[PipelineFlowOut]
    win_rates: list[PipelineBandOut]
    competitors: list[PipelineCompetitorOut]
    slipped: list[PipelineSlippedOut]
    slipped_count: int
    slipped_amount: Decimal
    curves: list[PipelineCurveOut]


def pipeline_out(report: PipelineReport) -> dict[str, Any]:
    return {
        "date_from": report.date_from,
        "date_to": report.date_to,
        "team": report.team.pk if report.team else None,
        "funnel": [
            {
                "stage": row.stage,
                "deals": row.deals,
                "amount": row.amount,
                "grades": [
                    {"grade": g, "deals": cell[0], "amount": cell[1]}
                    for g, cell in row.by_grade.items()
                ],
            }
            for row in report.funnel
        ],
        "flow": [
            {
                "stage": f.stage,
                "entered": f.entered,
                "advanced": f.advanced,
                "conversion": f.conversion,
                "average_days": f.average_days,
            }
            for f in report.flow
        ],
        "win_rates": [{"low": b.low, "deals": b.deals, "amount": b.amount} for b in report.bands],
        "competitors": [
            {
                "competitor": c.competitor_id,
                "name": c.name,
                "won": c.won,
                "lost": c.lost,
                "lost_to": c.lost_to,
                "won_amount": c.won_amount,
                "lost_amount": c.lost_amount,
            }
            for c in report.competitors
        ],
        "slipped": [
            {
                "id": s.opportunity_id,
                "name": s.name,
                "amount": s.amount,
                "expected_close": s.expected_close,
                "first_close": s.first_close,
                "is_overdue": s.is_overdue,
            }
            for s in report.slipped
        ],
        "slipped_count": report.slipped_count,
        "slipped_amount": report.slipped_amount,
        "curves": [
            {
                "user": c.user_id,
                "name": c.name or _("Team average"),
                "points": [{"week": w, "win_rate": v} for w, v in sorted(c.points.items())],
            }
            for c in report.curves
        ],
    }


@router.get("/pipeline", response={200: PipelineReportOut, **ERRORS}, by_alias=True)
def pipeline(request: AuthedRequest, query: Query[PipelineQuery]) -> Any:
    """Funnel, stage conversion and time in stage, win-rate distribution, competitors, slipped
    close dates and the team's win-rate curves over the deals you can see."""
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
    return pipeline_out(pipeline_report(user=user, date_from=date_from, date_to=date_to, team=team))
