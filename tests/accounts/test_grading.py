"""Grading (§2.2), nine-box (§2.3) and strategy suggestion (§2.4) through the API."""

from decimal import Decimal

import pytest

from tests.accounts.factories import grade
from tests.factories import make_account
from wuwei.accounts.models import Account, AccountGrading
from wuwei.accounts.services import account_strategy_override, monitoring_record_create
from wuwei.core.models import MethodSettings

SCORES = {"revenue": 80, "potential": 70, "demonstration": 50, "can_win_deliver": 60}


def test_get_before_grading_has_nulls_and_the_rules_in_force(org, api):
    account = make_account(org.rep, industry="retail")
    body = api(org.rep).get(f"/accounts/{account.pk}/grading").json()
    assert (body["score"], body["grade"], body["ninebox"]) == (None, None, None)
    assert body["weights"] == {
        "revenue": "0.40",
        "potential": "0.30",
        "demonstration": "0.15",
        "can_win_deliver": "0.15",
    }
    assert body["thresholds"] == {"a": "80", "b": "60", "c": "40", "industry": None}
    assert body["suggested_strategy"] == "acquire"


def test_put_grades_and_returns_the_api_md_shape(org, api):
    account = make_account(org.rep, status="customer")
    response = api(org.rep).put(
        f"/accounts/{account.pk}/grading",
        {**SCORES, "justifications": {"revenue": "三年采购额", "nonsense": "ignored"}},
    )
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in SCORES} == SCORES
    # 80*.4 + 70*.3 + 50*.15 + 60*.15 = 69.50
    assert (body["score"], body["grade"]) == ("69.50", "B")
    assert body["ninebox"] == {"potential": "high", "contribution": "high", "class": "A"}
    assert body["suggested_strategy"] == "retain"
    assert body["justifications"] == {"revenue": "三年采购额"}
    assert [h["grade"] for h in body["history"]] == ["B"]
    account.refresh_from_db()
    assert (account.grade, account.account_class, account.strategy, account.version) == (
        "B",
        "A",
        "retain",
        2,
    )


def test_every_grading_is_kept_as_history(org, api):
    account = make_account(org.rep, status="customer")
    client = api(org.rep)
    client.put(f"/accounts/{account.pk}/grading", SCORES)
    client.put(f"/accounts/{account.pk}/grading", {**SCORES, "revenue": 10, "potential": 90})
    body = client.get(f"/accounts/{account.pk}/grading").json()
    assert [(h["grade"], h["class"]) for h in body["history"]] == [("C", "C"), ("B", "A")]
    assert body["suggested_strategy"] == "grow"
    assert AccountGrading.objects.filter(account=account).count() == 2


@pytest.mark.parametrize(
    ("potential", "revenue", "cls"),
    [
        (67, 67, "A"),
        (66, 67, "A"),
        (33, 67, "B"),
        (67, 34, "B"),
        (33, 34, "D"),
        (34, 33, "C"),
        (67, 33, "C"),
        (33, 33, "D"),
    ],
)
def test_nine_box_cut_points_through_the_api(org, api, potential, revenue, cls):
    account = make_account(org.rep)
    body = (
        api(org.rep)
        .put(
            f"/accounts/{account.pk}/grading",
            {**SCORES, "potential": potential, "revenue": revenue},
        )
        .json()
    )
    assert body["ninebox"]["class"] == cls


def test_per_industry_thresholds_apply(org, api):
    MethodSettings.objects.create(
        pk=1,
        data={"grading": {"industry_thresholds": {"retail": {"a": "70", "b": "50", "c": "30"}}}},
    )
    retail = make_account(org.rep, industry="retail")
    energy = make_account(org.rep, industry="energy")
    scores = dict.fromkeys(SCORES, 70)
    client = api(org.rep)
    assert client.put(f"/accounts/{retail.pk}/grading", scores).json()["grade"] == "A"
    assert client.put(f"/accounts/{energy.pk}/grading", scores).json()["grade"] == "B"
    assert client.get(f"/accounts/{retail.pk}/grading").json()["thresholds"]["industry"] == "retail"


