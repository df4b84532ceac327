"""Shared fixtures: a small organisation with every kind of viewer the visibility rules know."""

import contextlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_team, make_user
from wuwei.org import tokens
from wuwei.org.models import Role, Segment, Team, TeamKind, User
from wuwei.org.tokens import token_create


@dataclass
class Org:
    company: Team
    east: Team
    east_ka: Team
    north_ka: Team
    partner_team: Team
    rep: User  # owns records in east_ka
    peer_rep: User  # same team, owns nothing of rep's
    manager: User  # manages east_ka
    manager_above: User  # manages the east region (above east_ka)
    other_manager: User  # manages north_ka (another subtree)
    executive: User
    admin: User
    partner: User
    presales: User


@pytest.fixture
def org(db: Any) -> Org:
    return build_org()


def build_org() -> Org:
    """The organisation of the `org` fixture, for fixtures of a wider scope."""
    company = make_team("Company", kind=TeamKind.COMPANY)
    east = make_team("East", kind=TeamKind.REGION, parent=company)
    east_ka = make_team("East KA", parent=east, segment=Segment.KA)
    north_ka = make_team("North KA", parent=company, segment=Segment.KA)
    partner_team = make_team("Partner Co", kind=TeamKind.PARTNER, parent=company)
    return Org(
        company=company,
        east=east,
        east_ka=east_ka,
        north_ka=north_ka,
        partner_team=partner_team,
        rep=make_user("rep", team=east_ka),
        peer_rep=make_user("peer", team=east_ka),
        manager=make_user("manager", roles=[Role.MANAGER], team=east_ka),
        manager_above=make_user("boss", roles=[Role.MANAGER], team=east),
        other_manager=make_user("north_mgr", roles=[Role.MANAGER], team=north_ka),
        executive=make_user("exec", roles=[Role.EXECUTIVE], team=company),
        admin=make_user("admin", roles=[Role.ADMIN], team=company),
        partner=make_user("partner", roles=[Role.PARTNER_USER], team=partner_team),
        presales=make_user("presales", roles=[Role.PRESALES], team=company),
    )


class ApiClient:
    """A JSON client that authenticates with a real personal access token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        # Error details are translated; tests read the English ones unless they ask otherwise.
        self.headers: dict[str, str] = {"Accept-Language": "en"}
        if user is not None:
            _token, raw = token_create(user=user)
            self.headers["Authorization"] = f"Bearer {raw}"

    def _call(self, method: str, path: str, data: Any = None, **headers: str) -> Any:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if data is not None:
            if method == "get":
                kwargs["data"] = data
            else:
                kwargs["data"] = data
                kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("get", path, data, **headers)

    def post(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("post", path, data if data is not None else {}, **headers)

    def patch(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("patch", path, data if data is not None else {}, **headers)

    def put(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("put", path, data if data is not None else {}, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self._call("delete", path, None, **headers)


@pytest.fixture
def api() -> Any:
    """`api(user)` → an ApiClient for that user; `api(None)` is anonymous."""
    return ApiClient


@pytest.fixture
def web(client: Client) -> Any:
    """`web(user)` → a Django test client logged in as that user."""

    def login(user: User) -> Client:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        client.force_login(user)
        return client

    return login


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    """Debian Chromium driven by Playwright. Missing browser: skip, except under CI=true."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        message = f"Debian chromium not found at {CHROMIUM}: browser tests cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop; Django's ORM calls from test code are safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    """A fresh 1366×768 page; `page.base_url` is the live server."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server.url, locale="zh-CN"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    # Let requests the page started (htmx lazy tabs) finish before the live server's database
    # is flushed: on PostgreSQL a TRUNCATE waiting behind them deadlocks. Bounded, and a page
    # that never goes idle is closed all the same.
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


@pytest.fixture
def login(page: Any) -> Any:
    """`login(user)` signs in through the real login form and returns the page."""

    def sign_in(user: User, password: str = "correct-horse-battery-staple") -> Any:
        page.goto("/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("#login-submit")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return sign_in


@pytest.fixture(autouse=True)
def browser_database(request: Any) -> None:
    """A browser test runs against a live server, so on a transactional database (emptied after
    the test; `pytest_runtest_teardown` below puts the migrations' seeds back)."""
    if request.node.get_closest_marker("browser") is not None:
        request.getfixturevalue("transactional_db")


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache (rate-limit windows, cached tokens, the method
    configuration where it is cached): a rolled-back test leaves no cached rows behind, and
    query counts do not depend on test order."""
    from django.core.cache import cache

    from wuwei.core import config

    cache.clear()
    config._changing.flag = False


@pytest.fixture(autouse=True)
def steady_token_use(monkeypatch: Any) -> None:
    """A token's use is stamped at most once a minute; on a slow machine that minute can end
    inside a counted request. Tests stamp it on first use only, so query counts never depend
    on the clock (a test of the interval sets `TOUCH_SECONDS` itself)."""
    monkeypatch.setattr(tokens, "TOUCH_SECONDS", 10**6)


def _flushes(item: Any) -> bool:
    """The test ran on a transactional database, which pytest-django empties after it."""
    names = set(item.fixturenames)
    return bool(
        names & {"transactional_db", "live_server"}
        or item.get_closest_marker("browser")
        or any(m.kwargs.get("transaction") for m in item.iter_markers("django_db"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Any:
    """A test on a transactional database ends with every table emptied, the migrations' seeds
    included. Run serially, pytest-django puts such tests last; with a worker per core
    (pytest-xdist, a file at a time) others follow on the same worker, so the seeds are put
    back, as a fresh test database has them."""
    result = yield
    if _flushes(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        from wuwei.core import schema

        with item.config.stash[blocking_manager_key].unblock():
            schema.seed()
    return result
