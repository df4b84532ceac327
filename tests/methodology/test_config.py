import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from wuwei.methodology.config import (
    ConfigError,
    ForecastConfig,
    GradingConfig,
    InteractionConfig,
    KaProfileConfig,
    MethodConfig,
    NineBoxCell,
    NineBoxConfig,
    OpportunityGradeConfig,
    PartnerConfig,
    PresalesConfig,
    RiskConfig,
    Thresholds,
    WinRateConfig,
)
from wuwei.methodology.enums import AccountClass, AccountStrategy, Level

DEFAULT = MethodConfig()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (DEFAULT.grading.revenue_weight, Decimal("0.40")),
        (DEFAULT.grading.potential_weight, Decimal("0.30")),
        (DEFAULT.grading.demonstration_weight, Decimal("0.15")),
        (DEFAULT.grading.can_win_deliver_weight, Decimal("0.15")),
        (DEFAULT.grading.default_thresholds, Thresholds(Decimal(80), Decimal(60), Decimal(40))),
        (DEFAULT.grading.industry_thresholds, {}),
        (DEFAULT.ninebox.high_cut, 67),
        (DEFAULT.ninebox.medium_cut, 34),
        (DEFAULT.ka_profile.regional_revenue_bar, Decimal(50_000_000)),
        (DEFAULT.opportunity_grade.a_min, Decimal(5_000_000)),
        (DEFAULT.opportunity_grade.b_min, Decimal(1_000_000)),
        (DEFAULT.opportunity_grade.c_min, Decimal(200_000)),
        (DEFAULT.win_rate.fit_weight, Decimal(1)),
        (DEFAULT.win_rate.closeness_weight, Decimal(1)),
        (DEFAULT.win_rate.top_n, 3),
        (DEFAULT.win_rate.competitors_in_formula, 2),
        (DEFAULT.win_rate.no_inside_source_factor, Decimal("0.7")),
        (DEFAULT.win_rate.change_event_points, 10),
        (DEFAULT.win_rate.reevaluate_days, 30),
        (DEFAULT.interaction.window_days, 180),
        (DEFAULT.interaction.deep_window_days, 90),
        (DEFAULT.interaction.occasional_min_activities, 1),
        (DEFAULT.interaction.multiple_min_activities, 3),
        (DEFAULT.interaction.deep_min_activities, 6),
        (DEFAULT.interaction.deep_kinds, ("executive_meeting", "site_visit", "workshop")),
        (DEFAULT.presales.budget_share_ab, Decimal("0.03")),
        (DEFAULT.presales.budget_share_cd, Decimal("0.015")),
        (DEFAULT.presales.budget_share_e, Decimal("0.015")),
        (DEFAULT.presales.weekly_capacity_percent, Decimal(100)),
        (DEFAULT.partner.protection_days, 90),
        (DEFAULT.forecast.commit_min, 70),
        (DEFAULT.forecast.best_case_min, 40),
        (DEFAULT.risk.close_date_window_days, 30),
        (DEFAULT.risk.idle_days, 14),
        (DEFAULT.risk.single_thread_min_contacts, 3),
        (DEFAULT.risk.win_rate_drop_points, 10),
    ],
)
def test_defaults_equal_method_md(value: object, expected: object) -> None:
    assert value == expected


@pytest.mark.parametrize(
    ("potential", "contribution", "cell"),
    [
        ("high", "high", ("A", "retain")),
        ("high", "medium", ("B", "retain")),
        ("high", "low", ("C", "grow")),
        ("medium", "high", ("A", "retain")),
        ("medium", "medium", ("B", "retain")),
        ("medium", "low", ("C", "grow")),
        ("low", "high", ("B", "retain")),
        ("low", "medium", ("D", None)),
        ("low", "low", ("D", None)),
    ],
)
def test_default_ninebox_matrix(
    potential: str, contribution: str, cell: tuple[str, str | None]
) -> None:
    found = DEFAULT.ninebox.matrix[Level(potential)][Level(contribution)]

    assert (found.account_class, found.strategy) == cell


