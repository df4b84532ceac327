"""The page kit every app's pages share (below the domain apps): a keyset page from GET,
and page-or-fragment rendering."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wuwei.core.errors import ValidationFailed
from wuwei.core.pagination import Page, keyset_page

PAGE_SIZE = 25


def page_from_request(request: HttpRequest, queryset: QuerySet[Any], *, sort: str) -> Page[Any]:
    cursor = request.GET.get("cursor") or None
    try:
        return keyset_page(queryset, sort=sort, limit=PAGE_SIZE, cursor=cursor, with_count=True)
    except ValidationFailed:  # a mangled cursor in the URL: show the first page
        return keyset_page(queryset, sort=sort, limit=PAGE_SIZE, with_count=True)


def render_list(
    request: HttpRequest, page_template: str, table_template: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only the table when htmx asks for it (search, filters, next page)."""
    query = request.GET.copy()
    query.pop("cursor", None)
    context.setdefault("query_string", query.urlencode())
    template = table_template if getattr(request, "htmx", False) else page_template
    return render(request, template, context)
