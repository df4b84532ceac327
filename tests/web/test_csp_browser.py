"""The whole app under the Content-Security-Policy in real Chromium: a crawl of every page an
administrator can reach finds no CSP violation, console error or uncaught script error (htmx,
Bootstrap, ECharts, SortableJS all work without inline scripts), and the API documentation
renders offline from our own static files."""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.browser_guard import Guard, guard
from tests.web.test_hostile_content_browser import _hostile_world
from wuwei.org.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Links that change state or leave the HTML pages (the API JSON, the language switch, files
# to download: CSV/XLSX exports, templates, job results).
SKIP = re.compile(
    r"^/(logout|i18n/|api/v1/(?!docs$)|static/)|/(archive|restore|remove|delete)/"
    r"|\.(csv|xlsx|zip)(\?|$)|/file/$|/export/|[?&]export="
)
MAX_PAGES = 150


def _route(path: str) -> str:
    """One visit per route and query shape: /accounts/12/?tab=x → /accounts/N/?tab."""
    parts = urlsplit(path)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def _links(page: Any, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(path):
            found.append(path)
    return found


def _problems(traps: Guard) -> list[str]:
    problems = traps.dialogs + traps.errors + traps.violations() + traps.injected_requests
    traps.dialogs.clear()
    traps.errors.clear()
    traps.injected_requests.clear()
    return problems


def test_every_page_runs_under_the_csp(org, page, login, live_server):
    world = _hostile_world(org)
    User.objects.filter(pk=org.admin.pk).update(is_staff=True, is_superuser=True)  # Django admin
    traps = guard(page)
    login(org.admin)
    origin = live_server.url
    queue = [
        "/",
        "/admin/",
        "/admin/accounts/account/",
        f"/admin/accounts/account/{world.account.pk}/change/",
        "/api/v1/docs",
    ]
    seen: set[str] = set()
    failures: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        if _route(path) in seen:
            continue
        seen.add(_route(path))
        response = page.goto(origin + path)
        page.wait_for_load_state("networkidle")
        visited += 1
        assert response is not None and response.status < 500, path
        problems = _problems(traps)
        if problems:
            failures[path] = problems
        if not path.startswith(("/admin/", "/api/")):
            queue.extend(_links(page, origin))
    assert visited > 40  # the crawl really went through the app
    assert failures == {}


def test_api_docs_render_offline_from_our_static_files(org, page, login, live_server):
    # given: no network beyond the app (any other host is refused and recorded)
    outside: list[str] = []

    def only_the_app(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    traps = guard(page)
    login(org.rep)
    # when
    page.goto("/api/v1/docs")
    # then: Swagger UI lists the operations of the API, with nothing fetched from elsewhere
    page.wait_for_function(  # a 1.5 MB bundle and a large schema on a busy machine
        "() => document.querySelectorAll('.opblock').length > 50", timeout=60_000
    )
    assert page.locator(".opblock-summary-path", has_text="/api/v1/accounts").count() > 0
    assert outside == []
    assert _problems(traps) == []
