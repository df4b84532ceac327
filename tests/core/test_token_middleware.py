"""Bearer-token API calls skip the browser-only middleware (core.middleware.TokenApiMiddleware,
issue #17) and keep every security header; session calls keep the full chain, CSRF included."""

from django.test import Client

from tests.factories import make_account
from wuwei.opportunities.models import Opportunity
from wuwei.org.tokens import token_create


def _bearer(user):
    _token, raw = token_create(user=user)
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def test_token_call_skips_the_session_chain_and_keeps_security_headers(org):
    response = Client().get("/api/v1/me", headers=_bearer(org.rep))
    assert response.status_code == 200 and response.json()["username"] == "rep"
    request = response.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "htmx")
    assert not hasattr(request, "_messages")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response and response["X-Request-ID"]
    assert "Set-Cookie" not in response and "Cookie" not in response.get("Vary", "")


def test_token_call_is_translated_and_attributed(org):
    headers = {**_bearer(org.rep), "Accept-Language": "zh-hans"}
    response = Client().get("/api/v1/opportunities/999999", headers=headers)
    assert response.status_code == 404 and response.json()["detail"] != "Not found."


def test_unknown_token_is_401_on_the_short_chain(org):
    response = Client().get("/api/v1/me", headers={"Authorization": "Bearer ww_nope"})
    assert response.status_code == 401
    assert not hasattr(response.wsgi_request, "session")


def test_unknown_api_path_is_still_404_json(org):
    response = Client().get("/api/v1/no-such-thing", headers=_bearer(org.rep))
    assert response.status_code == 404


def test_session_cookie_takes_the_full_chain_with_csrf(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.rep)
    headers = {"Authorization": "Bearer ww_not_a_token"}
    response = client.post(
        "/api/v1/accounts", {"name": "X"}, content_type="application/json", headers=headers
    )
    assert hasattr(response.wsgi_request, "session")
    assert response.status_code in {401, 403}
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the session's
    # the same session without a bearer header: its write still needs the CSRF token
    response = client.post("/api/v1/accounts", {"name": "X"}, content_type="application/json")
    assert response.status_code in {401, 403}


def test_token_write_is_attributed_in_history(org, api):
    client = api(org.rep)
    account = make_account(owner=org.rep)
    created = client.post("/opportunities", {"account": account.pk, "name": "Deal"})
    assert created.status_code == 201
    record = Opportunity.history.filter(id=created.json()["id"]).first()
    assert record.history_user_id == org.rep.pk
