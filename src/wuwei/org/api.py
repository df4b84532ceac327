"""Organisation API: tokens, the caller, teams and users (admin writes)."""

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema, expected_version, visible_ref
from wuwei.core.errors import NotAllowed, NotFound
from wuwei.core.pagination import keyset_page
from wuwei.core.visibility import get_visible, visible
from wuwei.org import services
from wuwei.org.handover import handover_pending, handover_run, may_hand_over
from wuwei.org.models import (
    ApiToken,
    HandoverReason,
    HandoverRecord,
    Segment,
    Team,
    TeamKind,
    User,
)
from wuwei.org.permissions import Action, require
from wuwei.org.tokens import MAX_DAYS, token_create, token_revoke
from wuwei.org.twofactor import confirmed_device, device_verify

router = Router(tags=["organisation"])


def require_admin(user: User) -> None:
    require(user, Action.ORG_MANAGE)


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100)
    # Lifetime; the installation's default (WUWEI_TOKEN_DAYS, 90) when left out.
    days: int | None = Field(None, ge=1, le=MAX_DAYS)
    # The current code of the user's authenticator app, when they turned two-factor on.
    otp: str | None = Field(None, max_length=10)


class TokenOut(Schema):
    token: str
    expires_at: datetime | None


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenList(Schema):
    items: list[TokenInfo]
    next: str | None
    count: int | None = None


@router.post("/auth/token", auth=None, response={200: TokenOut, **ERRORS})
def auth_token(request: AuthedRequest, payload: TokenIn) -> Any:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        if getattr(request, "axes_locked_out", False):
            raise HttpError(429, _("Too many failed login attempts. Try again in 15 minutes."))
        raise HttpError(401, _("Wrong username or password."))
    device = confirmed_device(user)
    if device is not None and not device_verify(user, device, payload.otp or ""):
        raise HttpError(401, _("Send the current code of your authenticator app as 'otp'."))
    token, raw = token_create(user=user, name=payload.name or "api", days=payload.days)
    return {"token": raw, "expires_at": token.expires_at}


@router.get("/auth/tokens", response={200: TokenList, **ERRORS})
def token_list(request: AuthedRequest, query: Query[ListQuery]) -> Any:
    """The caller's own tokens, newest first (revoked and expired ones included)."""
    return keyset_page(
        ApiToken.objects.filter(user=request.auth),
        sort="-created_at",
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )


@router.delete("/auth/tokens/{token_id}", response={204: None, **ERRORS})
def token_delete(request: AuthedRequest, token_id: int) -> Any:
    token = ApiToken.objects.filter(user=request.auth, pk=token_id).first()
    if token is None:
        raise NotFound(_("Not found."))
    token_revoke(token=token, actor=request.auth)
    return Status(204, None)


class TeamRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    roles: list[str]
    team: TeamRef | None
    teams: list[TeamRef]


@router.get("/me", response=MeOut)
def me(request: AuthedRequest) -> Any:
    user: User = request.auth
    team_chain: list[Team] = []
    if user.team is not None:
        ids = [int(p) for p in user.team.path.strip("/").split("/") if p]
        by_id = {t.pk: t for t in Team.objects.filter(pk__in=ids)}
        team_chain = [by_id[i] for i in ids if i in by_id]
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "email": user.email,
        "roles": sorted(user.role_slugs),
        "team": user.team,
        "teams": team_chain,
    }


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    segment: str
    parent: int | None = Field(None, alias="parent_id")
    version: int


class TeamIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: TeamKind
    segment: Segment | None = None
    parent: int | None = None


class TeamPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: TeamKind | None = None
    segment: Segment | None = None
    parent: int | None = None
    version: int | None = None


class TeamList(Schema):
    items: list[TeamOut]
    next: str | None
    count: int | None = None


class TeamFilters(ListQuery):
    kind: TeamKind | None = None
    parent: int | None = None
    q: str | None = Field(None, max_length=100)


