"""The API's URLconf is imported on first use (core.urlconf): a process that builds page links
(the demo load, the job worker, a web worker's first page) does not import every router."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
import django
django.setup()
from django.urls import resolve, reverse
assert reverse("web:healthz") == "/healthz"
assert resolve("/healthz").view_name == "web:healthz"
assert "wuwei.api" not in sys.modules, "a page link imported the API"
assert reverse("api:openapi-view") == "/api/v1/docs"
assert "wuwei.api" in sys.modules
assert resolve("/api/v1/openapi.json").view_name == "api:openapi-json"
assert reverse("api:relationship_map", args=[3]) == "/api/v1/accounts/3/relationship-map"
print("ok")
"""


def test_page_links_do_not_import_the_api_and_api_links_do(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wuwei.settings",
        "WUWEI_VAR": str(tmp_path / "var"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
