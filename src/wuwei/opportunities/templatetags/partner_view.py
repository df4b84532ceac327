"""`{{ request.user|is_partner }}`: templates leave internal fields out for partner users
(the decision is `opportunities.partners.is_partner`)."""

from typing import Any

from django import template

from wuwei.opportunities import partners

register = template.Library()


@register.filter
def is_partner(user: Any) -> bool:
    return partners.is_partner(user)
