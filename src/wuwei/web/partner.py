"""The partner portal's pages (METHOD.md §1: partners are outsiders to internal work).

A partner user gets the pages listed in PARTNER_PAGES and nothing else: every other page —
nine-box, support board and heat map, coaching, playbook, insights, presales, data import,
audit, the glossary of the method, the API documentation — answers 404, exactly as a page
that does not exist, rather than an empty page that would still show the method's shape.
Allow-listed, so a page added later stays closed to partners until someone decides it is
theirs. The API keeps its own rules (row visibility and `opportunities.partners`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from wuwei.core.visibility import scope_for
from wuwei.opportunities.models import PartnerRegistration
from wuwei.opportunities.selectors import registration_protection

HOME_ROWS = 10

# URL names (namespace:name) a partner user may open.
PARTNER_PAGES = frozenset(
    {
        "web:home",
        "web:login",
        "web:logout",
        "web:healthz",
        "set_language",
        # their registrations (报备) and the deals those became: partner fields only
        "opportunities:registrations",
        "opportunities:registration_create",
        "opportunities:registration",
        "opportunities:list",
        "opportunities:board",
        "opportunities:detail",
        "opportunities:edit",
        "opportunities:move",
        # their own messages and sign-in security
        "notifications:list",
        "notifications:preview",
        "notifications:read_all",
        "notifications:read",
        "notifications:open",
        "org:two_factor",
        "org:two_factor_verify",
    }
)
# URL namespaces with their own permission system (Django's admin: staff only) or the API's
# own partner rules; the API documentation pages are pages, and closed.
OWN_RULES = frozenset({"admin", "api"})
API_DOCS = frozenset({"api:openapi-view", "api:openapi-json"})


def partner_may_open(view_name: str) -> bool:
    if view_name in PARTNER_PAGES:
        return True
    namespace = view_name.split(":", 1)[0] if ":" in view_name else ""
    return namespace in OWN_RULES and view_name not in API_DOCS


class PartnerPagesMiddleware:
    """404 for a partner user on any page outside the partner portal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None:
            return None
        if scope_for(user).is_partner and not partner_may_open(match.view_name):
            raise Http404
        return None


@dataclass(frozen=True)
class ProtectionRow:
    registration: PartnerRegistration
    days_left: int


def partner_home(user: Any, today: date) -> dict[str, Any]:
    """The partner's home page: their protected registrations, the soonest to expire first,
    with the days left, and the way to register another deal."""
    registrations = registration_protection(user=user, today=today, limit=HOME_ROWS)
    return {
        "protection_rows": [
            ProtectionRow(registration, (registration.expires_on - today).days)
            for registration in registrations
        ],
        "protection_more": len(registrations) == HOME_ROWS,
    }
