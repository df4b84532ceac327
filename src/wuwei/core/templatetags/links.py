"""`{{ value|web_href }}`: the http(s) URL to link a stored web address to, or "" (no link)."""

from django import template

from wuwei.core.links import web_href as _web_href

register = template.Library()


@register.filter
def web_href(value: str | None) -> str:
    return _web_href(value)
