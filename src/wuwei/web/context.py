"""Navigation for the five dimensions (道术本势律) and Insights, on every page."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wuwei.org.models import Role

# (key, label, dimension character, icon, url name); a url that does not exist yet is shown
# disabled, so the layout stays stable while areas are added. An area listed in AREA_ROLES
# shows only to users with one of those roles.
AREAS = [
    ("accounts", _("Accounts"), _("道"), "bi-buildings", "accounts:list"),
    ("opportunities", _("Opportunities"), _("术"), "bi-bullseye", "opportunities:list"),
    ("connections", _("Connections"), _("本"), "bi-diagram-3", "people:list"),
    ("support", _("Support"), _("势"), "bi-people", "support:board"),
    ("coaching", _("Coaching"), "", "bi-person-check", "coaching:queue"),
    ("playbook", _("Playbook"), _("律"), "bi-journal-check", "web:playbook"),
    ("insights", _("Insights"), "", "bi-graph-up", "web:home"),
]

AREA_ROLES = {"coaching": frozenset({Role.MANAGER, Role.EXECUTIVE, Role.ADMIN})}


def _shown(key: str, user: Any) -> bool:
    roles = AREA_ROLES.get(key)
    return roles is None or user.is_superuser or bool(user.role_slugs & roles)


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.resolver_match.namespace if request.resolver_match else ""
    items = []
    for key, label, mark, icon, url_name in AREAS:
        if not _shown(key, request.user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = ""
        namespace = url_name.split(":")[0]
        active = namespace == current and (namespace != "web" or url == request.path)
        active = active or (key == "insights" and current == "insights")
        items.append(
            {"key": key, "label": label, "mark": mark, "icon": icon, "url": url, "active": active}
        )
    return {"nav_items": items}
