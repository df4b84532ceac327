"""Forecast panels for the home page: `{% load insights_forecast %}{% forecast_panel %}` (this
quarter's weighted, commit and best case against last week, for the signed-in user's deals —
a manager's team subtree) and `{% forecast_by_region %}` (executives: one row per region)."""

from typing import Any

from django import template

from wuwei.insights.forecast.selectors import forecast_by_region as regions_of
from wuwei.insights.forecast.selectors import team_forecast_summary

register = template.Library()


@register.inclusion_tag("insights/_forecast_panel.html", takes_context=True)
def forecast_panel(context: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"summary": team_forecast_summary(user)}


@register.inclusion_tag("insights/_forecast_by_region.html", takes_context=True)
def forecast_by_region(context: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"regions": regions_of(user) if user.sees_everything else []}
