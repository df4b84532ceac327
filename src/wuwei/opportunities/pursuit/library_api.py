"""/competitive-tactics (API.md): the competitive strategies' tactics library (§4.7), seeded
and editable by managers, executives and administrators; DELETE archives."""

from typing import Any

from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema, expected_version, reject_nulls
from wuwei.core.pagination import keyset_page
from wuwei.opportunities.models import CompetitiveStrategy
from wuwei.opportunities.pursuit import selectors, services

library_router = Router(tags=["competitive tactics"])


class CompetitiveTacticOut(Schema):
    id: int
    strategy: str
    title: str
    description: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    position: int
    version: int


class CompetitiveTacticList(Schema):
    items: list[CompetitiveTacticOut]
    next: str | None
    count: int | None = None


class CompetitiveTacticQuery(ListQuery):
    strategy: CompetitiveStrategy | None = None


class CompetitiveTacticIn(Schema):
    strategy: CompetitiveStrategy
    title_en: str = Field(min_length=1, max_length=200)
    title_zh: str = Field(min_length=1, max_length=200)
    description_en: str = Field("", max_length=5000)
    description_zh: str = Field("", max_length=5000)
    position: int = Field(0, ge=0, le=1000)


class CompetitiveTacticPatch(Schema):
    strategy: CompetitiveStrategy | None = None
    title_en: str | None = Field(None, min_length=1, max_length=200)
    title_zh: str | None = Field(None, min_length=1, max_length=200)
    description_en: str | None = Field(None, max_length=5000)
    description_zh: str | None = Field(None, max_length=5000)
    position: int | None = Field(None, ge=0, le=1000)
    version: int | None = None


@library_router.get("", response={200: CompetitiveTacticList, **ERRORS})
def library_list(request: AuthedRequest, query: Query[CompetitiveTacticQuery]) -> Any:
    qs = selectors.tactic_list(user=request.auth, strategy=query.strategy)
    return keyset_page(
        qs, sort="id", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@library_router.post("", response={201: CompetitiveTacticOut, **ERRORS})
def library_create(request: AuthedRequest, payload: CompetitiveTacticIn) -> Any:
    """Managers, executives and administrators edit the library."""
    return Status(201, services.competitive_tactic_create(user=request.auth, **payload.dict()))


@library_router.get("/{tactic_id}", response={200: CompetitiveTacticOut, **ERRORS})
def library_get(request: AuthedRequest, tactic_id: int) -> Any:
    return selectors.tactic_get(user=request.auth, id=tactic_id)


@library_router.patch("/{tactic_id}", response={200: CompetitiveTacticOut, **ERRORS})
def library_patch(request: AuthedRequest, tactic_id: int, payload: CompetitiveTacticPatch) -> Any:
    tactic = selectors.tactic_get(user=request.auth, id=tactic_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    return services.competitive_tactic_update(
        user=request.auth,
        tactic=tactic,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )


@library_router.delete("/{tactic_id}", response={200: CompetitiveTacticOut, **ERRORS})
def library_delete(request: AuthedRequest, tactic_id: int) -> Any:
    """Archive the tactic: it leaves the library; deals that adopted it keep their copy."""
    tactic = selectors.tactic_get(user=request.auth, id=tactic_id)
    return services.competitive_tactic_archive(user=request.auth, tactic=tactic)