def test_to_dict_is_json_safe_with_decimals_as_strings() -> None:
    data = DEFAULT.to_dict()
    loaded: Any = json.loads(json.dumps(data))

    assert loaded == data
    assert data["grading"] == {
        "revenue_weight": "0.40",
        "potential_weight": "0.30",
        "demonstration_weight": "0.15",
        "can_win_deliver_weight": "0.15",
        "default_thresholds": {"a": "80", "b": "60", "c": "40"},
        "industry_thresholds": {},
    }
    assert data["win_rate"] == {
        "fit_weight": "1",
        "closeness_weight": "1",
        "top_n": 3,
        "competitors_in_formula": 2,
        "no_inside_source_factor": "0.7",
        "change_event_points": 10,
        "reevaluate_days": 30,
    }
    assert loaded["interaction"]["deep_kinds"] == ["executive_meeting", "site_visit", "workshop"]
    assert loaded["ninebox"]["matrix"]["low"]["medium"] == {"account_class": "D", "strategy": None}
    assert loaded["ninebox"]["matrix"]["high"]["low"] == {"account_class": "C", "strategy": "grow"}
    assert list(data) == [
        "grading",
        "ninebox",
        "ka_profile",
        "opportunity_grade",
        "win_rate",
        "competitive_strategy",
        "interaction",
        "presales",
        "partner",
        "forecast",
        "risk",
    ]


def test_round_trip_keeps_every_value() -> None:
    custom = MethodConfig(
        grading=GradingConfig(
            revenue_weight=Decimal("0.5"),
            potential_weight=Decimal("0.2"),
            industry_thresholds={"retail": Thresholds(Decimal(70), Decimal("52.5"), Decimal(30))},
        ),
        ka_profile=KaProfileConfig(product_line_revenue_bars={"saas": Decimal(20_000_000)}),
        win_rate=WinRateConfig(top_n=4, no_inside_source_factor=Decimal("0.65")),
        interaction=InteractionConfig(deep_kinds=("workshop",)),
    )

    assert MethodConfig.from_dict(custom.to_dict()) == custom
    assert MethodConfig.from_dict(DEFAULT.to_dict()) == DEFAULT


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, DEFAULT),
        ({"grading": {}}, DEFAULT),
        ({"grading": None}, DEFAULT),
        (
            {"grading": {"revenue_weight": "0.5", "potential_weight": 0.2}},
            MethodConfig(
                grading=GradingConfig(
                    revenue_weight=Decimal("0.5"), potential_weight=Decimal("0.2")
                )
            ),
        ),
        # an industry's missing thresholds come from the default thresholds
        (
            {"grading": {"industry_thresholds": {"retail": {"a": 70}}}},
            MethodConfig(
                grading=GradingConfig(
                    industry_thresholds={
                        "retail": Thresholds(Decimal(70), Decimal(60), Decimal(40)),
                    }
                )
            ),
        ),
        (
            {"win_rate": {"top_n": 4, "no_inside_source_factor": 0.6}},
            MethodConfig(win_rate=WinRateConfig(top_n=4, no_inside_source_factor=Decimal("0.6"))),
        ),
        ({"win_rate": {"top_n": "4"}}, MethodConfig(win_rate=WinRateConfig(top_n=4))),
        (
            {
                "ninebox": {
                    "matrix": {"low": {"medium": {"account_class": "C", "strategy": "grow"}}}
                }
            },
            MethodConfig(
                ninebox=NineBoxConfig(
                    matrix={
                        **NineBoxConfig().matrix,
                        Level.LOW: {
                            Level.HIGH: NineBoxCell(AccountClass.B, AccountStrategy.RETAIN),
                            Level.MEDIUM: NineBoxCell(AccountClass.C, AccountStrategy.GROW),
                            Level.LOW: NineBoxCell(AccountClass.D, None),
                        },
                    }
                )
            ),
        ),
        (
            {"interaction": {"deep_kinds": ["site_visit"]}, "partner": {"protection_days": 60}},
            MethodConfig(
                interaction=InteractionConfig(deep_kinds=("site_visit",)),
                partner=PartnerConfig(protection_days=60),
            ),
        ),
    ],
)
def test_from_dict_fills_missing_keys_with_defaults(
    data: dict[str, object], expected: MethodConfig
) -> None:
    assert MethodConfig.from_dict(data) == expected


