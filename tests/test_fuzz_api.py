"""Schemathesis over every operation of /api/v1/openapi.json (API.md "The OpenAPI document is
the contract"): no input gets a 5xx, and every response matches the documented status codes,
content type and schema.

The bounded pass runs in `make test` (a few examples per operation); `make fuzz` runs the deep
pass (the coverage phase plus WUWEI_FUZZ_EXAMPLES=100 per operation, as an administrator and
as a rep: ≥ 10k cases). The data is
the demo organisation, so the ids the fuzzer sends usually exist and the operations get past
their lookups."""

import os
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import build_org
from tests.world import build_world
from wuwei.api import api
from wuwei.org.models import User
from wuwei.org.tokens import token_create

EXAMPLES = int(os.environ.get("WUWEI_FUZZ_EXAMPLES", "4"))
FUZZ_USERS = os.environ.get("WUWEI_FUZZ_USERS", "admin").split(",")
DEMO = os.environ.get("WUWEI_FUZZ_DEMO") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

#: The coverage phase sends every boundary and negative case the schema defines (thousands);
#: the deep pass runs it, the bounded pass in `make test` only generates EXAMPLES per operation.
COVERAGE = os.environ.get("WUWEI_FUZZ_COVERAGE", "0") == "1"
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"), config=CONFIG
)
schema.app = WSGIHandler()

#: Existing ids by path parameter name, filled from the demo data once per module.
KNOWN_IDS: dict[str, list[int]] = {}
#: Cases sent, counted for the report at the end of the module.
SENT = {"cases": 0}


def _ids_by_parameter() -> dict[str, list[int]]:
    """Path parameter name → ids of demo rows, from the models the routers look them up in."""
    from django.apps import apps

    by_model = {m._meta.model_name: m for m in apps.get_models()}
    aliases = {
        "opportunity": "opportunity",
        "account": "account",
        "contact": "contact",
        "user": "user",
        "team": "team",
        "request": "presalesrequest",
        "resource": "resource",
        "assignment": "assignment",
    }
    found: dict[str, list[int]] = {}
    for name in _path_parameter_names():
        base = name.removesuffix("_id")
        model = by_model.get(aliases.get(base, base)) or by_model.get(base.replace("_", ""))
        if model is None:
            continue
        found[name] = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:5])
    return found


def _path_parameter_names() -> set[str]:
    names: set[str] = set()
    for operations in schema.raw_schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    names.add(parameter["name"])
    return names


@schema.hook("flatmap_path_parameters")
def existing_ids(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Mostly ids that exist (so the operation runs), sometimes the fuzzer's own."""
    if not path_parameters:
        return st.just(path_parameters)
    strategies = {}
    for name, value in path_parameters.items():
        known = KNOWN_IDS.get(name)
        strategies[name] = (
            st.one_of(st.sampled_from(known), st.just(value)) if known else st.just(value)
        )
    return st.fixed_dictionaries(strategies)


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """One record of every kind (tests/world.py), plus the whole demo organisation in the
    deep pass; created once for the module and rolled back after it."""
    # Django's handler closes the connection after each request; inside a test transaction
    # that would end the test's data (the test client disconnects these the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(build_org())
        if DEMO:
            call_command("demo", verbosity=0)
        KNOWN_IDS.update(_ids_by_parameter())
        for name, pk in world.ids.items():
            KNOWN_IDS[name] = [pk, *KNOWN_IDS.get(name, [])]
        tokens = {}
        for username in FUZZ_USERS:
            _token, raw = token_create(user=User.objects.get(username=username))
            tokens[username] = raw
        yield tokens
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    print(f"\nschemathesis: {SENT['cases']} cases sent")


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("username", FUZZ_USERS)
def test_every_operation_keeps_its_contract(
    case: Any, username: str, demo_world: Any, db: Any
) -> None:
    SENT["cases"] += 1
    headers = {"Authorization": f"Bearer {demo_world[username]}", "Accept-Language": "en"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
