"""Insights records: the manager's forecast adjustments (METHOD.md §8) here; the scorecard's
contracts, payments and deal uses live with the scorecard, the forecast's running totals
with the forecast (re-exported for Django)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel
from wuwei.insights.forecast.models import ForecastCell, ForecastCellBasis
from wuwei.insights.scorecard.models import Contract, DealUse, Payment
from wuwei.org.models import Team


class ForecastAdjustment(BaseModel):
    """A manager's own figures for one team and one month or quarter, with the comment that
    explains them. They are kept *beside* the computed forecast, never instead of it: pages and
    the API show both. Versioned and audited like every record (BaseModel's history)."""

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="forecast_adjustments",
    )
    period = models.CharField(_("period"), max_length=7)  # 2027-Q1 or 2027-03
    weighted = models.DecimalField(
        _("weighted forecast"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    commit = models.DecimalField(
        _("commit"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    best_case = models.DecimalField(
        _("best case"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), max_length=2000)

    class Meta:
        verbose_name = _("forecast adjustment")
        verbose_name_plural = _("forecast adjustments")
        ordering = ["period", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "period"],
                condition=Q(archived_at__isnull=True),
                name="forecast_adjustment_one_per_team_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period}"


__all__ = [
    "Contract",
    "DealUse",
    "ForecastAdjustment",
    "ForecastCell",
    "ForecastCellBasis",
    "Payment",
]
