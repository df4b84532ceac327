"""The import graph between Wuwei's apps (docs/architecture.md, "Floors").

An app imports only from floors below it. The floors, bottom up, are `FLOORS`: `methodology`
(pure: no Django, no other app), `core` (no domain app; it holds the page kit every app's pages
share), `org`, `notifications`, the shared market data (`competitors`), the domain apps, and
`web` on top (home page, navigation, search, playbook), which no app imports. Edges that still
go up or sideways are debt being paid off: `KNOWN_MUTUAL` and `KNOWN_UPWARD` may only shrink.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "wuwei"
APPS = sorted(
    p.name
    for p in SRC.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"locale", "formats"}
)

#: Floor of each app, bottom up (an app may import only apps on a lower floor). An app that
#: does not exist yet keeps its place (`competitors`, issue #12 item 3).
FLOORS = {
    "methodology": 0,
    "core": 1,
    "org": 2,
    "notifications": 3,
    "competitors": 4,
    "accounts": 5,
    "opportunities": 6,
    "people": 7,  # activities and decision maps are per deal
    "support": 7,
    "coaching": 7,
    "pursuit": 8,  # a deal's strategy and value proposition: deals, contacts, activities
    "playbook": 8,
    "insights": 9,
    "dataio": 9,
    "web": 10,
}

# Pairs of apps that still import each other (issue #12 removes them); never add one.
KNOWN_MUTUAL: set[tuple[str, str]] = set()

#: One-way imports of a higher floor, outside the mutual pairs; never add one.
KNOWN_UPWARD = {
    ("people", "support"),  # people.handover moves the stage owners of open deals
}


def _imports(app: str) -> dict[str, set[str]]:
    """Modules each file of `app` imports, by the file's path (migrations excluded)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in (SRC / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found[str(path.relative_to(SRC))].add(node.module)
            elif isinstance(node, ast.Import):
                found[str(path.relative_to(SRC))].update(alias.name for alias in node.names)
    return found


def _app_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for app in APPS:
        for modules in _imports(app).values():
            for module in modules:
                parts = module.split(".")
                if parts[0] == "wuwei" and len(parts) > 1 and parts[1] in APPS and parts[1] != app:
                    edges[app].add(parts[1])
    return edges


def test_methodology_is_pure_python():
    offenders = {
        path: sorted(
            m
            for m in modules
            if m.split(".")[0] in {"django", "ninja"}
            or (m.startswith("wuwei.") and not m.startswith("wuwei.methodology"))
        )
        for path, modules in _imports("methodology").items()
    }
    assert {p: m for p, m in offenders.items() if m} == {}


@pytest.mark.parametrize("floor", ["core"])
def test_ground_floor_imports_no_domain_app(floor):
    assert _app_edges()[floor] <= {"methodology"}


def test_no_app_imports_the_top_floor():
    edges = _app_edges()
    assert sorted(app for app in APPS if "web" in edges[app]) == []


def test_no_new_pair_of_apps_imports_each_other():
    edges = _app_edges()
    mutual = {tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, set())}
    assert mutual - KNOWN_MUTUAL == set(), "a new pair of apps imports each other"
    assert KNOWN_MUTUAL - mutual == set(), "a pair was untangled: remove it from KNOWN_MUTUAL"


def test_every_app_has_a_floor():
    assert sorted(set(APPS) - set(FLOORS)) == []


def _upward_edges() -> set[tuple[str, str]]:
    edges = _app_edges()
    return {(a, b) for a in edges for b in edges[a] if FLOORS[b] >= FLOORS[a]}


def test_apps_import_only_from_floors_below():
    debt = KNOWN_UPWARD | {(a, b) for pair in KNOWN_MUTUAL for a, b in (pair, pair[::-1])}
    assert sorted(_upward_edges() - debt) == []


def test_known_upward_edges_still_exist():
    assert sorted(KNOWN_UPWARD - _upward_edges()) == [], "an edge is gone: drop it from the list"


#: The shape of every domain app (issue #12 item 8): a module or a package of each name.
DOMAIN_APPS = [
    "accounts",
    "people",
    "competitors",
    "opportunities",
    "pursuit",
    "support",
    "playbook",
    "coaching",
    "insights",
    "notifications",
    "dataio",
]
LAYOUT = [
    "models",
    "visibility",
    "selectors",
    "services",
    "api",
    "forms",
    "views",
    "urls",
    "templates",
    "demo",
]
#: Parts an app has no use for, and why; never add one without a reason.
WITHOUT = {
    ("insights", "services"): "reports are reads; forecast/ and scorecard/ have their services",
    ("insights", "demo"): "reports read the other apps' demo records",
    ("notifications", "forms"): "nothing to fill in: a notification is read or marked read",
    ("notifications", "demo"): "the other apps' demo writes raise the notices",
    ("dataio", "api"): "import and export are page flows and background jobs",
    ("dataio", "demo"): "an import reuses the other apps' records; nothing of its own to seed",
    ("competitors", "demo"): "the demo's competitors are seeded with the deals that meet them",
    ("pursuit", "models"): "its models are the deals' (`opportunities.models.pursuit`): tables "
    "and migration history stay with opportunities",
}


def _has(app: str, part: str) -> bool:
    return (
        (SRC / app / f"{part}.py").exists()
        or (SRC / app / part / "__init__.py").exists()
        or (part == "templates" and (SRC / app / "templates").is_dir())
    )


@pytest.mark.parametrize("app", [a for a in DOMAIN_APPS if (SRC / a).is_dir()])
def test_every_domain_app_has_the_same_shape(app):
    missing = [part for part in LAYOUT if not _has(app, part) and (app, part) not in WITHOUT]
    assert missing == []


def test_the_exceptions_are_still_needed():
    assert sorted(key for key in WITHOUT if _has(*key)) == []