def test_from_dict_can_clear_a_ninebox_strategy() -> None:
    config = MethodConfig.from_dict({"ninebox": {"matrix": {"high": {"high": {"strategy": None}}}}})

    assert config.ninebox.matrix[Level.HIGH][Level.HIGH] == NineBoxCell(AccountClass.A, None)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"grading": {"revenue_weight": "abc"}}, [("grading.revenue_weight", "must be a number")]),
        (
            {"presales": {"budget_share_ab": "NaN"}},
            [("presales.budget_share_ab", "must be a number")],
        ),
        (
            {"presales": {"budget_share_ab": True}},
            [("presales.budget_share_ab", "must be a number")],
        ),
        ({"win_rate": {"top_n": 2.5}}, [("win_rate.top_n", "must be a whole number")]),
        ({"win_rate": {"top_n": True}}, [("win_rate.top_n", "must be a whole number")]),
        ({"bogus": 1}, [("bogus", "unknown setting")]),
        ({"risk": {"idle_day": 3}}, [("risk.idle_day", "unknown setting")]),
        ({"grading": 5}, [("grading", "must be an object")]),
        (
            {"grading": {"industry_thresholds": []}},
            [("grading.industry_thresholds", "must be an object")],
        ),
        (
            {"grading": {"industry_thresholds": {"retail": {"a": "x"}}}},
            [("grading.industry_thresholds.retail.a", "must be a number")],
        ),
        (
            {"ka_profile": {"product_line_revenue_bars": {"saas": "lots"}}},
            [("ka_profile.product_line_revenue_bars.saas", "must be a number")],
        ),
        (
            {"interaction": {"deep_kinds": "site_visit"}},
            [("interaction.deep_kinds", "must be a list of strings")],
        ),
        (
            {"ninebox": {"matrix": {"low": {"low": {"account_class": "E"}}}}},
            [("ninebox.matrix.low.low.account_class", "must be one of: A, B, C, D")],
        ),
        (
            {"ninebox": {"matrix": {"low": {"low": {"account_class": None}}}}},
            [("ninebox.matrix.low.low.account_class", "must not be null")],
        ),
        ({"ninebox": {"matrix": {"huge": {}}}}, [("ninebox.matrix.huge", "unknown setting")]),
        (
            {"forecast": {"commit_min": "high", "best_case_min": []}},
            [
                ("forecast.commit_min", "must be a whole number"),
                ("forecast.best_case_min", "must be a whole number"),
            ],
        ),
    ],
)
def test_from_dict_reports_every_bad_value(
    data: dict[str, object], errors: list[tuple[str, str]]
) -> None:
    with pytest.raises(ConfigError) as raised:
        MethodConfig.from_dict(data)

    assert raised.value.errors == errors


def test_default_configuration_is_valid() -> None:
    assert DEFAULT.check() == []
    DEFAULT.validate()


