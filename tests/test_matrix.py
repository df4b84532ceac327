"""The visibility and permission matrix (METHOD.md §1, API.md "Errors"), GENERATED from the
OpenAPI document and the URL configuration, so a new endpoint or page cannot ship uncovered:
`test_every_operation_and_page_is_covered` fails on any whose path parameters the matrix
cannot resolve and that is not listed as public or exempt.

Roles: anonymous, an outsider rep (another team), a partner user, a presales user who owns a
stage of the deal (a grant), the owner, the manager above and an executive. The records are one
of every kind owned by the rep (tests/world.py), all named with MARKER.

- anonymous: 401 on every API operation, a login redirect on every page;
- outsider and partner: a hidden record answers exactly like an absent one (same status, same
  body: no existence oracle) and never 2xx; no list, search or chart response and no page
  contains MARKER; their writes change nothing;
- owner, manager above, executive and the presales grantee: every read of the record is
  answered (not 404).
"""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_user
from tests.world import MARKER, World, build_world
from wuwei.accounts.models import Account, AccountPlan
from wuwei.api import api as ninja_api
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import TeamKind
from wuwei.people.models import Activity, Contact
from wuwei.support.services import stage_owner_reassign

ABSENT = 2_000_000_000

#: Operations anyone may call.
PUBLIC_OPERATIONS = {("POST", "/api/v1/auth/token")}
#: Pages anyone may open, and URL trees with their own permission system.
PUBLIC_PAGES = {"", "login/", "logout/", "healthz", "i18n/setlang/"}
EXEMPT_PAGE_PREFIXES = ("admin/",)  # Django admin: staff only, Django's own permission checks

#: Path parameters naming records of the rep's world that outsiders must not see.
HIDDEN = {
    "account_id",
    "contact_id",
    "target_id",
    "opportunity_id",
    "plan_id",
    "action_id",
    "visit_id",
    "activity_id",
    "event_id",
    "questionnaire_id",
    "participant_id",
    "influence_id",
    "connection_id",
    "review_id",
    "notification_id",
}
#: Parameters of shared or organisation records (visible inside the company), or records
#: the world does not build (presales pool and requests, registrations, conflicts, tokens,
#: ledger entries, library tactics): the matrix still checks anonymous access and that the
#: answer for an absent id is a JSON 4xx; their row-level rules have their own tests
#: (tests/support/test_api.py, tests/opportunities/test_registrations.py,
#: tests/accounts/test_conflicts.py, tests/org/test_auth.py).
SHARED_OR_ELSEWHERE = {
    "user_id",
    "team_id",
    "competitor_id",
    "tactic_id",
    "request_id",
    "resource_id",
    "assignment_id",
    "registration_id",
    "conflict_id",
    "token_id",
    "entry_id",
    "tab",
    # organisation-wide PRM configuration: buying-process templates and risk rules
    # (tests/playbook/test_buying.py, test_risks_api.py, test_pages.py)
    "template_id",
    "step_id",
    "role_id",
    "rule_id",
    # a deal's role → contact mapping (tests/playbook/test_buying.py)
    "mapping_id",
    # a user's own job and import runs (tests/core/test_job_pages.py, tests/dataio/test_pages.py)
    "run_id",
    # a manager's forecast adjustment of a team (tests/insights/test_forecast_api.py)
    "adjustment_id",
    # the import template download: a kind and a format, no record
    "kind",
    "fmt",
    # a home panel's own page and the home page's forecast blocks ("team", "regions"): the
    # user's own rows through visibility (tests/web/test_home.py)
    "panel",
    "part",
    # a competitor's analysis entries, key events and prices edited in pages
    # (tests/opportunities/test_competitor_intel_pages.py)
    "insight_id",
    "competitor_event_id",
    "price_id",
}
#: Paths where a parameter names a shared library record, not the world's one.
LIBRARY_PATHS = ("/tactics/", "/competitive-tactics/", "accounts/tactics/")
#: (role, path pattern) reads that are rightly refused although the role sees the record.
NOT_FOR_ROLE = {
    # a notification belongs to its recipient only
    ("manager_above", "/notifications/{notification_id}"),
    ("executive", "/notifications/{notification_id}"),
    ("presales", "/notifications/{notification_id}"),
    # a lesson exists once the deal is closed; the world's deal is open (tests/playbook covers it)
    ("owner", "/opportunities/{opportunity_id}/lesson"),
    ("manager_above", "/opportunities/{opportunity_id}/lesson"),
    ("executive", "/opportunities/{opportunity_id}/lesson"),
    ("presales", "/opportunities/{opportunity_id}/lesson"),
}


def _operations() -> list[tuple[str, str, list[str]]]:
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            found.append((method.upper(), path, params))
    return found


def _pages() -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not route.startswith("api/"):
                found.append((route, re.findall(r"<(?:\w+:)?(\w+)>", route)))

    walk(get_resolver().url_patterns, "")
    return found


