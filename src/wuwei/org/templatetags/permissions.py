"""`{% load permissions %}{% if user|may:"deal.write" %}…{% endif %}`: menus and buttons ask
the same policy the services enforce (org.permissions), so a shown button is never refused."""

from typing import Any

from django import template

from wuwei.org import permissions

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    return permissions.may(user, action)
