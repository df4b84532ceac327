"""The playbook page's configuration tables (METHOD.md: every number is a default an
administrator can change): each setting with a label and unit a sales manager reads, and a
form that edits the numbers through the one configuration service."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Strategy
from wuwei.core.models import MethodSettings
from wuwei.methodology.config import MethodConfig

PERCENT, POINTS, DAYS, CNY, NUMBER, WEIGHT, SHARE = (
    "percent",
    "points",
    "days",
    "cny",
    "number",
    "weight",
    "share",
)

# (section title, [(dotted path, label, unit)])
SECTIONS: list[tuple[Any, list[tuple[str, Any, str]]]] = [
    (
        _("Account grading"),
        [
            ("grading.revenue_weight", _("Weight of revenue"), WEIGHT),
            ("grading.potential_weight", _("Weight of potential"), WEIGHT),
            ("grading.demonstration_weight", _("Weight of demonstration value"), WEIGHT),
            ("grading.can_win_deliver_weight", _("Weight of can win and deliver"), WEIGHT),
            ("grading.default_thresholds.a", _("Score for grade A from"), POINTS),
            ("grading.default_thresholds.b", _("Score for grade B from"), POINTS),
            ("grading.default_thresholds.c", _("Score for grade C from"), POINTS),
        ],
    ),
    (
        _("Nine-box"),
        [
            ("ninebox.high_cut", _("High from"), POINTS),
            ("ninebox.medium_cut", _("Medium from"), POINTS),
        ],
    ),
    (
        _("Key-account profile"),
        [("ka_profile.regional_revenue_bar", _("Regional key account: revenue from"), CNY)],
    ),
    (
        _("Opportunity grade"),
        [
            ("opportunity_grade.a_min", _("Grade A from"), CNY),
            ("opportunity_grade.b_min", _("Grade B from"), CNY),
            ("opportunity_grade.c_min", _("Grade C from"), CNY),
        ],
    ),
    (
        _("Win rate"),
        [
            ("win_rate.fit_weight", _("Weight of need fit"), WEIGHT),
            ("win_rate.closeness_weight", _("Weight of closeness"), WEIGHT),
            ("win_rate.top_n", _("We must rank in the top"), NUMBER),
            ("win_rate.competitors_in_formula", _("Competitors compared"), NUMBER),
            ("win_rate.no_inside_source_factor", _("Factor without an inside source"), WEIGHT),
            ("win_rate.change_event_points", _("A weekly move notifies from"), POINTS),
            ("win_rate.reevaluate_days", _("Re-evaluate a compelling event after"), DAYS),
        ],
    ),
    (
        _("Competitive strategy"),
        [
            ("competitive_strategy.frontal_min_win_rate", _("Frontal from a win rate of"), PERCENT),
            (
                "competitive_strategy.flanking_max_gap",
                _("Flanking up to a strength gap of"),
                POINTS,
            ),
            (
                "competitive_strategy.fragment_min_product_lines",
                _("Fragment from product lines"),
                NUMBER,
            ),
        ],
    ),
    (
        _("Interaction level"),
        [
            ("interaction.window_days", _("Activities counted over"), DAYS),
            ("interaction.deep_window_days", _("Deep activities counted over"), DAYS),
            ("interaction.occasional_min_activities", _("Occasional from activities"), NUMBER),
            ("interaction.multiple_min_activities", _("Multiple from activities"), NUMBER),
            ("interaction.deep_min_activities", _("Deep from activities"), NUMBER),
        ],
    ),
    (
        _("Presales"),
        [
            ("presales.budget_share_ab", _("Presales budget of AB deals"), SHARE),
            ("presales.budget_share_cd", _("Presales budget of CD deals"), SHARE),
            ("presales.budget_share_e", _("Presales budget of partner deals"), SHARE),
            ("presales.weekly_capacity_percent", _("Weekly capacity per person"), PERCENT),
        ],
    ),
    (
        _("Partner registration"),
        [("partner.protection_days", _("A registration is protected for"), DAYS)],
    ),
    (
        _("Forecast"),
        [
            ("forecast.commit_min", _("Commit from a win rate of"), PERCENT),
            ("forecast.best_case_min", _("Best case from a win rate of"), PERCENT),
        ],
    ),
]

UNIT_LABELS = {
    PERCENT: _("%"),
    POINTS: _("points"),
    DAYS: _("days"),
    CNY: _("CNY"),
    SHARE: _("of the amount"),
}


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[part]
    return value


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[part]
    data[last] = value


def shown(value: Any, unit: str) -> str:
    number = Decimal(str(value))
    if unit == SHARE:
        return f"{(number * 100).normalize():f} %"
    if unit == CNY:
        return f"{number:,.0f}"
    text = f"{number.normalize():f}"
    return f"{text} {UNIT_LABELS[unit]}" if unit in UNIT_LABELS else text


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    label: str
    value: str


def config_tables(config: MethodConfig) -> list[tuple[str, list[Row]]]:
    data = config.to_dict()
    return [
        (str(title), [Row(p, str(label), shown(_get(data, p), unit)) for p, label, unit in rows])
        for title, rows in SECTIONS
    ]


def ninebox_table(config: MethodConfig) -> list[tuple[str, list[str]]]:
    """Rows potential high → low, columns contribution high → low: class and strategy."""
    labels = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
    strategies = dict(Strategy.choices)
    data: Any = config.to_dict()
    matrix = data["ninebox"]["matrix"]
    rows = []
    for potential in ("high", "medium", "low"):
        cells = []
        for contribution in ("high", "medium", "low"):
            cell = matrix[potential][contribution]
            strategy = cell["strategy"]
            name = strategies.get(strategy, _("minimal")) if strategy else _("minimal")
            cells.append(f"{cell['account_class']} · {name}")
        rows.append((str(labels[potential]), cells))
    return rows


def _field(value: Any, unit: str, label: Any) -> forms.Field:
    if isinstance(value, int):
        return forms.IntegerField(label=label, min_value=0, max_value=10**9)
    return forms.DecimalField(label=label, min_value=0, max_digits=16, decimal_places=4)


class ConfigForm(forms.Form):
    """The numbers of the configuration, one field each (structure stays as it is)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, config: MethodConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data_now = config.to_dict()
        self.sections = []
        for title, rows in SECTIONS:
            names = []
            for path, label, unit in rows:
                value = _get(self.data_now, path)
                name = path.replace(".", "__")
                parsed = int(value) if isinstance(value, int) else Decimal(str(value))
                field = _field(parsed, unit, label)
                field.initial = parsed
                field.widget.attrs["class"] = "form-control form-control-sm"
                self.fields[name] = field
                names.append(name)
            self.sections.append((str(title), names))
        row = MethodSettings.objects.filter(pk=1).values_list("version", flat=True).first()
        self.fields["version"].initial = row

    def grouped(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def new_data(self) -> dict[str, Any]:
        data = self.data_now
        for _title, rows in SECTIONS:
            for path, _label, _unit in rows:
                value = self.cleaned_data[path.replace(".", "__")]
                _set(data, path, value if isinstance(value, int) else str(value))
        return data