@router.get("/teams", response={200: TeamList, **ERRORS})
def team_list(request: AuthedRequest, filters: Query[TeamFilters]) -> Any:
    qs = visible(Team, request.auth).filter(archived_at__isnull=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return keyset_page(qs, limit=filters.limit, cursor=filters.cursor, with_count=filters.count)


def _team_ref(user: User, team_id: int | None, field: str) -> Team | None:
    return None if team_id is None else visible_ref(user, Team, team_id, field)


@router.post("/teams", response={201: TeamOut, **ERRORS})
def team_create(request: AuthedRequest, payload: TeamIn) -> Any:
    require_admin(request.auth)
    team = services.team_create(
        user=request.auth,
        name=payload.name,
        kind=payload.kind,
        parent=_team_ref(request.auth, payload.parent, "parent"),
        segment=payload.segment or "",
    )
    return Status(201, team)


@router.get("/teams/{team_id}", response={200: TeamOut, **ERRORS})
def team_get(request: AuthedRequest, team_id: int) -> Any:
    return get_visible(Team, request.auth, pk=team_id)


@router.patch("/teams/{team_id}", response={200: TeamOut, **ERRORS})
def team_patch(request: AuthedRequest, team_id: int, payload: TeamPatch) -> Any:
    team = get_visible(Team, request.auth, pk=team_id)
    require_admin(request.auth)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if "parent" in changes:
        changes["parent"] = _team_ref(request.auth, changes["parent"], "parent")
    if "segment" in changes:
        changes["segment"] = changes["segment"] or ""
    return services.team_update(
        user=request.auth,
        team=team,
        expected_version=expected_version(request, payload.version),
        changes=changes,
    )


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    is_active: bool
    roles: list[str]
    team: int | None = Field(None, alias="team_id")

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(link.role for link in obj.role_links.all())


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)
    display_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    roles: list[str] = []
    team: int | None = None


class UserPatch(Schema):
    password: str | None = Field(None, min_length=1, max_length=4096)
    display_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    roles: list[str] | None = None
    team: int | None = None
    is_active: bool | None = None
    # Deactivating (is_active=false) or moving team with a successor runs a handover
    # (METHOD.md §3.5) first, in the same transaction; deactivating someone who still owns
    # records without one is refused with 409.
    successor: int | None = None
    successors: dict[str, int] = {}
    handover_note: str = Field("", max_length=2000)


class UserList(Schema):
    items: list[UserOut]
    next: str | None
    count: int | None = None


class UserFilters(ListQuery):
    team: int | None = None
    role: str | None = Field(None, max_length=20)
    q: str | None = Field(None, max_length=100)


def _users(user: User) -> Any:
    return visible(User, user).prefetch_related("role_links")


@router.get("/users", response={200: UserList, **ERRORS})
def user_list(request: AuthedRequest, filters: Query[UserFilters]) -> Any:
    qs = _users(request.auth)
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    if filters.role:
        qs = qs.filter(role_links__role=filters.role)
    if filters.q:
        qs = qs.filter(username__icontains=filters.q) | qs.filter(display_name__icontains=filters.q)
    return keyset_page(
        qs, sort="username", limit=filters.limit, cursor=filters.cursor, with_count=filters.count
    )


@router.post("/users", response={201: UserOut, **ERRORS})
def user_create(request: AuthedRequest, payload: UserIn) -> Any:
    require_admin(request.auth)
    user = services.user_create(
        username=payload.username,
        password=payload.password,
        roles=payload.roles,
        team=_team_ref(request.auth, payload.team, "team"),
        display_name=payload.display_name,
        email=payload.email,
        actor=request.auth,
    )
    return Status(201, _users(request.auth).get(pk=user.pk))


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS})
def user_get(request: AuthedRequest, user_id: int) -> Any:
    return get_visible(_users(request.auth), request.auth, pk=user_id)


def _successors(user: User, payload: "UserPatch | HandoverIn") -> tuple[Any, dict[str, Any]]:
    default = (
        None
        if payload.successor is None
        else visible_ref(user, User, payload.successor, "successor")
    )
    named = {
        key: visible_ref(user, User, pk, f"successors.{key}")
        for key, pk in payload.successors.items()
    }
    return default, named


