"""Segment reports (METHOD.md §7.2): SMB conversion and KA success against their references,
cycle length, average won amount and presales cost, per segment, for a period and a team
subtree — over the deals the user can see. Two aggregate queries whatever the row count.

What counts (the product's reading of §7.2):
- a deal's segment is its account's segment (SMB or KA);
- "closed in the period": won or lost with `closed_on` inside [from, to]; the product has no
  separate "abandoned" state — a deal given up is closed as lost — and archived deals are left
  out (they were deleted by mistake, not lost);
- SMB conversion: deals "that came from leads" are those whose source is `lead` (visits, plan
  actions and partners are other ways in); won ÷ closed among them;
- KA success: won ÷ closed among grade A and B deals of KA accounts;
- cycle length (days from created to closed) and average won amount: over every closed deal
  of the segment in the period;
- presales cost: the net of the presales ledger (charges less reversals) posted in the period
  on the segment's deals.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.core.visibility import visible
from wuwei.methodology.segments import (
    KA_SUCCESS_REFERENCE,
    SMB_CONVERSION_REFERENCE,
    SegmentRate,
    segment_rate,
)
from wuwei.opportunities.models import Opportunity, Source, Stage
from wuwei.org.models import Segment, Team
from wuwei.org.visibility import in_subtree
from wuwei.support.models import LedgerEntry

CLOSED = (Stage.WON, Stage.LOST)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SegmentRow:
    segment: str
    label: Any
    basis: Any  # which deals the rate counts, in words
    rate: SegmentRate
    closed: int  # every closed deal of the segment
    won: int
    won_amount: Decimal
    average_won_amount: Decimal | None
    average_cycle_days: Decimal | None
    presales_cost: Decimal


@dataclass(frozen=True)
class SegmentReport:
    date_from: date
    date_to: date
    team: Team | None
    rows: list[SegmentRow]

    @property
    def is_empty(self) -> bool:
        return all(r.closed == 0 and r.presales_cost == 0 for r in self.rows)


def default_period(today: date | None = None) -> tuple[date, date]:
    """This calendar year up to today."""
    today = today or timezone.localdate()
    return date(today.year, 1, 1), today


def _deals(user: Any, team: Team | None) -> QuerySet[Opportunity]:
    deals = visible(Opportunity, user).filter(archived_at__isnull=True)
    return deals.filter(in_subtree(team.path)) if team is not None else deals


def _days(duration: Any) -> Decimal | None:
    if duration is None:
        return None
    seconds = Decimal(duration.total_seconds()) if hasattr(duration, "total_seconds") else None
    if seconds is None:  # a backend that returns microseconds
        seconds = Decimal(duration) / Decimal(1_000_000)
    return (seconds / Decimal(86_400)).quantize(Decimal("0.1"))


def segment_report(
    *, user: Any, date_from: date, date_to: date, team: Team | None = None
) -> SegmentReport:
    """The §7.2 numbers per segment (see the module docstring for what counts)."""
    deals = _deals(user, team)
    won = Q(stage=Stage.WON)
    lead = Q(source=Source.LEAD)
    big = Q(grade__in=["A", "B"])
    cycle = ExpressionWrapper(
        F("closed_on") - TruncDate("created_at"), output_field=DurationField()
    )
    closed = deals.filter(stage__in=CLOSED, closed_on__gte=date_from, closed_on__lte=date_to)
    rows = {
        r["account__segment"]: r
        for r in closed.values("account__segment")
        .annotate(
            closed=Count("id"),
            won=Count("id", filter=won),
            lead_closed=Count("id", filter=lead),
            lead_won=Count("id", filter=lead & won),
            big_closed=Count("id", filter=big),
            big_won=Count("id", filter=big & won),
            won_amount=Sum("amount", filter=won),
            average_won=Avg("amount", filter=won),
            average_cycle=Avg(cycle),
        )
        .order_by()
    }
    costs = dict(
        LedgerEntry.objects.filter(
            opportunity__in=deals.values("pk"),
            created_at__date__gte=date_from,
            created_at__date__lte=date_to,
        )
        .values_list("opportunity__account__segment")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    smb = rows.get(Segment.SMB, {})
    ka = rows.get(Segment.KA, {})
    return SegmentReport(
        date_from=date_from,
        date_to=date_to,
        team=team,
        rows=[
            _row(
                Segment.SMB,
                _("SMB deals from leads"),
                segment_rate(
                    won=smb.get("lead_won", 0),
                    closed=smb.get("lead_closed", 0),
                    reference=SMB_CONVERSION_REFERENCE,
                ),
                smb,
                costs.get(Segment.SMB),
            ),
            _row(
                Segment.KA,
                _("A/B deals of key accounts"),
                segment_rate(
                    won=ka.get("big_won", 0),
                    closed=ka.get("big_closed", 0),
                    reference=KA_SUCCESS_REFERENCE,
                ),
                ka,
                costs.get(Segment.KA),
            ),
        ],
    )


def _row(
    segment: Segment, basis: Any, rate: SegmentRate, row: dict[str, Any], cost: Any
) -> SegmentRow:
    average = row.get("average_won")
    return SegmentRow(
        segment=str(segment),
        label=segment.label,
        basis=basis,
        rate=rate,
        closed=row.get("closed", 0),
        won=row.get("won", 0),
        won_amount=Decimal(row.get("won_amount") or 0).quantize(CENT),
        average_won_amount=None if average is None else Decimal(average).quantize(CENT),
        average_cycle_days=_days(row.get("average_cycle")),
        presales_cost=Decimal(cost or 0).quantize(CENT),
    )
