"""The OpenAPI document is the contract (API.md): unique schema names, so every operation
documents its own request body, and every error status on every operation."""

import json
from collections import defaultdict

import ninja
import pytest

from wuwei.api import api


@pytest.fixture(scope="module")
def document():
    """The document as a client reads it (JSON: status codes are strings)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def test_schema_class_names_are_unique_across_routers():
    modules: dict[str, set[str]] = defaultdict(set)

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("wuwei."):
                modules[sub.__name__].add(sub.__module__)
            walk(sub)

    walk(ninja.Schema)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}


def _body_schema(document, method, path):
    operation = document["paths"][f"/api/v1{path}"][method]
    return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
        -1
    ]


@pytest.mark.parametrize(
    ("method", "path", "schema"),
    [
        ("post", "/activities", "ActivityIn"),
        ("post", "/conflicts/{conflict_id}/resolve", "ConflictDecisionIn"),
        ("post", "/conflicts/{conflict_id}/dismiss", "ConflictDecisionIn"),
        ("post", "/competitors/{competitor_id}/events", "CompetitorEventIn"),
        ("post", "/accounts/{account_id}/plans/{plan_id}/actions", "ActionIn"),
        ("post", "/accounts/{account_id}/plans/{plan_id}/tactics", "AdoptIn"),
        ("post", "/opportunities/{opportunity_id}/compelling-events", "CompellingEventIn"),
        ("post", "/opportunities/{opportunity_id}/tactics", "PursuitAdoptIn"),
        ("post", "/tactics", "TacticIn"),
        ("post", "/competitive-tactics", "CompetitiveTacticIn"),
    ],
)
def test_each_operation_documents_its_own_body(document, method, path, schema):
    assert _body_schema(document, method, path) == schema
    properties = document["components"]["schemas"][schema]["properties"]
    assert properties  # the component is the router's own, not a namesake's


def test_every_operation_documents_every_error_status(document):
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert len(statuses) == len(operation["responses"]), f"{method} {path}: duplicates"
            wanted = {"400", "403", "404", "409", "415", "422", "429"}
            if operation.get("security"):
                wanted.add("401")
            for status in sorted(wanted - statuses):
                missing.append(f"{method.upper()} {path}: {status}")
            for status in wanted & statuses:
                content = operation["responses"][status]["content"]["application/json"]
                # ErrorOut, or a documented extension of it (a stage move's 409 lists rules)
                options = content["schema"].get("anyOf", [content["schema"]])
                names = [o.get("$ref", "").rsplit("/", 1)[-1] for o in options]
                schemas = document["components"]["schemas"]
                if not all("detail" in schemas.get(n, {}).get("properties", {}) for n in names):
                    missing.append(f"{method.upper()} {path}: {status} is not ErrorOut")
    assert missing == []


#: Every GET of a collection answers {"items", "next"}. A GET that is a document rather than a
#: collection answers an object with a named field instead (never a bare array): the sales
#: process template (`{"stages"}`, the one configuration in force, edited as a whole), a user's
#: handover preview (`{"steps"}`, one entry per registered handover step) and a presales
#: request's proposals (`{"proposals"}`, a ranking computed for that request, capped by
#: `?limit` ≤ 50).


def test_every_list_uses_the_keyset_envelope(document):
    """A GET that answers an array is a bare list; lists are {"items", "next"} (the presales
    stage-owners, scores, credits and performance lists were bare arrays cut at 500)."""
    bare = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        ok = get["responses"].get("200", {})
        content = ok.get("content", {}).get("application/json", {})
        if content.get("schema", {}).get("type") == "array":
            bare.append(path)
    assert bare == []


def _operations():
    """(operation id, view function, body parameter classes) of every mounted operation."""
    for router in api._get_bound_routers():  # every mount, nested routers included
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                bodies = [
                    field.annotation
                    for model in operation.models
                    if getattr(model, "__ninja_param_source__", None) == "body"
                    for field in model.model_fields.values()
                ]
                operation_id = operation.operation_id or api.get_openapi_operation_id(operation)
                yield operation_id, operation.view_func, bodies


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_component_names_are_unique(document):
    """Two schema classes of one name would share one component (the second one's body
    documented as the first's): each component is the JSON schema of exactly one class."""
    classes: dict[str, set[type]] = defaultdict(set)
    for _id, _view, bodies in _operations():
        for body in bodies:
            classes[body.__name__].add(body)
    assert {name: found for name, found in classes.items() if len(found) > 1} == {}
    assert len(document["components"]["schemas"]) == len(set(document["components"]["schemas"]))


def test_every_request_body_is_the_operations_own(document):
    """Walk the whole document: each operation's requestBody is the schema of its function's
    body parameter (the same name and the same properties), and only such operations have one."""
    by_id = {op["operationId"]: op for ops in document["paths"].values() for op in ops.values()}
    schemas = document["components"]["schemas"]
    wrong = []
    for operation_id, view, bodies in _operations():
        operation = by_id[operation_id]
        documented = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if not bodies:
            if documented:
                wrong.append(f"{operation_id}: documents a body it does not take")
            continue
        assert len(bodies) == 1, f"{view.__name__}: one body parameter"
        name = documented["schema"].get("$ref", "").rsplit("/", 1)[-1] if documented else None
        if name != bodies[0].__name__:
            wrong.append(f"{operation_id}: documents {name}, takes {bodies[0].__name__}")
            continue
        own = set(bodies[0].model_json_schema(by_alias=True).get("properties", {}))
        if set(schemas[name].get("properties", {})) != own:
            wrong.append(f"{operation_id}: {name} has another class's properties")
    assert wrong == []
    assert len(by_id) == len(list(_operations()))  # every operation walked