@router.patch("/users/{user_id}", response={200: UserOut, **ERRORS})
@transaction.atomic
def user_patch(request: AuthedRequest, user_id: int, payload: UserPatch) -> Any:
    target = get_visible(User, request.auth, pk=user_id)
    require_admin(request.auth)
    changes = payload.dict(
        exclude_unset=True,
        exclude={"roles", "password", "successor", "successors", "handover_note"},
    )
    if "team" in changes:
        changes["team"] = _team_ref(request.auth, changes["team"], "team")
    if payload.successor is not None or payload.successors:
        default, named = _successors(request.auth, payload)
        deactivate = changes.get("is_active") is False and target.is_active
        new_team = changes.get("team") if changes.get("team") != target.team else None
        handover_run(
            actor=request.auth,
            user=target,
            reason=HandoverReason.DEACTIVATION if deactivate else HandoverReason.TERRITORY_CHANGE,
            default_successor=default,
            successors=named,
            note=payload.handover_note,
            deactivate=deactivate,
            new_team=new_team,
        )
        target.refresh_from_db()
    services.user_update(
        actor=request.auth,
        user=target,
        changes=changes,
        roles=payload.roles,
        password=payload.password,
    )
    return _users(request.auth).get(pk=target.pk)


class PendingOut(Schema):
    key: str
    label: str
    count: int


class HandoverPreviewOut(Schema):
    """What a handover of the user would move: one entry per registered handover step, in
    the order the steps run (zero counts included). A fixed-size document, not a collection:
    the steps are the registry's, not rows to page through."""

    steps: list[PendingOut]


class HandoverIn(Schema):
    reason: HandoverReason
    successor: int | None = None
    successors: dict[str, int] = {}
    note: str = Field("", max_length=2000)
    deactivate: bool = False
    team: int | None = None


class HandoverOut(Schema):
    id: int
    user: int = Field(alias="user_id")
    performed_by: int = Field(alias="performed_by_id")
    performed_at: datetime
    reason: str
    note: str
    deactivated: bool
    details: dict[str, Any]


class HandoverList(Schema):
    items: list[HandoverOut]
    next: str | None
    count: int | None = None


def _require_may_hand_over(actor: User, user: User) -> None:
    if not may_hand_over(actor, user):
        raise NotAllowed(_("Only an administrator or the user's manager can run a handover."))


@router.get("/users/{user_id}/handover", response={200: HandoverPreviewOut, **ERRORS})
def handover_preview(request: AuthedRequest, user_id: int) -> Any:
    """What the user still owns, per handover step (`steps`)."""
    target = get_visible(User, request.auth, pk=user_id)
    _require_may_hand_over(request.auth, target)
    return {"steps": handover_pending(target)}


@router.post("/users/{user_id}/handover", response={201: HandoverOut, **ERRORS})
def handover_post(request: AuthedRequest, user_id: int, payload: HandoverIn) -> Any:
    """Hand everything over to named successors (one default and/or one per step key)."""
    target = get_visible(User, request.auth, pk=user_id)
    _require_may_hand_over(request.auth, target)
    default, named = _successors(request.auth, payload)
    record = handover_run(
        actor=request.auth,
        user=target,
        reason=payload.reason,
        default_successor=default,
        successors=named,
        note=payload.note,
        deactivate=payload.deactivate,
        new_team=_team_ref(request.auth, payload.team, "team"),
    )
    return Status(201, record)


class HandoverFilters(ListQuery):
    user: int | None = None


@router.get("/handovers", response={200: HandoverList, **ERRORS})
def handover_list(request: AuthedRequest, filters: Query[HandoverFilters]) -> Any:
    """The audit trail of handovers (administrators)."""
    require_admin(request.auth)
    qs = HandoverRecord.objects.all()
    if filters.user:
        qs = qs.filter(user_id=filters.user)
    return keyset_page(
        qs,
        sort="-performed_at",
        limit=filters.limit,
        cursor=filters.cursor,
        with_count=filters.count,
    )
