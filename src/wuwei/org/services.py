"""Organisation writes: teams (kept as a materialised-path tree) and users with roles."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.audit import audit_record, set_change
from wuwei.core.errors import ValidationFailed
from wuwei.core.models import AuditAction
from wuwei.org.models import Role, Team, User, UserRole
from wuwei.org.tokens import forget_user, tokens_revoke_all


def _path_for(team: Team) -> str:
    parent_path = team.parent.path if team.parent_id and team.parent else "/"
    return f"{parent_path}{team.pk}/"


@transaction.atomic
def team_create(
    *, user: User | None, name: str, kind: str, parent: Team | None = None, segment: str = ""
) -> Team:
    team = Team(name=name, kind=kind, parent=parent, segment=segment)
    core_services.save_new(team, user=user)
    team.path = _path_for(team)
    Team.objects.filter(pk=team.pk).update(path=team.path)
    return team


@transaction.atomic
def team_update(
    *, user: User, team: Team, expected_version: int | None, changes: dict[str, Any]
) -> Team:
    new_parent = changes.get("parent", team.parent)
    if new_parent is not None and new_parent.path.startswith(team.path):
        raise ValidationFailed(
            _("A team cannot be moved under itself or one of its sub-teams."),
            [("parent", _("would create a cycle"))],
        )
    old_path = team.path
    team = core_services.update_fields(
        team, user=user, changes=changes, expected_version=expected_version
    )
    new_path = _path_for(team)
    if new_path != old_path:
        # Re-root the whole subtree: every descendant's path keeps its tail.
        for node in Team.objects.filter(path__startswith=old_path).select_for_update():
            node.path = new_path + node.path[len(old_path) :]
            node.save(update_fields=["path"])
        team.refresh_from_db()
    return team


def _validate_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationFailed(
            _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)},
            [("roles", _("choose from %(choices)s") % {"choices": ", ".join(Role.values)})],
        )
    return roles


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], actor: User | None = None) -> None:
    """Set the user's roles; a change is one audit event with the old and new role sets."""
    wanted = set(_validate_roles(roles))
    existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    if wanted == existing:
        return
    UserRole.objects.filter(user=user).exclude(role__in=wanted).delete()
    UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in sorted(wanted - existing))
    forget_user(user.pk)  # bulk_create sends no signal: cached tokens must learn the roles
    user.__dict__.pop("role_slugs", None)
    user.__dict__.pop("_wuwei_scope", None)
    audit_record(
        action=AuditAction.ROLES_CHANGED,
        actor=actor,
        target=user,
        changes={"roles": set_change(existing, wanted)},
    )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("The password is not strong enough."), [("password", m) for m in exc.messages]
        ) from None


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    roles: Iterable[str] = (),
    team: Team | None = None,
    display_name: str = "",
    email: str = "",
    is_superuser: bool = False,
    validate: bool = True,
    actor: User | None = None,
) -> User:
    roles = _validate_roles(roles)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            _("A user with this username already exists."), [("username", _("taken"))]
        )
    user = User(
        username=username,
        team=team,
        display_name=display_name,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser or Role.ADMIN in roles,
    )
    if password:
        if validate:
            _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    core_services.full_clean_or_fail(user, exclude=["password"])
    core_services.attribute(user, user=actor)
    user.save()
    audit_record(
        action=AuditAction.USER_CREATED,
        actor=actor,
        target=user,
        changes={"team": [None, user.team_id], "is_superuser": [None, is_superuser]},
    )
    user_set_roles(user=user, roles=roles, actor=actor)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    changes: dict[str, Any],
    roles: Iterable[str] | None = None,
    password: str | None = None,
) -> User:
    if changes.get("is_active") is False and user.is_active:
        # Nothing may be left owned by an inactive user (METHOD.md §3.5).
        from wuwei.org.handover import require_nothing_owned

        require_nothing_owned(user)
    before = {field: _audit_value(getattr(user, field)) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    if password:
        _check_password(password, user)
        user.set_password(password)
    if roles is not None:
        roles = _validate_roles(roles)
        user.is_staff = user.is_superuser or Role.ADMIN in roles
    core_services.full_clean_or_fail(user, exclude=["password"])
    core_services.attribute(user, user=actor)
    user.save()
    _audit_user_changes(actor, user, before)
    if password:
        user_password_changed(user=user, actor=actor)
    if roles is not None:
        user_set_roles(user=user, roles=roles, actor=actor)
    return user


def _audit_value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _audit_user_changes(actor: User | None, user: User, before: dict[str, Any]) -> None:
    after = {field: _audit_value(getattr(user, field)) for field in before}
    changed = {f: [before[f], after[f]] for f in before if before[f] != after[f]}
    team = changed.pop("team", None)
    if team is not None:
        audit_record(
            action=AuditAction.TEAM_CHANGED, actor=actor, target=user, changes={"team": team}
        )
    if changed:
        audit_record(action=AuditAction.USER_CHANGED, actor=actor, target=user, changes=changed)
    if changed.get("is_active") == [True, False]:
        tokens_revoke_all(user=user, actor=actor, reason="deactivated")


def user_password_changed(*, user: User, actor: User | None) -> None:
    """After any password change: the audit event, and every API token revoked (a token made
    with the old password must not outlive it)."""
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=actor, target=user)
    tokens_revoke_all(user=user, actor=actor, reason="password changed")
