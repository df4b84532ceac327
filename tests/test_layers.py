"""The import graph between Wuwei's apps (docs/architecture.md, "Floors").

An app imports only from floors below it. The floors, bottom up, are `FLOORS`: `methodology`
(pure: no Django, no other app), `core` (no domain app; it holds the page kit every app's pages
share), `org`, `notifications`, the shared market data (`competitors`), the domain apps, and
`web` on top (home page, navigation, search, playbook), which no app imports. No edge goes up
or sideways: a lower app that needs a higher one offers a registry the higher app fills from its
`AppConfig.ready()` (`test_registries_are_filled_from_ready_not_by_imports`).
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "wuwei"
APPS = sorted(
    p.name
    for p in SRC.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"locale", "formats"}
)

#: Floor of each app, bottom up (an app may import only apps on a lower floor).
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


def test_no_pair_of_apps_imports_each_other():
    edges = _app_edges()
    mutual = {tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, set())}
    assert sorted(mutual) == []


def test_every_app_has_a_floor():
    assert sorted(set(APPS) - set(FLOORS)) == []


def _upward_edges() -> set[tuple[str, str]]:
    edges = _app_edges()
    return {(a, b) for a in edges for b in edges[a] if FLOORS[b] >= FLOORS[a]}


def test_apps_import_only_from_floors_below():
    assert sorted(_upward_edges()) == []


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


def _run_on_import(node: ast.stmt) -> Iterator[ast.expr]:
    """What runs when a module is imported: the calls in its statements and in a class's body,
    and every decorator, but nothing in a function's body."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        yield from node.decorator_list
    elif isinstance(node, ast.ClassDef):
        yield from node.decorator_list
        for statement in node.body:
            yield from _run_on_import(statement)
    else:
        yield from (n for n in ast.walk(node) if isinstance(n, ast.Call))


def _registry_functions() -> set[str]:
    """Every registry function the apps offer (`register_*()`, core.visibility's `register`,
    `grant` and `internal`) and Django's signal receivers (`connect`, `@receiver`)."""
    names = {"internal", "grant", "connect", "receiver"}
    for path in SRC.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("register"):
                names.add(node.name)
    return names


def _names_registry(expr: ast.expr, registries: set[str]) -> bool:
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Name):
        return expr.id in registries
    # Django's own admin registry is filled by its autodiscovery of admin.py, by design.
    admin = isinstance(expr, ast.Attribute) and "admin" in ast.unparse(expr.value).split(".")
    return isinstance(expr, ast.Attribute) and expr.attr in registries and not admin


def test_registries_are_filled_from_ready_not_by_imports():
    """Issue #12 item 8: a registry is filled by an explicit `register_*()` call from an
    `AppConfig.ready()` (or a `wiring.register()` it calls), never as a side effect of
    importing a module: no module-level statement or decorator calls a registry function."""
    registries = _registry_functions()
    found = [
        f"{path.relative_to(SRC)}:{expr.lineno} {ast.unparse(expr)[:60]}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        for statement in ast.parse(path.read_text(encoding="utf-8")).body
        for expr in _run_on_import(statement)
        if _names_registry(expr, registries)
    ]
    assert found == []