def test_weights_that_do_not_sum_to_one_are_refused_and_nothing_changes(org, api):
    MethodSettings.objects.create(pk=1, data={"grading": {"revenue_weight": "0.50"}})
    account = make_account(org.rep)
    response = api(org.rep).put(f"/accounts/{account.pk}/grading", SCORES)
    assert response.status_code == 422
    assert "sum to 1" in response.json()["detail"]
    assert not AccountGrading.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {**SCORES, "revenue": 101},
        {**SCORES, "potential": -1},
        {"revenue": 1},
        {**SCORES, "demonstration": "x"},
    ],
)
def test_bad_scores_are_422(org, api, payload):
    account = make_account(org.rep)
    assert api(org.rep).put(f"/accounts/{account.pk}/grading", payload).status_code == 422
    assert not AccountGrading.objects.exists()


def test_grading_visibility(org, api):
    account = make_account(org.rep)
    assert api(None).get(f"/accounts/{account.pk}/grading").status_code == 401
    assert api(None).put(f"/accounts/{account.pk}/grading", SCORES).status_code == 401
    assert api(org.other_manager).get(f"/accounts/{account.pk}/grading").status_code == 404
    assert api(org.other_manager).put(f"/accounts/{account.pk}/grading", SCORES).status_code == 404
    assert api(org.presales).put(f"/accounts/{account.pk}/grading", SCORES).status_code == 404
    assert not AccountGrading.objects.exists()
    assert api(org.manager).put(f"/accounts/{account.pk}/grading", SCORES).status_code == 200


@pytest.mark.parametrize(
    ("status", "scores", "closeness", "strategy"),
    [
        ("lost", (90, 90, 90, 90), [], "wait_and_watch"),
        ("drifting", (90, 90, 90, 90), [], "win_back"),
        ("customer", (90, 90, 90, 90), ["60", "55", "50"], "win_back"),
        ("customer", (90, 90, 90, 90), ["50", "55", "50"], "retain"),
        ("prospect", (90, 90, 90, 90), [], "acquire"),
        ("customer", (10, 90, 50, 50), [], "grow"),
        ("customer", (90, 10, 50, 50), [], "retain"),
        ("customer", (50, 10, 50, 50), [], ""),
    ],
)
def test_strategy_suggestion_from_status_class_and_closeness(
    org, status, scores, closeness, strategy
):
    account = make_account(org.rep, status=status)
    for day, value in enumerate(closeness, start=1):
        monitoring_record_create(
            user=org.rep,
            account=account,
            recorded_on=f"2027-01-0{day}",
            importance=50,
            capability_fit=50,
            closeness=Decimal(value),
        )
    grade(account, scores)
    account.refresh_from_db()
    assert (account.strategy_suggested, account.strategy) == (strategy, strategy)


def test_strategy_override_needs_a_reason_and_survives_regrading(org, api):
    account = make_account(org.rep, status="customer")
    grade(account, (90, 90, 90, 90))
    account.refresh_from_db()
    client = api(org.rep)
    url = f"/accounts/{account.pk}/strategy"
    assert client.put(url, {"value": "grow", "version": account.version}).status_code == 422
    response = client.put(url, {"value": "grow", "reason": "new CIO", "version": account.version})
    assert response.status_code == 200
    assert (response.json()["strategy"], response.json()["strategy_suggested"]) == (
        "grow",
        "retain",
    )
    grade(Account.objects.get(pk=account.pk), (90, 90, 90, 90))
    account.refresh_from_db()
    assert (account.strategy, account.strategy_override_reason) == ("grow", "new CIO")
    back = client.put(url, {"value": None, "version": account.version}).json()
    assert (back["strategy"], back["strategy_overridden"]) == ("retain", False)


def test_stale_override_is_409(org):
    account = make_account(org.rep)
    from wuwei.core.errors import Conflict

    with pytest.raises(Conflict):
        account_strategy_override(
            user=org.rep, account=account, strategy="grow", reason="x", expected_version=7
        )