def _is_covered(params: list[str]) -> bool:
    return all(p in HIDDEN or p in SHARED_OR_ELSEWHERE for p in params)


def test_every_operation_and_page_is_covered():
    """A new operation or page whose parameters the matrix does not know fails here: add the
    record to tests/world.py and the parameter to HIDDEN (or, for shared data, to
    SHARED_OR_ELSEWHERE with the test that covers it)."""
    operations = _operations()
    pages = [
        (route, params)
        for route, params in _pages()
        if route not in PUBLIC_PAGES and not route.startswith(EXEMPT_PAGE_PREFIXES)
    ]
    uncovered = [f"{m} {p}" for m, p, params in operations if not _is_covered(params)]
    uncovered += [f"page {r}" for r, params in pages if not _is_covered(params)]
    assert uncovered == []
    assert len(operations) >= 170 and len(pages) >= 100


def _fill(path: str, ids: dict[str, int], absent: bool = False) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "tab":
            return "overview"
        if absent and name in HIDDEN:
            return str(ABSENT)
        return str(ids.get(name, ABSENT))

    path = re.sub(r"\{(\w+)\}", value, path)
    return re.sub(r"<(?:\w+:)?(\w+)>", value, path)


def _hides(path: str, params: list[str]) -> bool:
    """The operation addresses a world record an outsider must not see."""
    if any(marker in path for marker in LIBRARY_PATHS) and params == ["tactic_id"]:
        return False
    return any(p in HIDDEN for p in params)


class Matrix:
    def __init__(self, org: Any) -> None:
        self.org = org
        outsider_team = org.north_ka
        self.users = {
            "outsider": make_user("outsider_rep", team=outsider_team),
            "partner": org.partner,
            "presales": org.presales,
            "owner": org.rep,
            "manager_above": org.manager_above,
            "executive": org.executive,
        }
        self.world: World = build_world(org)
        deal = self.world.objects["deal"]
        stage_owner_reassign(
            user=org.rep, opportunity=deal, stage=deal.stage, owner=org.presales, reason="demo"
        )
        self.clients: dict[str, Client] = {}
        for role, user in self.users.items():
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            client.force_login(user)
            self.clients[role] = client
        self.clients["anonymous"] = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.checked = 0

    def call(self, role: str, method: str, path: str) -> Any:
        self.checked += 1
        client = self.clients[role]
        if method == "GET":
            return client.get(path)
        # Session writes need CSRF; the test client skips the check (enforce_csrf_checks off).
        return client.generic(method, path, "{}", content_type="application/json")

    def snapshot(self) -> list[Any]:
        return [
            list(Account.objects.order_by("pk").values_list("pk", "version", "archived_at")),
            list(Opportunity.objects.order_by("pk").values_list("pk", "version", "owner_id")),
            list(Contact.objects.order_by("pk").values_list("pk", "version", "archived_at")),
            list(AccountPlan.objects.order_by("pk").values_list("pk", "version")),
            list(Activity.objects.order_by("pk").values_list("pk", "version", "archived_at")),
        ]


def _normal(page: bytes) -> bytes:
    """A page without its per-response CSRF token."""
    return re.sub(
        rb'(csrfmiddlewaretoken" value="|csrf-token" content="|CSRFToken": ")[^"]+', rb"\1", page
    )