@pytest.mark.parametrize(
    ("config", "errors"),
    [
        (
            MethodConfig(grading=GradingConfig(revenue_weight=Decimal("0.50"))),
            [("grading.weights", "must sum to 1 (now 1.10)")],
        ),
        (
            MethodConfig(
                grading=GradingConfig(
                    potential_weight=Decimal("-0.05"), revenue_weight=Decimal("0.75")
                )
            ),
            [("grading.potential_weight", "must be between 0 and 1")],
        ),
        (
            MethodConfig(
                grading=GradingConfig(
                    default_thresholds=Thresholds(Decimal(60), Decimal(80), Decimal(40))
                )
            ),
            [("grading.default_thresholds", "must be descending: a > b > c")],
        ),
        (
            MethodConfig(
                grading=GradingConfig(
                    default_thresholds=Thresholds(Decimal(80), Decimal(40), Decimal(40))
                )
            ),
            [("grading.default_thresholds", "must be descending: a > b > c")],
        ),
        (
            MethodConfig(
                grading=GradingConfig(
                    default_thresholds=Thresholds(Decimal(120), Decimal(60), Decimal(40))
                )
            ),
            [("grading.default_thresholds.a", "must be between 0 and 100")],
        ),
        (
            MethodConfig(
                grading=GradingConfig(
                    industry_thresholds={
                        "retail": Thresholds(Decimal(50), Decimal(50), Decimal(40))
                    }
                )
            ),
            [("grading.industry_thresholds.retail", "must be descending: a > b > c")],
        ),
        (
            MethodConfig(ninebox=NineBoxConfig(high_cut=34, medium_cut=34)),
            [("ninebox.high_cut", "must be greater than medium_cut")],
        ),
        (
            MethodConfig(ninebox=NineBoxConfig(high_cut=101)),
            [("ninebox.high_cut", "must be between 0 and 100")],
        ),
        (
            MethodConfig(
                ninebox=NineBoxConfig(
                    matrix={
                        level: row
                        for level, row in NineBoxConfig().matrix.items()
                        if level != Level.LOW
                    }
                )
            ),
            [
                ("ninebox.matrix.low.high", "cell is missing"),
                ("ninebox.matrix.low.medium", "cell is missing"),
                ("ninebox.matrix.low.low", "cell is missing"),
            ],
        ),
        (
            MethodConfig(ka_profile=KaProfileConfig(regional_revenue_bar=Decimal(0))),
            [("ka_profile.regional_revenue_bar", "must be greater than 0")],
        ),
        (
            MethodConfig(opportunity_grade=OpportunityGradeConfig(b_min=Decimal(6_000_000))),
            [("opportunity_grade", "must be descending: a_min > b_min > c_min")],
        ),
        (
            MethodConfig(opportunity_grade=OpportunityGradeConfig(b_min=Decimal(5_000_000))),
            [("opportunity_grade", "must be descending: a_min > b_min > c_min")],
        ),
        (
            MethodConfig(opportunity_grade=OpportunityGradeConfig(c_min=Decimal(1_000_000))),
            [("opportunity_grade", "must be descending: a_min > b_min > c_min")],
        ),
        (
            MethodConfig(opportunity_grade=OpportunityGradeConfig(c_min=Decimal(0))),
            [("opportunity_grade.c_min", "must be greater than 0")],
        ),
        (
            MethodConfig(win_rate=WinRateConfig(no_inside_source_factor=Decimal("1.2"))),
            [("win_rate.no_inside_source_factor", "must be between 0 and 1")],
        ),
        (MethodConfig(win_rate=WinRateConfig(top_n=0)), [("win_rate.top_n", "must be at least 1")]),
        (
            MethodConfig(
                win_rate=WinRateConfig(fit_weight=Decimal(0), closeness_weight=Decimal(0))
            ),
            [("win_rate.weights", "at least one weight must be above 0")],
        ),
        (
            MethodConfig(interaction=InteractionConfig(multiple_min_activities=1)),
            [
                (
                    "interaction.multiple_min_activities",
                    "must be greater than occasional_min_activities",
                )
            ],
        ),
        (
            MethodConfig(interaction=InteractionConfig(deep_min_activities=3)),
            [("interaction.deep_min_activities", "must be greater than multiple_min_activities")],
        ),
        (
            MethodConfig(interaction=InteractionConfig(deep_window_days=200)),
            [("interaction.deep_window_days", "must be between 1 and 180")],
        ),
        (
            MethodConfig(presales=PresalesConfig(budget_share_ab=Decimal("1.5"))),
            [("presales.budget_share_ab", "must be between 0 and 1")],
        ),
        (
            MethodConfig(partner=PartnerConfig(protection_days=0)),
            [("partner.protection_days", "must be at least 1")],
        ),
        (
            MethodConfig(forecast=ForecastConfig(commit_min=40)),
            [("forecast.commit_min", "must be greater than best_case_min")],
        ),
        (MethodConfig(risk=RiskConfig(idle_days=0)), [("risk.idle_days", "must be at least 1")]),
    ],
)
def test_validate_lists_every_violation(
    config: MethodConfig, errors: list[tuple[str, str]]
) -> None:
    assert config.check() == errors
    with pytest.raises(ConfigError) as raised:
        config.validate()
    assert raised.value.errors == errors


@pytest.mark.parametrize(
    "config",
    [
        MethodConfig(
            grading=GradingConfig(
                default_thresholds=Thresholds(Decimal(100), Decimal(50), Decimal(0))
            )
        ),
        MethodConfig(
            grading=GradingConfig(
                revenue_weight=Decimal(1),
                potential_weight=Decimal(0),
                demonstration_weight=Decimal(0),
                can_win_deliver_weight=Decimal(0),
            )
        ),
        MethodConfig(ninebox=NineBoxConfig(high_cut=100, medium_cut=0)),
        MethodConfig(
            presales=PresalesConfig(budget_share_ab=Decimal(1), budget_share_cd=Decimal(0))
        ),
        MethodConfig(win_rate=WinRateConfig(no_inside_source_factor=Decimal(1))),
        MethodConfig(
            win_rate=WinRateConfig(no_inside_source_factor=Decimal(0), fit_weight=Decimal(0))
        ),
        MethodConfig(win_rate=WinRateConfig(change_event_points=100)),
        MethodConfig(forecast=ForecastConfig(commit_min=100, best_case_min=0)),
        MethodConfig(interaction=InteractionConfig(deep_window_days=180)),
        MethodConfig(partner=PartnerConfig(protection_days=1)),
    ],
)
def test_validate_accepts_values_on_the_limits(config: MethodConfig) -> None:
    assert config.check() == []


def test_config_error_message_names_the_fields() -> None:
    config = replace(DEFAULT, forecast=ForecastConfig(commit_min=40), partner=PartnerConfig(0))

    with pytest.raises(
        ConfigError,
        match=r"^partner\.protection_days: must be at least 1; "
        r"forecast\.commit_min: must be greater",
    ):
        config.validate()
