"""Zero 5xx from input (API.md "Errors"): one regression test per cause a probe of ~44,000
requests found, plus the classes the sanitising layer closes. Each bad request is a 4xx in the
JSON error envelope and changes nothing."""

import base64
import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_account, make_contact
from wuwei.accounts.models import Account


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _raw(client: Any, method: str, path: str, body: str) -> Any:
    """A body sent byte for byte (the test client would re-encode a dict)."""
    return getattr(client.client, method)(
        f"/api/v1{path}", data=body, content_type="application/json", headers=client.headers
    )


def assert_json_error(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


# 1. huge integers in filter parameters (SQLite: "Python int too large to convert")
@pytest.mark.parametrize(
    "path",
    [
        "/accounts?team=99999999999999999999",
        "/accounts?parent=-99999999999999999999",
        "/opportunities?account=99999999999999999999",
        "/presales/stage-owners?opportunity=99999999999999999999",
        "/contacts?account=18446744073709551616",
        "/accounts/99999999999999999999",
        "/opportunities/99999999999999999999/win-rate",
    ],
)
def test_integers_beyond_64_bits_are_422(org, api, path):
    assert_json_error(api(org.rep).get(path))


# 2. tampered pagination cursors
@pytest.mark.parametrize(
    "raw", ["[null,null]", "[null]", "[Infinity]", "[NaN]", '["1e999"]', "[1]", "{}", '["\\u0000"]']
)
def test_tampered_cursors_are_422(org, api, raw):
    make_account(org.rep)
    for path in ("/accounts", "/opportunities", "/contacts"):
        body = assert_json_error(api(org.rep).get(path, {"cursor": _cursor(raw)}))
        assert body["errors"][0]["field"] == "cursor", (path, raw)


# 3. NUL bytes in any text, including the anonymous token endpoint (PostgreSQL refuses them)
def test_nul_bytes_are_422_even_before_authentication(org, api):
    anonymous = api(None)
    token = anonymous.post("/auth/token", {"username": "rep\x00", "password": "x"})
    assert_json_error(token)
    rep = api(org.rep)
    assert_json_error(rep.post("/accounts", {"name": "Acme\x00Corp"}))
    assert_json_error(rep.get("/accounts", {"q": "a\x00b"}))
    assert_json_error(rep.get("/accounts/1%00"))
    assert not Account.objects.filter(name__startswith="Acme").exists()


# 4. null for a text field that cannot be null
def test_null_for_a_not_null_text_field_is_422(org, api):
    contact = make_contact(make_account(org.rep))
    response = api(org.rep).patch(
        f"/contacts/{contact.pk}", {"title": None, "version": contact.version}
    )
    assert_json_error(response)
    contact.refresh_from_db()
    assert contact.title == "" and contact.version == 1


# 5. NaN / Infinity in custom fields (json.loads accepts them; PostgreSQL jsonb does not)
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_custom_fields_is_422(org, api, literal):
    account = make_account(org.rep)
    body = f'{{"custom_fields": {{"score": {literal}}}, "version": {account.version}}}'
    assert_json_error(_raw(api(org.rep), "patch", f"/accounts/{account.pk}", body))
    account.refresh_from_db()
    assert account.custom_fields == {}


def test_nan_in_a_decimal_query_or_body_is_422(org, api):
    account = make_account(org.rep)
    response = api(org.rep).post(
        "/opportunities", {"account": account.pk, "name": "Deal", "amount": "NaN"}
    )
    assert_json_error(response)


# 6. lone surrogates (valid JSON escapes, not storable Unicode)
def test_lone_surrogates_are_422(org, api):
    body = '{"name": "Acme \\ud800 Corp"}'
    assert_json_error(_raw(api(org.rep), "post", "/accounts", body))
    assert_json_error(
        _raw(api(None), "post", "/auth/token", '{"username": "\\udfff", "password": "x"}')
    )
    assert not Account.objects.exists()


# 7. date overflow in /presales/load (start + weeks past year 9999)
@pytest.mark.parametrize("start", ["9999-12-31", "9999-12-01", "0001-01-01"])
def test_presales_load_date_overflow_is_422(org, api, start):
    assert_json_error(api(org.executive).get("/presales/load", {"start": start, "weeks": 52}))


# Bodies that are not JSON objects are 422 on every operation, including all-optional ones.
@pytest.mark.parametrize("body", ["[]", "[1, 2]", "42", '"text"', "null", "true", "{", "\xff"])
def test_a_body_that_is_not_a_json_object_is_422(org, api, body):
    account = make_account(org.rep)
    rep = api(org.rep)
    assert_json_error(_raw(rep, "post", "/accounts", body))
    assert_json_error(_raw(rep, "patch", f"/accounts/{account.pk}", body))
    assert_json_error(_raw(rep, "post", "/notifications/read", body))


def test_an_array_body_is_422_on_every_write_operation(org, api):
    """Walk the OpenAPI document: every POST, PUT, PATCH and DELETE answers `[]` with a 422
    (path ids that exist or not: the body is checked before any lookup)."""
    import re

    from wuwei.api import api as ninja_api

    document = ninja_api.get_openapi_schema(path_prefix="")
    admin = api(org.admin)
    accepted = []
    for path, operations in document["paths"].items():
        for method in sorted({"post", "put", "patch", "delete"} & set(operations)):
            response = _raw(admin, method, re.sub(r"\{[^}]+\}", "1", path), "[]")
            if response.status_code != 422:
                accepted.append(f"{method.upper()} {path}: {response.status_code}")
    assert accepted == []


def test_whitespace_only_names_are_422(org, api):
    rep = api(org.rep)
    for name in (" ", "   ", "\t\n", "\u3000"):
        assert_json_error(rep.post("/accounts", {"name": name}))
    assert not Account.objects.exists()


def test_true_is_not_an_id(org, api):
    account = make_account(org.rep)
    response = api(org.rep).post("/contacts", {"account": True, "name": "Zhang"})
    body = assert_json_error(response)
    assert body["errors"][0]["field"] == "account"
    assert not account.contacts.exists()


def test_json_fields_over_the_size_limit_are_422(org, api):
    account = make_account(org.rep)
    big = {"notes": "x" * 20_000}
    many = {f"k{i}": i for i in range(51)}
    for custom in (big, many):
        response = api(org.rep).patch(
            f"/accounts/{account.pk}", {"custom_fields": custom, "version": account.version}
        )
        assert_json_error(response)
    account.refresh_from_db()
    assert account.custom_fields == {}


def test_text_too_long_is_422_never_cut(org, api):
    response = api(org.rep).post("/accounts", {"name": "A" * 201})
    assert_json_error(response)
    assert not Account.objects.exists()


def test_deep_nesting_is_422(org, api):
    account = make_account(org.rep)
    body = json.dumps({"custom_fields": {"a": json.loads("[" * 50 + "]" * 50)}, "version": 1})
    assert_json_error(_raw(api(org.rep), "patch", f"/accounts/{account.pk}", body))


def test_an_unexpected_exception_is_a_json_500_with_a_request_id(org, api, monkeypatch, caplog):
    from wuwei.accounts import selectors

    def boom(**kwargs: Any) -> Any:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(selectors, "account_list", boom)
    client = Client(raise_request_exception=False)
    response = client.get(
        "/api/v1/accounts", headers={**api(org.rep).headers, "X-Request-ID": "req-42-proxy"}
    )
    body = assert_json_error(response, 500)
    assert "req-42-proxy" in body["detail"] and response["X-Request-ID"] == "req-42-proxy"
    assert "simulated fault" not in body["detail"]
    assert any("req-42-proxy" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain"]
)
def test_a_body_that_is_not_json_is_415_even_on_the_token_endpoint(org, api, content_type):
    for client, path in ((api(None), "/auth/token"), (api(org.rep), "/accounts")):
        response = client.client.post(
            f"/api/v1{path}",
            data='{"username": "rep", "password": "x", "name": "Acme"}',
            content_type=content_type,
            headers=client.headers,
        )
        assert_json_error(response, 415)
    assert not Account.objects.exists()


def test_a_tag_too_long_is_422_not_cut(org, api):
    account = make_account(org.rep)
    response = api(org.rep).patch(
        f"/accounts/{account.pk}", {"tags": ["t" * 51], "version": account.version}
    )
    assert_json_error(response)
    account.refresh_from_db()
    assert account.tags == [] and account.version == 1
