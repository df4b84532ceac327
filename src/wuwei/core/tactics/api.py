"""The one tactics-library router: GET list, POST, [GET one], PATCH, DELETE (archives).

`tactics_router(...)` builds it for one library, with that library's strategies as the
`strategy` enum and its own schema names (OpenAPI names stay unique) and operation ids."""

from collections.abc import Callable, Mapping
from types import GenericAlias
from typing import Any

from django.db import models
from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema, expected_version, reject_nulls
from wuwei.core.pagination import keyset_page
from wuwei.core.tactics.services import TacticLibrary


class TacticOutBase(Schema):
    id: int
    strategy: str
    title: str
    description: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    position: int
    version: int


class TacticListBase(Schema):
    items: list[TacticOutBase]
    next: str | None
    count: int | None = None


class TacticQueryBase(ListQuery):
    strategy: str | None = None


class TacticInBase(Schema):
    strategy: str
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    description_zh: str = Field("", max_length=5000)
    description_en: str = Field("", max_length=5000)
    position: int = Field(0, ge=0, le=1000)


class TacticPatchBase(Schema):
    strategy: str | None = None
    title_zh: str | None = Field(None, min_length=1, max_length=200)
    title_en: str | None = Field(None, min_length=1, max_length=200)
    description_zh: str | None = Field(None, max_length=5000)
    description_en: str | None = Field(None, max_length=5000)
    position: int | None = Field(None, ge=0, le=1000)
    version: int | None = None


def _schema(
    name: str, base: type[Schema], annotations: dict[str, Any], **defaults: Any
) -> type[Schema]:
    """`base` under its own name, with `annotations` overriding some field types (and
    `defaults` their defaults: an overridden field is required unless given one)."""
    attrs: dict[str, Any] = {"__module__": __name__, "__annotations__": annotations, **defaults}
    return type(name, (base,), attrs)


def _operation(func: Callable[..., Any], name: str, doc: str | None, **types: Any) -> None:
    """Name the view (ninja's summary), document it, and give its parameters their types."""
    func.__name__ = func.__qualname__ = name
    func.__doc__ = doc
    func.__annotations__.update(types)


def tactics_router(
    library: TacticLibrary[Any],
    *,
    strategies: type[models.TextChoices],
    schema_prefix: str,
    operation_module: str,
    name_prefix: str,
    tags: list[str],
    with_detail: bool = False,
    docs: Mapping[str, str] | None = None,
) -> Router:
    """The router of one library. Schemas are `<schema_prefix>Out/List/Query/In/Patch`; the
    operation ids `<operation_module>_<name_prefix>_<list|create|get|patch|delete>`;
    `with_detail` adds GET /{tactic_id}; `docs` gives an operation its description."""
    docs = docs or {}
    out = _schema(f"{schema_prefix}Out", TacticOutBase, {})
    page = _schema(f"{schema_prefix}List", TacticListBase, {"items": GenericAlias(list, (out,))})
    query = _schema(
        f"{schema_prefix}Query", TacticQueryBase, {"strategy": strategies | None}, strategy=None
    )
    create_in = _schema(f"{schema_prefix}In", TacticInBase, {"strategy": strategies})
    patch_in = _schema(
        f"{schema_prefix}Patch", TacticPatchBase, {"strategy": strategies | None}, strategy=None
    )
    router = Router(tags=tags)

    def route(method: str, path: str, status: int, response: Any, suffix: str) -> Any:
        name = f"{name_prefix}_{suffix}"

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            query_param: Any = Query  # Query[X] is Annotated[X, <query marker>] at runtime
            types = {
                "query": query_param[query],
                "payload": patch_in if suffix == "patch" else create_in,
            }
            _operation(
                func,
                name,
                docs.get(suffix),
                **{k: v for k, v in types.items() if k in func.__annotations__},
            )
            return router.api_operation(
                [method],
                path,
                response={status: response, **ERRORS},
                operation_id=f"{operation_module}_{name}",
            )(func)

        return register

    @route("GET", "", 200, page, "list")
    def list_(request: AuthedRequest, query: Query[TacticQueryBase]) -> Any:
        qs = library.list(user=request.auth, strategy=query.strategy)
        return keyset_page(
            qs, sort="id", limit=query.limit, cursor=query.cursor, with_count=query.count
        )

    @route("POST", "", 201, out, "create")
    def create(request: AuthedRequest, payload: TacticInBase) -> Any:
        return Status(201, library.create(user=request.auth, **payload.dict()))

    if with_detail:

        @route("GET", "/{tactic_id}", 200, out, "get")
        def get(request: AuthedRequest, tactic_id: int) -> Any:
            return library.get(user=request.auth, id=tactic_id)

    @route("PATCH", "/{tactic_id}", 200, out, "patch")
    def patch(request: AuthedRequest, tactic_id: int, payload: TacticPatchBase) -> Any:
        tactic = library.get(user=request.auth, id=tactic_id)
        changes = payload.dict(exclude_unset=True, exclude={"version"})
        reject_nulls(changes, tuple(changes))
        return library.update(
            user=request.auth,
            tactic=tactic,
            changes=changes,
            expected_version=expected_version(request, payload.version),
        )

    @route("DELETE", "/{tactic_id}", 200, out, "delete")
    def delete(request: AuthedRequest, tactic_id: int) -> Any:
        return library.archive(
            user=request.auth, tactic=library.get(user=request.auth, id=tactic_id)
        )

    return router
