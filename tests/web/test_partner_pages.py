"""Partners are outsiders to internal work (METHOD.md §1): a partner user's navigation holds
only the partner portal, and every other page answers 404 — not an empty page — so nothing
of the method (nine-box, heat map, coaching, playbook, insights, presales, import, audit…)
shows. Walks every page of the URL configuration the way tests/test_matrix.py does."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.factories import make_account
from tests.opportunities.factories import products
from tests.test_matrix import EXEMPT_PAGE_PREFIXES, _fill, _pages
from tests.world import build_world
from wuwei.opportunities.registrations import registration_convert, registration_create
from wuwei.web.partner import PARTNER_PAGES, partner_may_open

# The internal method, page by page: a partner gets 404; staff (an administrator) do not.
INTERNAL_PAGES = [
    "/accounts/",
    "/accounts/ninebox/",
    "/accounts/conflicts/",
    "/accounts/tactics/",
    "/support/",  # the delivery-centre board and its load heat map
    "/support/performance/",
    "/coaching/",
    "/coaching/actions/",
    "/playbook/",
    "/playbook/rules/",
    "/playbook/lessons/",
    "/playbook/buying-processes/",
    "/risks/",
    "/insights/segments/",
    "/competitors/",
    "/opportunities/competitive-tactics/",
    "/opportunities/process/",
    "/opportunities/new/",
    "/contacts/",
    "/connections/",
    "/connections/activities/",
    "/data/",
    "/org/audit/",
    "/org/handover/",
    "/help/glossary/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
]


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", INTERNAL_PAGES)
def test_internal_pages_answer_404_to_a_partner(org, path):
    assert _client(org.partner).get(path).status_code == 404
    assert _client(org.admin).get(path).status_code != 404


def test_every_page_outside_the_portal_answers_404_to_a_partner(org):
    world = build_world(org)
    client = _client(org.partner)
    problems, opened = [], 0
    for route, _params in _pages():
        if route.startswith(EXEMPT_PAGE_PREFIXES) or "(?P" in route:
            continue
        target = "/" + _fill(route, world.ids)
        view_name = resolve(target).view_name
        if view_name in PARTNER_PAGES:
            continue
        opened += 1
        status = client.get(target).status_code
        if status != 404:
            problems.append(f"{route} ({view_name}): {status}")
    assert problems == []
    assert opened > 100  # the walk really covered the internal pages


def test_the_portal_pages_all_exist():
    """Every allow-listed name is a real page (a renamed page would silently drop out)."""
    from django.urls import reverse

    for name in PARTNER_PAGES:
        if name in {"web:logout"}:
            continue
        kwargs = {
            "opportunities:registration": {"registration_id": 1},
            "opportunities:detail": {"opportunity_id": 1},
            "opportunities:edit": {"opportunity_id": 1},
            "opportunities:move": {"opportunity_id": 1},
            "notifications:read": {"notification_id": 1},
            "notifications:open": {"notification_id": 1},
        }.get(name, {})
        assert resolve(reverse(name, kwargs=kwargs)).view_name == name


def _nav_areas(html: str) -> list[str]:
    navbar = html.split('id="ww-nav"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'data-area="([\w-]+)"', navbar)


def test_partner_navigation_shows_only_partner_entries(org):
    page = _client(org.partner).get("/").content.decode()
    assert _nav_areas(page) == ["registrations", "opportunities"]
    for internal in ('id="nav-help"', 'id="my-coaching-actions"', 'id="data-import-export"'):
        assert internal not in page
    assert "/api/v1/docs" not in page
    staff = _client(org.rep).get("/").content.decode()
    assert _nav_areas(staff)[:2] == ["accounts", "opportunities"]
    assert 'id="nav-help"' in staff and 'id="data-import-export"' in staff


@pytest.fixture
def partner_world(org):
    """A partner's registration and the deal it became, plus one still protected."""
    customer = make_account(org.rep, name="宁波港集团", registration_number="91330200MA0001")
    other = make_account(org.rep, name="杭州地铁集团", registration_number="91330100MA0002")
    converted = registration_create(user=org.partner, account=customer, products=products("cloud"))
    deal = registration_convert(
        user=org.partner, registration=converted, name="港口云平台", amount=800_000
    )
    protected = registration_create(user=org.partner, account=other, products=products("data"))
    return {"deal": deal, "registration": protected, "converted": converted}


def test_no_link_on_a_partner_page_leads_outside_the_portal(org, partner_world):
    client = _client(org.partner)
    deal, registration = partner_world["deal"], partner_world["registration"]
    pages = [
        "/",
        "/opportunities/registrations/",
        "/opportunities/registrations/new/",
        f"/opportunities/registrations/{registration.pk}/",
        f"/opportunities/registrations/{partner_world['converted'].pk}/",
        "/opportunities/",
        "/opportunities/board/",
        f"/opportunities/{deal.pk}/",
        f"/opportunities/{deal.pk}/edit/",
        "/notifications/",
        "/org/two-factor/",
    ]
    problems = []
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        targets = re.findall(r'(?:href|hx-get|hx-post|action)="(/[^"#?]*)', html)
        for target in targets:
            if target.startswith(("/static/", "/i18n/")):
                continue
            try:
                name = resolve(target).view_name
            except Resolver404:
                problems.append(f"{path}: {target} does not resolve")
                continue
            if not partner_may_open(name):
                problems.append(f"{path}: links to {target} ({name})")
    assert problems == []
    converted = client.get(f"/opportunities/registrations/{partner_world['converted'].pk}/")
    assert f'href="/opportunities/{deal.pk}/"' in converted.content.decode()
