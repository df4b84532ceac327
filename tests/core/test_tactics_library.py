"""One tactics library (issue 12 item 5): the account and the competitive tactics share one
model shape, one service, one API router factory and one editor page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wuwei.accounts import services as account_services
from wuwei.accounts.models import Tactic
from wuwei.accounts.views import TACTIC_PAGES
from wuwei.api import api
from wuwei.core.tactics.models import TacticBase
from wuwei.core.tactics.services import TacticLibrary
from wuwei.core.tactics.views import TacticLibraryPages
from wuwei.opportunities.models import CompetitiveTactic
from wuwei.pursuit import services as pursuit_services
from wuwei.pursuit.views import LIBRARY_PAGES


def test_both_libraries_are_one_implementation():
    assert issubclass(Tactic, TacticBase) and issubclass(CompetitiveTactic, TacticBase)
    assert (Tactic._meta.db_table, CompetitiveTactic._meta.db_table) == (
        "accounts_tactic",
        "opportunities_competitivetactic",
    )
    for library, model in (
        (account_services.ACCOUNT_TACTICS, Tactic),
        (pursuit_services.COMPETITIVE_TACTICS, CompetitiveTactic),
    ):
        assert isinstance(library, TacticLibrary) and library.model is model
    assert isinstance(TACTIC_PAGES, TacticLibraryPages)
    assert isinstance(LIBRARY_PAGES, TacticLibraryPages)


def test_chinese_text_falls_back_to_english_only_for_competitive_tactics(org):
    account = Tactic(strategy="grow", title_zh="标题", title_en="Title", description_en="Text")
    rival = CompetitiveTactic(
        strategy="defend", title_zh="标题", title_en="Title", description_en="Text"
    )
    with translation.override("zh-hans"):
        assert (account.title, account.description) == ("标题", "")
        assert (rival.title, rival.description) == ("标题", "Text")
    with translation.override("en"):
        assert (account.title, account.description) == ("Title", "Text")


@pytest.mark.parametrize(
    ("base", "model", "strategy"),
    [
        ("/accounts/tactics/", Tactic, "grow"),
        ("/opportunities/competitive-tactics/", CompetitiveTactic, "defend"),
    ],
)
def test_editor_pages_of_both_libraries(org, web, base, model, strategy):
    assert web(org.rep).get(f"{base}new/").status_code == 403  # the button is hidden too
    assert "tactic-new" not in web(org.rep).get(base).content.decode()
    manager = web(org.manager)
    assert "tactic-new" in manager.get(base).content.decode()
    fields = {"strategy": strategy, "title_en": "Health check", "title_zh": "健康检查"}
    assert manager.post(f"{base}new/", {**fields, "position": 3}).status_code == 302
    tactic = model.objects.get(title_en="Health check")
    stale = manager.post(f"{base}{tactic.pk}/", {**fields, "position": 4, "version": 9})
    assert stale.status_code == 200 and "version" in stale.content.decode()
    edited = manager.post(f"{base}{tactic.pk}/", {**fields, "position": 4, "version": 1})
    assert edited.status_code == 302
    tactic.refresh_from_db()
    assert (tactic.position, tactic.version) == (4, 2)
    assert web(org.rep).post(f"{base}{tactic.pk}/archive/").status_code == 403
    assert web(org.partner).get(f"{base}{tactic.pk}/").status_code == 404
    assert "Health check" not in web(org.partner).get(base).content.decode()
    manager = web(org.manager)  # one client: `web(user)` logs it in as that user
    assert manager.post(f"{base}{tactic.pk}/archive/").status_code == 302
    assert model.objects.get(pk=tactic.pk).archived_at is not None
    assert "Health check" not in web(org.manager).get(base).content.decode()


@pytest.mark.parametrize(
    ("url", "model", "strategy"),
    [
        ("/accounts/tactics/", Tactic, "grow"),
        ("/opportunities/competitive-tactics/", CompetitiveTactic, "defend"),
    ],
)
def test_library_page_queries_do_not_grow_with_rows(
    org, web, django_assert_num_queries, url, model, strategy
):
    client = web(org.manager)
    client.get(url)  # warm caches (method configuration, menus)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    model.objects.bulk_create(
        [model(strategy=strategy, title_en=f"T{i}", title_zh=f"战术{i}") for i in range(20)]
    )
    with django_assert_num_queries(len(captured.captured_queries)):
        assert client.get(url).status_code == 200


def test_library_apis_keep_their_paths_and_operation_ids():
    schema = api.get_openapi_schema()
    ids = {
        (method, path): op["operationId"]
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/v1/tactics", "/api/v1/competitive-tactics"))
        for method, op in ops.items()
    }
    assert ids == {
        ("get", "/api/v1/tactics"): "wuwei_accounts_api_plans_tactic_list",
        ("post", "/api/v1/tactics"): "wuwei_accounts_api_plans_tactic_create",
        ("patch", "/api/v1/tactics/{tactic_id}"): "wuwei_accounts_api_plans_tactic_patch",
        ("delete", "/api/v1/tactics/{tactic_id}"): "wuwei_accounts_api_plans_tactic_delete",
        (
            "get",
            "/api/v1/competitive-tactics",
        ): "wuwei_opportunities_pursuit_library_api_library_list",
        ("post", "/api/v1/competitive-tactics"): (
            "wuwei_opportunities_pursuit_library_api_library_create"
        ),
        ("get", "/api/v1/competitive-tactics/{tactic_id}"): (
            "wuwei_opportunities_pursuit_library_api_library_get"
        ),
        ("patch", "/api/v1/competitive-tactics/{tactic_id}"): (
            "wuwei_opportunities_pursuit_library_api_library_patch"
        ),
        ("delete", "/api/v1/competitive-tactics/{tactic_id}"): (
            "wuwei_opportunities_pursuit_library_api_library_delete"
        ),
    }
    names = schema["components"]["schemas"]
    assert {"TacticIn", "TacticPatch", "CompetitiveTacticIn", "CompetitiveTacticPatch"} <= set(
        names
    )
    assert names["TacticIn"]["properties"]["strategy"]["$ref"].endswith("/Strategy")
