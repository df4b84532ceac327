"""Configuration of the account side: grading (§2.2), nine-box (§2.3), KA profile (§2.1)
and interaction levels (§3.2)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Self

from wuwei.methodology.config._checks import at_least, positive, within
from wuwei.methodology.config._codec import ErrorList, Reader, join_path
from wuwei.methodology.enums import AccountClass, AccountStrategy, Level

# ----------------------------------------------------------------------------------------
# §2.2 account grading


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum composite score for grade A, B and C (§2.2); below `c` is D."""

    a: Decimal = Decimal(80)
    b: Decimal = Decimal(60)
    c: Decimal = Decimal(40)

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        for name, value in (("a", self.a), ("b", self.b), ("c", self.c)):
            within(errors, join_path(path, name), value, 0, 100)
        if not self.a > self.b > self.c:
            errors.append((path, "must be descending: a > b > c"))
        return errors

    @classmethod
    def read_from(cls, reader: Reader, default: "Thresholds") -> Self:
        result = cls(
            a=reader.decimal("a", default.a),
            b=reader.decimal("b", default.b),
            c=reader.decimal("c", default.c),
        )
        reader.finish()
        return result


@dataclass(frozen=True, slots=True)
class GradingConfig:
    """Weights of the four grading dimensions and the grade thresholds (§2.2)."""

    revenue_weight: Decimal = Decimal("0.40")
    potential_weight: Decimal = Decimal("0.30")
    demonstration_weight: Decimal = Decimal("0.15")
    can_win_deliver_weight: Decimal = Decimal("0.15")
    default_thresholds: Thresholds = field(default_factory=Thresholds)
    # Per-industry thresholds (fairness across industries); the key is the industry code.
    industry_thresholds: Mapping[str, Thresholds] = field(default_factory=dict)

    @property
    def weight_sum(self) -> Decimal:
        return (
            self.revenue_weight
            + self.potential_weight
            + self.demonstration_weight
            + self.can_win_deliver_weight
        )

    def thresholds_for(self, industry: str | None) -> Thresholds:
        if industry is not None and industry in self.industry_thresholds:
            return self.industry_thresholds[industry]
        return self.default_thresholds

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        for name in (
            "revenue_weight",
            "potential_weight",
            "demonstration_weight",
            "can_win_deliver_weight",
        ):
            within(errors, join_path(path, name), getattr(self, name), 0, 1)
        if self.weight_sum != 1:
            errors.append((join_path(path, "weights"), f"must sum to 1 (now {self.weight_sum})"))
        errors += self.default_thresholds.check(join_path(path, "default_thresholds"))
        industries_path = join_path(path, "industry_thresholds")
        for industry, thresholds in self.industry_thresholds.items():
            if not industry.strip():
                errors.append((industries_path, "industry must not be empty"))
            errors += thresholds.check(join_path(industries_path, industry))
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        default_thresholds = Thresholds.read_from(
            reader.child("default_thresholds"), default.default_thresholds
        )
        entries = reader.entries("industry_thresholds")
        industry_thresholds = (
            dict(default.industry_thresholds)
            if entries is None
            else {
                industry: Thresholds.read_from(item, default_thresholds)
                for industry, item in entries
            }
        )
        result = cls(
            revenue_weight=reader.decimal("revenue_weight", default.revenue_weight),
            potential_weight=reader.decimal("potential_weight", default.potential_weight),
            demonstration_weight=reader.decimal(
                "demonstration_weight", default.demonstration_weight
            ),
            can_win_deliver_weight=reader.decimal(
                "can_win_deliver_weight", default.can_win_deliver_weight
            ),
            default_thresholds=default_thresholds,
            industry_thresholds=industry_thresholds,
        )
        reader.finish()
        return result


# ----------------------------------------------------------------------------------------
# §2.3 nine-box


@dataclass(frozen=True, slots=True)
class NineBoxCell:
    """Class and default strategy of one nine-box cell; strategy None = minimal (class D)."""

    account_class: AccountClass
    strategy: AccountStrategy | None


def default_ninebox_matrix() -> dict[Level, dict[Level, NineBoxCell]]:
    """The §2.3 table, indexed `[potential][contribution]`."""
    a_retain = NineBoxCell(AccountClass.A, AccountStrategy.RETAIN)
    b_retain = NineBoxCell(AccountClass.B, AccountStrategy.RETAIN)
    c_grow = NineBoxCell(AccountClass.C, AccountStrategy.GROW)
    d_minimal = NineBoxCell(AccountClass.D, None)
    return {
        Level.HIGH: {Level.HIGH: a_retain, Level.MEDIUM: b_retain, Level.LOW: c_grow},
        Level.MEDIUM: {Level.HIGH: a_retain, Level.MEDIUM: b_retain, Level.LOW: c_grow},
        Level.LOW: {Level.HIGH: b_retain, Level.MEDIUM: d_minimal, Level.LOW: d_minimal},
    }


