"""Forecast panels for the home page: `{% load insights_forecast %}{% forecast_panel %}` (this
quarter's weighted, commit and best case against last week, for the signed-in user's deals —
a manager's team subtree) and `{% forecast_by_region %}` (executives: one row per region);
and the forecast's cells: `{{ value|whole }}` (a whole amount, thousands grouped) and
`{% change value %}` (a change since last week, signed and coloured), rendered in Python —
the grid has hundreds of them."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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


@register.filter
def whole(value: Decimal | int | None) -> str:
    """`value|floatformat:0|intcomma` in one step: rounded half up (as floatformat), then
    grouped in the language's format (as intcomma), with one `number_format` instead of two
    and no round trip through a string; "" for None."""
    if value is None:
        return ""
    rounded = int(Decimal(str(value)).to_integral_value(ROUND_HALF_UP))
    return number_format(rounded, force_grouping=True)


@register.simple_tag
def change(value: Decimal | None) -> SafeString:
    """A change since last week: "+1,200" in green, "-800" in red, "0", or a dash when last
    week had no snapshot."""
    if value is None:
        return mark_safe('<span class="text-secondary">—</span>')
    if value > 0:
        return format_html('<span class="text-success">+{}</span>', whole(value))
    if value < 0:
        return format_html('<span class="text-danger">{}</span>', whole(value))
    return mark_safe('<span class="text-secondary">0</span>')
