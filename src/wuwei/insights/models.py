"""Insights' records live with the feature that owns them."""

from wuwei.insights.scorecard.models import Contract, DealUse, Payment

__all__ = ["Contract", "DealUse", "Payment"]