@dataclass(frozen=True, slots=True)
class NineBoxConfig:
    """Cut points of the nine-box axes and the cell → (class, strategy) matrix (§2.3)."""

    high_cut: int = 67
    medium_cut: int = 34
    matrix: Mapping[Level, Mapping[Level, NineBoxCell]] = field(
        default_factory=default_ninebox_matrix
    )

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        within(errors, join_path(path, "high_cut"), self.high_cut, 0, 100)
        within(errors, join_path(path, "medium_cut"), self.medium_cut, 0, 100)
        if self.high_cut <= self.medium_cut:
            errors.append((join_path(path, "high_cut"), "must be greater than medium_cut"))
        for potential in Level:
            for contribution in Level:
                if contribution not in self.matrix.get(potential, {}):
                    cell_path = join_path(path, f"matrix.{potential}.{contribution}")
                    errors.append((cell_path, "cell is missing"))
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        matrix_reader = reader.child("matrix")
        matrix: dict[Level, dict[Level, NineBoxCell]] = {}
        for potential in Level:
            row_reader = matrix_reader.child(potential.value)
            matrix[potential] = {}
            for contribution in Level:
                default_cell = default.matrix[potential][contribution]
                cell_reader = row_reader.child(contribution.value)
                matrix[potential][contribution] = NineBoxCell(
                    account_class=cell_reader.choice(
                        "account_class", AccountClass, default_cell.account_class
                    ),
                    strategy=cell_reader.optional_choice(
                        "strategy", AccountStrategy, default_cell.strategy
                    ),
                )
                cell_reader.finish()
            row_reader.finish()
        matrix_reader.finish()
        result = cls(
            high_cut=reader.integer("high_cut", default.high_cut),
            medium_cut=reader.integer("medium_cut", default.medium_cut),
            matrix=matrix,
        )
        reader.finish()
        return result


# ----------------------------------------------------------------------------------------
# §2.1 KA profile, §4.2 opportunity grade


@dataclass(frozen=True, slots=True)
class KaProfileConfig:
    """Revenue bar (CNY) of the `regional` KA profile (§2.1), optionally per product line."""

    regional_revenue_bar: Decimal = Decimal(50_000_000)
    product_line_revenue_bars: Mapping[str, Decimal] = field(default_factory=dict)

    def revenue_bar(self, product_line: str | None) -> Decimal:
        if product_line is not None and product_line in self.product_line_revenue_bars:
            return self.product_line_revenue_bars[product_line]
        return self.regional_revenue_bar

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        positive(errors, join_path(path, "regional_revenue_bar"), self.regional_revenue_bar)
        for line, bar in self.product_line_revenue_bars.items():
            positive(errors, join_path(path, f"product_line_revenue_bars.{line}"), bar)
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        bars = reader.decimals("product_line_revenue_bars")
        result = cls(
            regional_revenue_bar=reader.decimal(
                "regional_revenue_bar", default.regional_revenue_bar
            ),
            product_line_revenue_bars=dict(default.product_line_revenue_bars)
            if bars is None
            else bars,
        )
        reader.finish()
        return result


@dataclass(frozen=True, slots=True)
class InteractionConfig:
    """Interaction level from activity counts (§3.2): 1-2 occasional, 3-5 multiple, >= 6 deep."""

    window_days: int = 180
    deep_window_days: int = 90
    occasional_min_activities: int = 1
    multiple_min_activities: int = 3
    deep_min_activities: int = 6
    deep_kinds: tuple[str, ...] = ("executive_meeting", "site_visit", "workshop")

    def check(self, path: str) -> ErrorList:
        errors: ErrorList = []
        at_least(errors, join_path(path, "window_days"), self.window_days, 1)
        within(
            errors,
            join_path(path, "deep_window_days"),
            self.deep_window_days,
            1,
            max(self.window_days, 1),
        )
        at_least(
            errors, join_path(path, "occasional_min_activities"), self.occasional_min_activities, 1
        )
        if self.multiple_min_activities <= self.occasional_min_activities:
            errors.append(
                (
                    join_path(path, "multiple_min_activities"),
                    "must be greater than occasional_min_activities",
                )
            )
        if self.deep_min_activities <= self.multiple_min_activities:
            errors.append(
                (
                    join_path(path, "deep_min_activities"),
                    "must be greater than multiple_min_activities",
                )
            )
        if any(not kind.strip() for kind in self.deep_kinds):
            errors.append((join_path(path, "deep_kinds"), "kinds must not be empty"))
        return errors

    @classmethod
    def read_from(cls, reader: Reader) -> Self:
        default = cls()
        result = cls(
            window_days=reader.integer("window_days", default.window_days),
            deep_window_days=reader.integer("deep_window_days", default.deep_window_days),
            occasional_min_activities=reader.integer(
                "occasional_min_activities", default.occasional_min_activities
            ),
            multiple_min_activities=reader.integer(
                "multiple_min_activities", default.multiple_min_activities
            ),
            deep_min_activities=reader.integer("deep_min_activities", default.deep_min_activities),
            deep_kinds=reader.strings("deep_kinds", default.deep_kinds),
        )
        reader.finish()
        return result
