"""The cached token → user lookup (org/tokens.py, issue #17): no auth query once a token is
known, and every way a token or its user changes reaches the cache."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from wuwei.core.visibility import scope_for
from wuwei.org import tokens
from wuwei.org.models import ApiToken, Role
from wuwei.org.services import team_update, user_set_roles, user_update
from wuwei.org.tokens import token_create, token_revoke, user_for_token


def test_known_token_costs_no_query_and_gives_a_fresh_full_user(org, django_assert_num_queries):
    _token, raw = token_create(user=org.manager)
    first = user_for_token(raw)
    with django_assert_num_queries(0):
        user = user_for_token(raw)
        scope = scope_for(user)
    assert user is not None and user is not first
    assert user.pk == org.manager.pk and user.username == "manager"
    assert user.team.path == org.east_ka.path and scope.team_path == org.east_ka.path
    assert user.role_slugs == {Role.MANAGER}
    assert "password" not in user.__dict__  # the hash is not cached; it loads when asked
    assert user.check_password(PASSWORD)


def test_known_token_through_the_api_costs_no_auth_query(org, api, django_assert_num_queries):
    client = api(org.rep)
    client.get("/notifications")
    with django_assert_num_queries(1):  # the page only
        assert client.get("/notifications").status_code == 200


def test_revoked_token_is_refused_from_the_cache(org, django_assert_num_queries):
    token, raw = token_create(user=org.rep)
    assert user_for_token(raw) is not None
    token_revoke(token=token)
    assert user_for_token(raw) is None


def test_revocation_in_another_process_is_seen_when_the_entry_is_refreshed(org, monkeypatch):
    monkeypatch.setattr(tokens, "TOUCH_SECONDS", 60)  # the production interval
    token, raw = token_create(user=org.rep)
    assert user_for_token(raw) is not None
    # Another process revoked it (no signal here): the once-a-minute touch notices.
    ApiToken.objects.filter(pk=token.pk).update(
        revoked_at=timezone.now(), last_used_at=timezone.now() - timedelta(minutes=5)
    )
    key = tokens._token_key(tokens._hash(raw))
    entry = tokens.cache.get(key)
    tokens.cache.set(key, {**entry, "touched": timezone.now() - timedelta(minutes=5)}, 30)
    assert user_for_token(raw) is None


def test_deleted_token_is_refused(org):
    token, raw = token_create(user=org.rep)
    assert user_for_token(raw) is not None
    token.delete()
    assert user_for_token(raw) is None


def test_expired_token_is_refused_although_cached(org, monkeypatch):
    _token, raw = token_create(user=org.rep, days=1)
    assert user_for_token(raw) is not None
    later = timezone.now() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(tokens.timezone, "now", lambda: later)
    assert user_for_token(raw) is None


def test_password_change_refuses_the_cached_token(org):
    _token, raw = token_create(user=org.rep)
    assert user_for_token(raw) is not None
    user_update(actor=org.admin, user=org.rep, changes={}, password="An0ther-long-passphrase")
    assert user_for_token(raw) is None


def test_deactivation_refuses_the_cached_token(org):
    _token, raw = token_create(user=org.peer_rep)
    assert user_for_token(raw) is not None
    user_update(actor=org.admin, user=org.peer_rep, changes={"is_active": False})
    assert user_for_token(raw) is None


def test_deactivation_by_a_plain_save_refuses_the_cached_token(org):
    _token, raw = token_create(user=org.peer_rep)
    assert user_for_token(raw) is not None
    org.peer_rep.is_active = False
    org.peer_rep.save(update_fields=["is_active"])
    assert user_for_token(raw) is None


def test_role_change_reaches_the_cached_user(org):
    _token, raw = token_create(user=org.rep)
    assert user_for_token(raw).role_slugs == {Role.REP}
    user_set_roles(user=org.rep, roles=[Role.MANAGER], actor=org.admin)
    user = user_for_token(raw)
    assert user.role_slugs == {Role.MANAGER}
    assert scope_for(user).team_path == org.east_ka.path


def test_team_change_of_the_user_reaches_the_cached_user(org):
    _token, raw = token_create(user=org.manager)
    assert user_for_token(raw).team_id == org.east_ka.pk
    user_update(actor=org.admin, user=org.manager, changes={"team": org.north_ka})
    user = user_for_token(raw)
    assert user.team_id == org.north_ka.pk and scope_for(user).team_path == org.north_ka.path


def test_moving_a_team_reaches_the_cached_managers_scope(org):
    _token, raw = token_create(user=org.manager)
    before = scope_for(user_for_token(raw)).team_path
    team_update(
        user=org.admin,
        team=org.east_ka,
        expected_version=org.east_ka.version,
        changes={"parent": org.north_ka},
    )
    after = scope_for(user_for_token(raw)).team_path
    assert before != after and after.startswith(org.north_ka.path)


def test_a_change_racing_the_fill_outvotes_the_entry(org, monkeypatch):
    """A role change that lands between the token's read and the cache fill: the entry was
    filled under the old stamp, so it is not trusted afterwards."""
    _token, raw = token_create(user=org.rep)
    stamps = tokens._stamps

    def stamps_then_change(user_id):
        found = stamps(user_id)
        tokens.forget_user(user_id)  # the change commits right after the stamps were read
        return found

    monkeypatch.setattr(tokens, "_stamps", stamps_then_change)
    assert user_for_token(raw) is not None
    monkeypatch.setattr(tokens, "_stamps", stamps)
    org.rep.role_links.all().delete()
    user_for_token(raw)  # must come from the database, not the outvoted entry
    assert user_for_token(raw).role_slugs == frozenset()


@pytest.mark.parametrize("seconds", [0])
def test_cache_can_be_turned_off(org, settings, django_assert_num_queries, seconds):
    settings.WUWEI_TOKEN_CACHE_SECONDS = seconds
    _token, raw = token_create(user=org.rep)
    user_for_token(raw)
    with django_assert_num_queries(1):
        assert user_for_token(raw) is not None
