"""The forecast's running totals on PostgreSQL (issue #14 item 9): derived rows, never edited
by hand and never shown as such. What they hold and who keeps them: `forecast.cells`."""

from decimal import Decimal

from django.db import models


def _money() -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(max_digits=24, decimal_places=4, default=Decimal(0))


class ForecastCell(models.Model):
    """The grid's sums (`ForecastSums`, this week's and last week's) of the deals closing in
    one month, owned in one team (the deal's own `team_id`; 0: none) by one owner."""

    month = models.DateField()
    team_key = models.BigIntegerField()
    owner_key = models.BigIntegerField()
    now_deals = models.IntegerField(default=0)
    now_pipeline = _money()
    now_rate_amount = _money()
    now_commit = _money()
    now_commit_deals = models.IntegerField(default=0)
    now_best_case = _money()
    now_best_case_deals = models.IntegerField(default=0)
    now_unrated = _money()
    now_unrated_deals = models.IntegerField(default=0)
    before_deals = models.IntegerField(default=0)
    before_pipeline = _money()
    before_rate_amount = _money()
    before_commit = _money()
    before_commit_deals = models.IntegerField(default=0)
    before_best_case = _money()
    before_best_case_deals = models.IntegerField(default=0)
    before_unrated = _money()
    before_unrated_deals = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "team_key", "owner_key"], name="forecast_cell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.team_key} {self.owner_key}"


class ForecastCellBasis(models.Model):
    """What the cells were counted for (one row, or none: not counted). The cells serve a
    reader only while this matches its last week and the thresholds in force."""

    last_week = models.DateField()
    commit_min = models.PositiveSmallIntegerField()
    best_case_min = models.PositiveSmallIntegerField()
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.last_week} {self.commit_min}/{self.best_case_min}"
