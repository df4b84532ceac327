"""Tokens (API.md "Auth"), /me, login throttling."""

import pytest
from django.core.management import call_command

from tests.factories import PASSWORD
from wuwei.org.models import ApiToken
from wuwei.org.tokens import token_create, token_revoke


def test_token_endpoint_returns_working_token_stored_hashed(org, api):
    # when
    response = api(None).post("/auth/token", {"username": "rep", "password": PASSWORD})
    # then
    assert response.status_code == 200
    raw = response.json()["token"]
    stored = ApiToken.objects.get(user=org.rep)
    assert raw not in stored.key_hash and len(stored.key_hash) == 64
    me = api(None).get("/me", Authorization=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["username"] == "rep"
    assert me.json()["roles"] == ["rep"]
    assert [t["name"] for t in me.json()["teams"]] == ["Company", "East", "East KA"]


def test_wrong_password_is_401_with_error_shape(org, api):
    response = api(None).post("/auth/token", {"username": "rep", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password.", "errors": []}


def test_repeated_failures_lock_the_login_out(org, api, settings):
    client = api(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/auth/token", {"username": "rep", "password": "nope"})
    response = client.post("/auth/token", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.json()["detail"]


def test_revoked_token_is_refused(org, api):
    token, raw = token_create(user=org.rep)
    client = api(None)
    assert client.get("/me", Authorization=f"Bearer {raw}").status_code == 200
    token_revoke(token=token)
    response = client.get("/me", Authorization=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication required."


def test_token_of_deactivated_user_is_refused(org, api):
    _token, raw = token_create(user=org.rep)
    org.rep.is_active = False
    org.rep.save()
    assert api(None).get("/me", Authorization=f"Bearer {raw}").status_code == 401


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ww_nope", "Basic abc", "Bearer " + "x" * 500]
)
def test_garbage_authorization_is_401_never_500(org, api, header):
    assert api(None).get("/accounts", Authorization=header).status_code == 401


def test_user_can_list_and_revoke_own_tokens(org, api):
    client = api(org.rep)
    tokens = client.get("/auth/tokens").json()["items"]
    assert len(tokens) == 1
    assert client.delete(f"/auth/tokens/{tokens[0]['id']}").status_code == 204
    assert client.get("/me").status_code == 401


def test_cannot_revoke_someone_elses_token(org, api):
    other, _raw = token_create(user=org.peer_rep)
    assert api(org.rep).delete(f"/auth/tokens/{other.pk}").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_token_command_creates_lists_and_revokes(org, capsys):
    call_command("token", "create", "rep")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("ww_")
    call_command("token", "list", "rep")
    assert "active" in capsys.readouterr().out
    call_command("token", "revoke", "rep")
    assert "Revoked 1 token(s)." in capsys.readouterr().out
    assert ApiToken.objects.get(user=org.rep).revoked_at is not None


def test_session_auth_needs_csrf_for_writes(org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.rep)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post("/api/v1/accounts", {"name": "X"}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_web_login_locks_out_after_repeated_failures(org, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/login/", {"username": "rep", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/login/", {"username": "rep", "password": "wrong"}).status_code == 429
    locked = client.post(
        "/login/", {"username": "rep", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert locked.status_code == 429
    assert "Too many failed login attempts" in locked.content.decode()


def test_web_login_and_logout(org, client):
    response = client.post("/login/", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/accounts/").status_code == 302
