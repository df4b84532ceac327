"""Production defaults that cannot bite (issue 11 §7): login throttling per address, rate
limits, expiring and audited tokens, two-factor sign-in, the session idle timeout."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_user
from wuwei.core.middleware import SEEN_KEY
from wuwei.core.models import AuditAction, AuditEvent
from wuwei.org import twofactor
from wuwei.org.models import ApiToken, Role
from wuwei.org.permissions import POLICY, Action
from wuwei.org.services import user_update
from wuwei.org.tokens import token_create


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


# ---- login throttling ---------------------------------------------------------------------


def test_password_spraying_from_one_address_is_throttled(org, client, settings):
    # given: one failure each for many usernames from one address (never 5 for one name)
    settings.WUWEI_LOGIN_FAILURE_LIMIT_PER_IP = 6
    names = [make_user(f"sprayed{i}").username for i in range(6)]
    for name in names:
        response = client.post(
            "/login/", {"username": name, "password": "Summer2026!"}, REMOTE_ADDR="10.9.9.9"
        )
        assert response.status_code in (200, 429)
    # when: the right password of yet another user is tried from that address
    blocked = client.post(
        "/login/", {"username": "rep", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    # then: the address is locked; the same user from elsewhere still gets in
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "900"
    other = Client()
    ok = other.post("/login/", {"username": "rep", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert ok.status_code == 302


def test_spraying_the_token_endpoint_is_throttled_too(org, api, settings):
    settings.WUWEI_LOGIN_FAILURE_LIMIT_PER_IP = 3
    client = api(None)
    for name in ("peer", "manager", "boss"):
        client.post("/auth/token", {"username": name, "password": "Winter2026!"})
    response = client.post("/auth/token", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed login attempts")


def test_a_successful_login_does_not_reset_the_address_count(org, client, settings):
    # given: an attacker with one valid account interleaves it with a spray
    settings.WUWEI_LOGIN_FAILURE_LIMIT_PER_IP = 3
    for name in ("peer", "manager"):
        client.post("/login/", {"username": name, "password": "nope-nope"})
    assert client.post("/login/", {"username": "rep", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    client.post("/login/", {"username": "boss", "password": "nope-nope"})
    # then: the address is still counted and now locked
    response = client.post("/login/", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 429


# ---- rate limits --------------------------------------------------------------------------


def test_token_endpoint_is_rate_limited_per_address(org, api, settings):
    settings.WUWEI_RATE_TOKEN = "3/60"
    client = api(None)
    for _ in range(3):
        ok = client.post("/auth/token", {"username": "rep", "password": PASSWORD})
        assert ok.status_code == 200
    response = client.post("/auth/token", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests. Try again in a moment.", "errors": []}
    assert 1 <= int(response["Retry-After"]) <= 61
    assert ApiToken.objects.filter(user=org.rep).count() == 3  # the throttled call made none
    elsewhere = client.client.post(
        "/api/v1/auth/token",
        {"username": "rep", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="10.2.2.2",
    )
    assert elsewhere.status_code == 200


def test_api_is_rate_limited_per_caller(org, api, settings):
    settings.WUWEI_RATE_API = "5/60"
    rep, peer = api(org.rep), api(org.peer_rep)
    assert [rep.get("/me").status_code for _ in range(5)] == [200] * 5
    throttled = rep.get("/me")
    assert throttled.status_code == 429
    assert throttled["Cache-Control"] == "no-store"
    assert int(throttled["Retry-After"]) >= 1
    assert peer.get("/me").status_code == 200  # another caller has their own budget


def test_rate_limit_windows_roll_over():
    from wuwei.core.ratelimit import Rate, hit

    rate = Rate(2, 60)
    assert [hit("t", "x", rate, now=120.0) for _ in range(3)] == [0, 0, 60]
    assert hit("t", "x", rate, now=181.0) == 0  # next window


@pytest.mark.parametrize(
    ("text", "expected"), [("10/60", (10, 60)), ("5", (5, 60)), ("0", None), ("", None)]
)
def test_rate_parse(text, expected):
    from wuwei.core.ratelimit import Rate

    rate = Rate.parse(text)
    assert (None if rate is None else (rate.limit, rate.window)) == expected


# ---- tokens -------------------------------------------------------------------------------


def test_tokens_expire_after_their_days(org, api, monkeypatch):
    token, raw = token_create(user=org.rep, days=7)
    assert (token.expires_at - timezone.now()).days in (6, 7)
    client = api(None)
    assert client.get("/me", Authorization=f"Bearer {raw}").status_code == 200
    # a week later (the token → user lookup is cached; the expiry is checked on every call)
    later = timezone.now() + timedelta(days=7, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get("/me", Authorization=f"Bearer {raw}").status_code == 401


def test_token_expired_in_the_database_is_refused(org, api):
    token, raw = token_create(user=org.rep, days=7)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(None).get("/me", Authorization=f"Bearer {raw}").status_code == 401


def test_token_default_lifetime_is_configurable(org, settings):
    settings.WUWEI_TOKEN_DAYS = 30
    token, _raw = token_create(user=org.rep)
    assert (token.expires_at - timezone.now()).days in (29, 30)


def test_token_endpoint_takes_days_and_reports_expiry(org, api):
    response = api(None).post("/auth/token", {"username": "rep", "password": PASSWORD, "days": 2})
    assert response.status_code == 200
    assert response.json()["expires_at"] is not None
    stored = ApiToken.objects.get(user=org.rep)
    assert (stored.expires_at - timezone.now()).days in (1, 2)
    bad = api(None).post("/auth/token", {"username": "rep", "password": PASSWORD, "days": 0})
    assert bad.status_code == 422


def test_token_command_takes_days(org, capsys):
    call_command("token", "create", "rep", "--days", "3")
    token = ApiToken.objects.get(user=org.rep)
    assert (token.expires_at - timezone.now()).days in (2, 3)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="between 1 and"):
        call_command("token", "create", "rep", "--days", "0")


def test_password_change_revokes_every_token_and_is_audited(org, api):
    _t1, raw1 = token_create(user=org.rep)
    _t2, raw2 = token_create(user=org.rep)
    # when: the administrator sets a new password through the API
    response = api(org.admin).patch(f"/users/{org.rep.pk}", {"password": "a-new-Long-passphrase"})
    assert response.status_code == 200
    # then
    for raw in (raw1, raw2):
        assert api(None).get("/me", Authorization=f"Bearer {raw}").status_code == 401
    assert not ApiToken.objects.filter(user=org.rep, revoked_at__isnull=True).exists()
    events = AuditEvent.objects.filter(model="org.apitoken", action=AuditAction.TOKEN_REVOKED)
    assert events.count() == 2
    assert {e.changes["reason"][1] for e in events} == {"password changed"}
    assert {e.actor_id for e in events} == {org.admin.pk}
    changed = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert (changed.actor_id, changed.object_id) == (org.admin.pk, str(org.rep.pk))


def test_token_use_is_recorded(org, api):
    token, raw = token_create(user=org.rep)
    assert token.last_used_at is None
    api(None).get("/me", Authorization=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_creation_and_revocation_are_audited(org, api):
    response = api(None).post("/auth/token", {"username": "rep", "password": PASSWORD})
    token = ApiToken.objects.get(user=org.rep)
    created = AuditEvent.objects.get(action=AuditAction.TOKEN_CREATED, object_id=str(token.pk))
    assert created.actor_id == org.rep.pk and created.ip_address == "127.0.0.1"
    assert created.changes["user"] == [None, "rep"]
    raw = response.json()["token"]
    api(None).delete(f"/auth/tokens/{token.pk}", Authorization=f"Bearer {raw}")
    revoked = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED, object_id=str(token.pk))
    assert revoked.actor_id == org.rep.pk


# ---- two-factor ---------------------------------------------------------------------------


def _code(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:06d}"


def _enrol(client: Client) -> TOTPDevice:
    page = client.get("/org/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/org/two-factor/", {"action": "enable", "code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_totp_enrolment_then_login_asks_for_the_code(org):
    # given: the manager enrols
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/login/", {"username": "manager", "password": PASSWORD}).status_code == 302
    device = _enrol(client)
    assert AuditEvent.objects.filter(
        action=AuditAction.TWO_FACTOR_ENABLED, actor=org.manager
    ).exists()
    client.post("/logout/")
    # when: they sign in again with the password only
    response = client.post(
        "/login/", {"username": "manager", "password": PASSWORD, "next": "/accounts/"}
    )
    assert response.status_code == 302
    # then: every page leads to the code form; the API refuses the half-signed session
    held = client.get("/accounts/")
    assert held.status_code == 302 and held["Location"].startswith("/org/two-factor/verify/")
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.post("/org/two-factor/verify/?next=/accounts/", {"code": "000000"})
    assert wrong.status_code == 200 and "not valid" in wrong.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).count() == 1
    # a refused code makes django-otp wait before the next try; the test does not
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()
    ok = client.post("/org/two-factor/verify/?next=/accounts/", {"code": _code(device, 1)})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_token_endpoint_needs_the_code_once_two_factor_is_on(org, api):
    device = TOTPDevice.objects.create(user=org.manager, name="app", confirmed=True)
    client = api(None)
    without = client.post("/auth/token", {"username": "manager", "password": PASSWORD})
    assert without.status_code == 401
    assert "otp" in without.json()["detail"]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()
    with_code = client.post(
        "/auth/token", {"username": "manager", "password": PASSWORD, "otp": _code(device)}
    )
    assert with_code.status_code == 200


def test_required_two_factor_sends_administrators_to_enrol(org, settings):
    settings.WUWEI_REQUIRE_2FA = True
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/login/", {"username": "admin", "password": PASSWORD})
    held = client.get("/accounts/")
    assert held.status_code == 302 and held["Location"].startswith("/org/two-factor/?")
    _enrol(client)
    assert client.get("/accounts/").status_code == 200
    # a rep is not required to
    rep = Client()
    rep.post("/login/", {"username": "rep", "password": PASSWORD})
    assert rep.get("/accounts/").status_code == 200


def test_two_factor_can_be_turned_off_with_a_current_code(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/login/", {"username": "rep", "password": PASSWORD})
    device = _enrol(client)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, last_t=-1)
    device.refresh_from_db()
    response = client.post("/org/two-factor/", {"action": "disable", "code": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org.rep).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_DISABLED).exists()


def test_the_enrolment_page_needs_login(client):
    response = client.get("/org/two-factor/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_qr_code_is_an_svg_made_on_the_server():
    svg = twofactor.qr_svg("otpauth://totp/Wuwei:rep?secret=JBSWY3DPEHPK3PXP&issuer=Wuwei")
    assert svg.startswith("<svg") and "<path" in svg and "<script" not in svg


# ---- session idle timeout -----------------------------------------------------------------


def test_session_ends_after_the_idle_timeout_and_activity_extends_it(org, settings):
    client = Client()
    client.post("/login/", {"username": "rep", "password": PASSWORD})
    session = client.session
    assert isinstance(session[SEEN_KEY], int)
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # given: the last refresh was long ago (but the session itself still valid)
    session[SEEN_KEY] -= 3600
    session.save()
    before = session[SEEN_KEY]
    # when: the user is active
    assert client.get("/accounts/").status_code == 200
    # then: the session was refreshed
    assert client.session[SEEN_KEY] > before


def test_session_idle_timeout_setting(settings):
    assert settings.SESSION_COOKIE_AGE == 120 * 60
    assert Role.ADMIN in POLICY[Action.TWOFACTOR_REQUIRED]


def test_deactivating_a_user_revokes_their_tokens(org):
    _token, _raw = token_create(user=org.peer_rep)
    user_update(actor=org.admin, user=org.peer_rep, changes={"is_active": False})
    assert not ApiToken.objects.filter(user=org.peer_rep, revoked_at__isnull=True).exists()
