"""The Content-Security-Policy that makes a missed escape harmless, the templates that keep it
workable (no inline scripts or handlers), and the self-hosted API documentation."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

import wuwei

TEMPLATES = sorted(Path(wuwei.__file__).parent.glob("*/templates/**/*.html"))


def _directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    "path", ["/login/", "/", "/accounts/ninebox/", "/support/", "/api/v1/docs"]
)
def test_responses_carry_a_csp_that_forbids_inline_scripts(org, client, web, path):
    response = (client if path == "/login/" else web(org.admin)).get(path)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # styles may be inline (ECharts tooltips write style attributes); nothing else may be
    others = [value for name, values in policy.items() if name != "style-src" for value in values]
    assert "'unsafe-inline'" not in others
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_api_responses_carry_the_csp_too(org, api):
    response = api(org.rep).get("/accounts")
    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


class _ScriptFinder(HTMLParser):
    """Inline scripts, inline event handlers and javascript: URLs in one template."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"{name}= at line {self.getpos()[0]}")
            if name.startswith("hx-on"):
                self.problems.append(f"{name} (needs eval) at line {self.getpos()[0]}")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f'{name}="javascript:…" at line {self.getpos()[0]}')


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_templates_have_no_inline_script_handler_or_javascript_url(template):
    finder = _ScriptFinder()
    finder.feed(template.read_text())
    assert finder.problems == [], template


def test_the_template_scan_finds_what_it_looks_for():
    finder = _ScriptFinder()
    finder.feed(
        '<script>alert(1)</script><button onclick="x()"></button><a href="javascript:x()">'
        '<div hx-on:click="x()"></div><script type="application/json">{}</script>'
        '<script src="/static/x.js"></script>'
    )
    assert len(finder.problems) == 4


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for attribute in ("src", "href"):
            if names.get(attribute):
                self.urls.append(str(names[attribute]))
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.inline_scripts += 1


def test_api_docs_load_swagger_ui_from_our_static_files(org, web):
    response = web(org.rep).get("/api/v1/docs")
    assert response.status_code == 200
    assets = _Assets()
    assets.feed(response.content.decode())
    assert assets.inline_scripts == 0
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in assets.urls
    assert "/static/vendor/swagger-ui/swagger-ui.css" in assets.urls
    for url in assets.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"
    assert b'"url": "/api/v1/openapi.json"' in response.content
