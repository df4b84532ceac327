"""`{% export_menu %}`: the "Export" dropdown (CSV / Excel) of a list or report page.

Its links are the page's own URL with its current filters and `export=csv|xlsx` (the view
answers them through `core.exports.export_response`). Filters that htmx pushed into the
address bar are read again when a link is clicked (`data-export`, wired in `wuwei/app.js`)."""

from typing import Any

from django import template

from wuwei.core.exports import CSV, EXPORT_PARAMETER, XLSX

register = template.Library()


@register.inclusion_tag("core/_export_menu.html", takes_context=True)
def export_menu(context: Any, url: str = "", key: str = "") -> dict[str, Any]:
    request = context["request"]
    query = request.GET.copy()
    for name in ("cursor", EXPORT_PARAMETER):
        query.pop(name, None)
    base = url or request.path
    links = []
    for fmt in (CSV, XLSX):
        query[EXPORT_PARAMETER] = fmt
        links.append((fmt, f"{base}?{query.urlencode()}"))
    return {"links": links, "url": base, "key": key or "list"}
