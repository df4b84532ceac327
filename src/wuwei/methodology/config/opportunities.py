"""Configuration of the opportunity side: grade (§4.2), win rate (§4.6), competitive strategy
(§4.7), presales (§5), partner registrations (§4.2), forecast (§8) and risk rules (§6)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Self

from wuwei.methodology.config._checks import at_least, positive, within
from wuwei.methodology.config._codec import ErrorList, Reader, join_path


@dataclass(frozen=True, slots=True)
class OpportunityGradeConfig:
    """Minimum amount (CNY) of opportunity grades A, B and C (§4.2); below `c_min` is D."""

    a_min: Decimal = Decimal(5_000_000)
    b_min: Decimal = Decimal(1_000_000)
    c_min: Decimal = Decimal(200_000)

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        for name, value in (("a_min", self.a_min), ("b_min", self.b_min), ("c_min", self.c_min)):
            positive(errors, join_path(path, name), value)
        if not self.a_min > self.b_min > self.c_min:
            errors.append((path, "must be descending: a_min > b_min > c_min"))
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            a_min=reader.decimal("a_min", default.a_min),
            b_min=reader.decimal("b_min", default.b_min),
            c_min=reader.decimal("c_min", default.c_min),
        )
        reader.finish()
        return result


# ----------------------------------------------------------------------------------------
# §4.6 win rate, §3.2 interaction level


@dataclass(frozen=True, slots=True)
class WinRateConfig:
    """Competitor-comparison win rate (§4.6)."""

    fit_weight: Decimal = Decimal(1)
    closeness_weight: Decimal = Decimal(1)
    top_n: int = 3
    competitors_in_formula: int = 2
    no_inside_source_factor: Decimal = Decimal("0.7")
    change_event_points: int = 10
    # A compelling event is looked at again after this many days (§4.3 "re-evaluated
    # continuously"), or on its own date when that comes sooner.
    reevaluate_days: int = 30

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        at_least(errors, join_path(path, "fit_weight"), self.fit_weight, 0)
        at_least(errors, join_path(path, "closeness_weight"), self.closeness_weight, 0)
        if self.fit_weight + self.closeness_weight <= 0:
            errors.append((join_path(path, "weights"), "at least one weight must be above 0"))
        at_least(errors, join_path(path, "top_n"), self.top_n, 1)
        at_least(errors, join_path(path, "competitors_in_formula"), self.competitors_in_formula, 1)
        within(
            errors, join_path(path, "no_inside_source_factor"), self.no_inside_source_factor, 0, 1
        )
        within(errors, join_path(path, "change_event_points"), self.change_event_points, 1, 100)
        within(errors, join_path(path, "reevaluate_days"), self.reevaluate_days, 1, 366)
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            fit_weight=reader.decimal("fit_weight", default.fit_weight),
            closeness_weight=reader.decimal("closeness_weight", default.closeness_weight),
            top_n=reader.integer("top_n", default.top_n),
            competitors_in_formula=reader.integer(
                "competitors_in_formula", default.competitors_in_formula
            ),
            no_inside_source_factor=reader.decimal(
                "no_inside_source_factor", default.no_inside_source_factor
            ),
            change_event_points=reader.integer("change_event_points", default.change_event_points),
            reevaluate_days=reader.integer("reevaluate_days", default.reevaluate_days),
        )
        reader.finish()
        return result


@dataclass(frozen=True, slots=True)
class CompetitiveStrategyConfig:
    """Cut points of the suggested competitive strategy (§4.7; the mapping is Wuwei's reading
    of TAS, see `methodology.competitive`). Gaps are in strength points (§4.6)."""

    frontal_min_win_rate: int = 50
    flanking_max_gap: Decimal = Decimal(3)
    fragment_min_product_lines: int = 2

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        within(errors, join_path(path, "frontal_min_win_rate"), self.frontal_min_win_rate, 0, 100)
        at_least(errors, join_path(path, "flanking_max_gap"), self.flanking_max_gap, 0)
        at_least(
            errors,
            join_path(path, "fragment_min_product_lines"),
            self.fragment_min_product_lines,
            2,
        )
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            frontal_min_win_rate=reader.integer(
                "frontal_min_win_rate", default.frontal_min_win_rate
            ),
            flanking_max_gap=reader.decimal("flanking_max_gap", default.flanking_max_gap),
            fragment_min_product_lines=reader.integer(
                "fragment_min_product_lines", default.fragment_min_product_lines
            ),
        )
        reader.finish()
        return result


# ----------------------------------------------------------------------------------------
# §5 presales, §4.2 partner registrations, §8 forecast, §6 risk rules


@dataclass(frozen=True, slots=True)
class PresalesConfig:
    """Presales budget as a share of the amount by grade (§5.2) and weekly capacity (§5.1)."""

    budget_share_ab: Decimal = Decimal("0.03")
    budget_share_cd: Decimal = Decimal("0.015")
    budget_share_e: Decimal = Decimal("0.015")
    weekly_capacity_percent: Decimal = Decimal(100)

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        for name in ("budget_share_ab", "budget_share_cd", "budget_share_e"):
            within(errors, join_path(path, name), getattr(self, name), 0, 1)
        positive(errors, join_path(path, "weekly_capacity_percent"), self.weekly_capacity_percent)
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            budget_share_ab=reader.decimal("budget_share_ab", default.budget_share_ab),
            budget_share_cd=reader.decimal("budget_share_cd", default.budget_share_cd),
            budget_share_e=reader.decimal("budget_share_e", default.budget_share_e),
            weekly_capacity_percent=reader.decimal(
                "weekly_capacity_percent", default.weekly_capacity_percent
            ),
        )
        reader.finish()
        return result


@dataclass(frozen=True, slots=True)
class PartnerConfig:
    """Partner registration protection period (§4.2, grade E)."""

    protection_days: int = 90

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        at_least(errors, join_path(path, "protection_days"), self.protection_days, 1)
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        result = cls(protection_days=reader.integer("protection_days", cls().protection_days))
        reader.finish()
        return result


@dataclass(frozen=True, slots=True)
class ForecastConfig:
    """Forecast categories by win rate (§8): commit ≥ 70 %, best case ≥ 40 %."""

    commit_min: int = 70
    best_case_min: int = 40

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        within(errors, join_path(path, "commit_min"), self.commit_min, 0, 100)
        within(errors, join_path(path, "best_case_min"), self.best_case_min, 0, 100)
        if self.commit_min <= self.best_case_min:
            errors.append((join_path(path, "commit_min"), "must be greater than best_case_min"))
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            commit_min=reader.integer("commit_min", default.commit_min),
            best_case_min=reader.integer("best_case_min", default.best_case_min),
        )
        reader.finish()
        return result


@dataclass(frozen=True, slots=True)
class RiskConfig:
    """Numbers used by the default PRM risk rules (§6)."""

    close_date_window_days: int = 30
    idle_days: int = 14
    single_thread_min_contacts: int = 3
    win_rate_drop_points: int = 10

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        at_least(errors, join_path(path, "close_date_window_days"), self.close_date_window_days, 1)
        at_least(errors, join_path(path, "idle_days"), self.idle_days, 1)
        at_least(
            errors,
            join_path(path, "single_thread_min_contacts"),
            self.single_thread_min_contacts,
            1,
        )
        within(errors, join_path(path, "win_rate_drop_points"), self.win_rate_drop_points, 1, 100)
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            close_date_window_days=reader.integer(
                "close_date_window_days", default.close_date_window_days
            ),
            idle_days=reader.integer("idle_days", default.idle_days),
            single_thread_min_contacts=reader.integer(
                "single_thread_min_contacts", default.single_thread_min_contacts
            ),
            win_rate_drop_points=reader.integer(
                "win_rate_drop_points", default.win_rate_drop_points
            ),
        )
        reader.finish()
        return result
