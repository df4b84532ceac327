"""Configuration of the method. Every default equals METHOD.md; an administrator can change it.

`MethodConfig` holds one section per area. `to_dict()` gives JSON-safe data (Decimals as
strings), `MethodConfig.from_dict()` reads it back filling missing keys with the defaults (it
rejects unknown keys and values of the wrong type), and `validate()` checks the business
constraints. Both raise `ConfigError` listing every (field path, message) at once.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

from wuwei.methodology.config._checks import ConfigError
from wuwei.methodology.config._codec import ErrorList, JsonValue, Reader, encode
from wuwei.methodology.config.accounts import (
    GradingConfig,
    InteractionConfig,
    KaProfileConfig,
    NineBoxCell,
    NineBoxConfig,
    Thresholds,
    default_ninebox_matrix,
)
from wuwei.methodology.config.opportunities import (
    CompetitiveStrategyConfig,
    ForecastConfig,
    OpportunityGradeConfig,
    PartnerConfig,
    PresalesConfig,
    RiskConfig,
    WinRateConfig,
)

__all__ = [
    "CompetitiveStrategyConfig",
    "ConfigError",
    "ForecastConfig",
    "GradingConfig",
    "InteractionConfig",
    "KaProfileConfig",
    "MethodConfig",
    "NineBoxCell",
    "NineBoxConfig",
    "OpportunityGradeConfig",
    "PartnerConfig",
    "PresalesConfig",
    "RiskConfig",
    "Thresholds",
    "WinRateConfig",
    "default_ninebox_matrix",
]


@dataclass(frozen=True, slots=True)
class MethodConfig:
    """All method configuration; `MethodConfig()` is exactly METHOD.md."""

    grading: GradingConfig = field(default_factory=GradingConfig)
    ninebox: NineBoxConfig = field(default_factory=NineBoxConfig)
    ka_profile: KaProfileConfig = field(default_factory=KaProfileConfig)
    opportunity_grade: OpportunityGradeConfig = field(default_factory=OpportunityGradeConfig)
    win_rate: WinRateConfig = field(default_factory=WinRateConfig)
    competitive_strategy: CompetitiveStrategyConfig = field(
        default_factory=CompetitiveStrategyConfig
    )
    interaction: InteractionConfig = field(default_factory=InteractionConfig)
    presales: PresalesConfig = field(default_factory=PresalesConfig)
    partner: PartnerConfig = field(default_factory=PartnerConfig)
    forecast: ForecastConfig = field(default_factory=ForecastConfig)
    risk: RiskConfig = field(default_factory=RiskConfig)

    def to_dict(self) -> dict[str, JsonValue]:
        encoded = encode(self)
        assert isinstance(encoded, dict)
        return encoded

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Self:
        """Read stored settings; missing keys take the defaults. Does not run `validate()`."""
        errors: ErrorList = []
        root = Reader(data, "", errors)
        result = cls(
            grading=GradingConfig.read_from(root.child("grading")),
            ninebox=NineBoxConfig.read_from(root.child("ninebox")),
            ka_profile=KaProfileConfig.read_from(root.child("ka_profile")),
            opportunity_grade=OpportunityGradeConfig.read_from(root.child("opportunity_grade")),
            win_rate=WinRateConfig.read_from(root.child("win_rate")),
            competitive_strategy=CompetitiveStrategyConfig.read_from(
                root.child("competitive_strategy")
            ),
            interaction=InteractionConfig.read_from(root.child("interaction")),
            presales=PresalesConfig.read_from(root.child("presales")),
            partner=PartnerConfig.read_from(root.child("partner")),
            forecast=ForecastConfig.read_from(root.child("forecast")),
            risk=RiskConfig.read_from(root.child("risk")),
        )
        root.finish()
        if errors:
            raise ConfigError(errors)
        return result

    def check(self) -> ErrorList:
        """Every business-constraint violation as (field path, message); empty when valid."""
        return [
            *self.grading.check("grading"),
            *self.ninebox.check("ninebox"),
            *self.ka_profile.check("ka_profile"),
            *self.opportunity_grade.check("opportunity_grade"),
            *self.win_rate.check("win_rate"),
            *self.competitive_strategy.check("competitive_strategy"),
            *self.interaction.check("interaction"),
            *self.presales.check("presales"),
            *self.partner.check("partner"),
            *self.forecast.check("forecast"),
            *self.risk.check("risk"),
        ]

    def validate(self) -> None:
        """Raise `ConfigError` with every violation, e.g. weights not summing to 1."""
        errors = self.check()
        if errors:
            raise ConfigError(errors)
