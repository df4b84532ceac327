"""The import graph between Wuwei's apps (docs/architecture.md, "Layers").

The floors, bottom up: `methodology` (pure: no Django, no other app), `core` (no domain app;
it holds the page kit every app's pages share), `org`, the domain apps, and `web` on top (home
page, navigation, search, playbook), which no app imports. Mutual imports between two domain
apps are debt being paid off: the list below may only shrink.
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

# Pairs of apps that still import each other (issue #12 removes them); never add one.
KNOWN_MUTUAL = {
    ("opportunities", "people"),
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
