"""Operations (issue 11 §7, §9): /healthz, 503 when the database is down, request ids and JSON
logs, no caching of API answers, the API docs behind a login in production, check --deploy."""

import json
import logging
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from wuwei.core.logging import JsonFormatter, RequestContextFilter


def _database_down():
    """Every new cursor fails the way a stopped database server makes it fail."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "cursor",
        side_effect=OperationalError("connection to server at 127.0.0.1 failed"),
    )


def test_healthz_answers_200_with_the_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-ID"]


def test_healthz_answers_503_json_when_the_database_is_down(db, client):
    with _database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert response["Retry-After"] == "30"
    # and recovers by itself
    assert client.get("/healthz").status_code == 200


def test_api_request_during_an_outage_is_503_json(org, api):
    client = api(org.rep)  # the token is made while the database is up
    with _database_down():
        response = client.get("/accounts")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The database is temporarily unavailable. Try again in a moment.",
        "errors": [],
    }
    assert response["Retry-After"] == "30"
    assert client.get("/accounts").status_code == 200


def test_page_request_during_an_outage_is_a_readable_503_page(org):
    client = Client(raise_request_exception=False)
    client.force_login(org.rep)
    with _database_down():
        response = client.get("/accounts/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Temporarily unavailable" in html and "暂时无法服务" in html
    assert client.get("/accounts/").status_code == 200


def test_an_outage_raised_inside_a_ninja_view_is_503_too(org, api):
    client = api(org.rep)
    with mock.patch(
        "wuwei.org.api.Team.objects.filter", side_effect=OperationalError("server closed")
    ):
        response = client.get("/me")
    assert response.status_code in (200, 503)  # /me reads the team chain only with a team
    with mock.patch("wuwei.org.api.visible", side_effect=OperationalError("server closed")):
        response = client.get("/teams")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")


def test_api_answers_carry_no_store_and_a_request_id(org, api):
    response = api(org.rep).get("/me")
    assert response["Cache-Control"] == "no-store"
    assert len(response["X-Request-ID"]) == 32
    error = api(None).get("/accounts")
    assert error.status_code == 401 and error["Cache-Control"] == "no-store"


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(db, client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_pages_are_not_marked_no_store(org, web):
    assert web(org.rep).get("/accounts/").get("Cache-Control", "") != "no-store"


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_api_docs_need_login_without_debug(db, org, client, settings, path, api):
    settings.DEBUG = False
    anonymous = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    if path.endswith(".json"):
        assert anonymous.status_code == 401
        assert anonymous.json()["detail"] == "Authentication required."
    else:
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert api(org.rep).client.get(path, headers=api(org.rep).headers).status_code == 200
    client.force_login(org.partner)  # the docs pages are not part of the partner portal
    assert client.get(path).status_code == 404


def test_api_docs_are_open_in_debug(db, client, settings):
    settings.DEBUG = True
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_log_lines_carry_request_id_and_user_as_json(org, web, caplog):
    # given: a log line written while a request is served
    formatter, context = JsonFormatter(), RequestContextFilter()
    client = web(org.rep)
    with caplog.at_level(logging.INFO, logger="wuwei.request"):
        response = client.get("/accounts/", HTTP_X_REQUEST_ID="req-abcdef12")
    records = [r for r in caplog.records if r.name == "wuwei.request"]
    assert records
    line = json.loads(formatter.format(records[-1]))
    # then (the filter ran inside the request: the record carries the request's context)
    assert response.status_code == 200
    assert line["message"] == "GET /accounts/ 200"
    assert line["request_id"] == "req-abcdef12"
    assert line["user"] == "rep"
    assert line["status"] == 200 and isinstance(line["duration_ms"], int)
    # outside a request, the context is "-"
    outside = logging.makeLogRecord({"msg": "x"})
    context.filter(outside)
    assert (outside.request_id, outside.user) == ("-", "-")


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    # the test process's own DJANGO_ALLOW_ASYNC_UNSAFE (set for Playwright) is no production env
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "WUWEI_TESTING": "0",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 60 + "-production-secret-0123456789",
        "ALLOWED_HOSTS": "crm.example.com",
        "WUWEI_HTTPS": "1",
        "DATABASE_URL": "",
        "WUWEI_VAR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "wuwei.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