def _body(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return response.content


@pytest.fixture
def matrix(org):
    return Matrix(org)


def test_api_matrix(matrix):
    ids = matrix.world.ids
    before = matrix.snapshot()
    problems: list[str] = []
    for method, path, params in _operations():
        target = _fill(path, ids)
        # anonymous: 401 everywhere but the public operations
        anonymous = matrix.call("anonymous", method, target)
        if (method, path) not in PUBLIC_OPERATIONS and anonymous.status_code != 401:
            problems.append(f"anonymous {method} {path}: {anonymous.status_code}")
        for role in ("outsider", "partner"):
            response = matrix.call(role, method, target)
            if response.status_code >= 500:
                problems.append(f"{role} {method} {path}: {response.status_code}")
            if _hides(path, params):
                absent = matrix.call(role, method, _fill(path, ids, absent=True))
                if response.status_code < 400:
                    problems.append(f"{role} {method} {path}: {response.status_code} on hidden")
                if (response.status_code, _body(response)) != (
                    absent.status_code,
                    _body(absent),
                ):
                    problems.append(
                        f"{role} {method} {path}: hidden {response.status_code} "
                        f"≠ absent {absent.status_code} (existence oracle)"
                    )
            elif method == "GET" and MARKER.encode() in response.content:
                problems.append(f"{role} GET {path}: lists or charts the hidden records")
        if method == "GET" and _hides(path, params) and not path.startswith("/api/v1/users"):
            for role in ("owner", "manager_above", "executive", "presales"):
                if (role, path.removeprefix("/api/v1")) in NOT_FOR_ROLE:
                    continue
                response = matrix.call(role, method, target)
                if response.status_code in (404, 401) or response.status_code >= 500:
                    problems.append(f"{role} GET {path}: {response.status_code}")
    assert matrix.snapshot() == before, "an outsider's write changed a record"
    assert problems == [], "\n".join(problems)
    assert matrix.checked > 800


@pytest.mark.parametrize("q", [MARKER, MARKER.lower(), "Zq7"])
def test_search_finds_nothing_hidden(matrix, q):
    for role in ("outsider", "partner"):
        for path in ("/api/v1/accounts", "/api/v1/contacts", "/api/v1/opportunities"):
            response = matrix.call(role, "GET", f"{path}?q={q}")
            assert response.status_code == 200 and response.json()["items"] == [], (role, path)
    for path in ("/api/v1/accounts", "/api/v1/contacts", "/api/v1/opportunities"):
        assert matrix.call("owner", "GET", f"{path}?q={q}").json()["items"], path


def test_page_matrix(matrix):
    ids = matrix.world.ids
    problems: list[str] = []
    for route, params in _pages():
        if route in PUBLIC_PAGES or route.startswith(EXEMPT_PAGE_PREFIXES) or "(?P" in route:
            continue
        target = "/" + _fill(route, ids)
        anonymous = matrix.call("anonymous", "GET", target)
        if anonymous.status_code not in (302, 405) or (
            anonymous.status_code == 302 and "/login/" not in anonymous["Location"]
        ):
            problems.append(f"anonymous {route}: {anonymous.status_code}")
        for role in ("outsider", "partner"):
            response = matrix.call(role, "GET", target)
            if response.status_code >= 500:
                problems.append(f"{role} {route}: {response.status_code}")
            if MARKER.encode() in response.content:
                problems.append(f"{role} {route}: shows a hidden record")
            if _hides(route, params):
                absent_path = "/" + _fill(route, ids, absent=True)
                absent = matrix.call(role, "GET", absent_path)
                if response.status_code in (200, 201):
                    problems.append(f"{role} {route}: {response.status_code} on hidden")
                # The error page may name the path asked for; apart from it, the same page.
                hidden_page = _normal(response.content.replace(target.encode(), b"PATH"))
                absent_page = _normal(absent.content.replace(absent_path.encode(), b"PATH"))
                if (response.status_code, hidden_page) != (absent.status_code, absent_page):
                    problems.append(f"{role} {route}: hidden ≠ absent (existence oracle)")
        if _hides(route, params):
            for role in ("owner", "manager_above", "executive"):
                if role != "owner" and route.startswith("notifications/"):
                    continue  # a notification belongs to its recipient only
                response = matrix.call(role, "GET", target)
                if response.status_code == 404 or response.status_code >= 500:
                    problems.append(f"{role} {route}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_presales_grant_reaches_the_account_records(matrix):
    """A presales user who sees an account (through a deal they own a stage of) sees its
    plans, visits and contacts too: the grant is one rule, not per model."""
    ids = matrix.world.ids
    for path in (
        "/api/v1/accounts/{account_id}",
        "/api/v1/accounts/{account_id}/plans",
        "/api/v1/accounts/{account_id}/plans/{plan_id}",
        "/api/v1/accounts/{account_id}/visits",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/opportunities/{opportunity_id}/compelling-events",
    ):
        response = matrix.call("presales", "GET", _fill(path, ids))
        assert response.status_code == 200, (path, response.status_code)
    visits = matrix.call("presales", "GET", _fill("/api/v1/accounts/{account_id}/visits", ids))
    assert [v["purpose"] for v in visits.json()["items"]] == [MARKER]


# ---------------------------------------------------------------------------------------
# Partner users on a deal they co-sell (METHOD.md §1): they see the deal, but not internal
# work on it (field level: opportunities.partners).


@pytest.fixture
def partner_deal(org):
    world = build_world(org)
    deal = world.objects["deal"]
    assert org.partner_team.kind == TeamKind.PARTNER
    Opportunity.objects.filter(pk=deal.pk).update(partner=org.partner_team)
    deal.refresh_from_db()
    return deal


def _partner(org: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.partner)
    return client


def test_partner_sees_the_co_sold_deal(org, partner_deal):
    deal = partner_deal
    assert _partner(org).get(f"/api/v1/opportunities/{deal.pk}").status_code == 200


@pytest.mark.parametrize("tail", ["competitors", "win-rate", "strategy", "ledger"])
def test_partner_gets_nothing_internal_of_a_co_sold_deal(org, partner_deal, tail):
    deal = partner_deal
    response = _partner(org).get(f"/api/v1/opportunities/{deal.pk}/{tail}")
    assert response.status_code in (403, 404), response.status_code


def test_partner_cannot_take_over_an_internal_deal(org, partner_deal):
    deal = partner_deal
    response = _partner(org).patch(
        f"/api/v1/opportunities/{deal.pk}",
        {"owner": org.partner.pk, "version": deal.version},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert Opportunity.objects.get(pk=deal.pk).owner_id == org.rep.pk
