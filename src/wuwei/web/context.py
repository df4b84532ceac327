"""Navigation for the five dimensions (道术本势律) and Insights, on every page."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wuwei.core.visibility import scope_for
from wuwei.org.permissions import Action, may

# (key, label, dimension character, icon, url name); a url that does not exist yet is shown
# disabled, so the layout stays stable while areas are added. An area listed in AREA_ACTIONS
# shows only to users who may do that action (org.permissions).
AREAS = [
    ("accounts", _("Accounts"), _("道"), "bi-buildings", "accounts:list"),
    ("opportunities", _("Opportunities"), _("术"), "bi-bullseye", "opportunities:list"),
    ("connections", _("Connections"), _("本"), "bi-diagram-3", "people:list"),
    ("support", _("Support"), _("势"), "bi-people", "support:board"),
    ("coaching", _("Coaching"), "", "bi-person-check", "coaching:queue"),
    ("playbook", _("Playbook"), _("律"), "bi-journal-check", "web:playbook"),
    ("insights", _("Insights"), "", "bi-graph-up", "web:home"),
]

AREA_ACTIONS = {"coaching": Action.COACHING_AREA}

# A partner user's navigation: their registrations and the deals those became, nothing of
# the internal method (web.partner closes every other page to them).
PARTNER_AREAS = [
    ("registrations", _("Registrations"), "", "bi-shield-check", "opportunities:registrations"),
    ("opportunities", _("Opportunities"), "", "bi-bullseye", "opportunities:list"),
]


def _shown(key: str, user: Any) -> bool:
    action = AREA_ACTIONS.get(key)
    return action is None or may(user, action)


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.resolver_match.namespace if request.resolver_match else ""
    is_partner = scope_for(request.user).is_partner
    items = []
    for key, label, mark, icon, url_name in PARTNER_AREAS if is_partner else AREAS:
        if not is_partner and not _shown(key, request.user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = ""
        namespace = url_name.split(":")[0]
        active = namespace == current and (namespace != "web" or url == request.path)
        active = active or (key == "insights" and current == "insights")
        if is_partner:  # two entries in one namespace: the registrations pages are theirs
            on_registrations = request.resolver_match is not None and (
                request.resolver_match.url_name or ""
            ).startswith("registration")
            active = namespace == current and on_registrations == (key == "registrations")
        items.append(
            {"key": key, "label": label, "mark": mark, "icon": icon, "url": url, "active": active}
        )
    return {"nav_items": items, "nav_is_partner": is_partner}
