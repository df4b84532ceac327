"""Rule administration forms (METHOD.md §6): every setting of a rule as a field a sales
manager reads, the parameters of its kind included (no JSON to type)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.core.visibility import visible
from wuwei.methodology.risks import DEFAULT_PARAMETERS, Kind
from wuwei.opportunities.models import Stage
from wuwei.org.models import Team
from wuwei.people.models import DecisionRole, InteractionLevel, RelationshipStatus
from wuwei.playbook.models import RiskRule, RiskSeverity, RuleKind

OPEN_STAGES = [(value, label) for value, label in Stage.choices if value not in ("won", "lost")]
ENTERABLE = [*OPEN_STAGES[1:], ("won", Stage.WON.label)]
GRADES = [(g, g) for g in ("A", "B", "C", "D", "E")]

PARAMETER_LABELS: dict[str, Any] = {
    "days": _("Days"),
    "min_contacts": _("Minimum number of contacts"),
    "points": _("Drop in points"),
    "roles": _("Decision roles"),
    "statuses": _("Relationship status"),
    "require": _("Required"),
    "min_interaction": _("Counts as engaged from"),
    "before_stage": _("Until the deal reaches"),
    "tag": _("Activity tag"),
    "departments": _("Departments"),
    "when_unknown": _("Also fire when no questionnaire says"),
}
REQUIRE_ANY_ALL = [("any", _("at least one of them")), ("all", _("every one of them"))]
REQUIRE_PURSUIT = [
    ("strategy", _("a chosen competitive strategy")),
    ("value_proposition", _("a value proposition")),
]


def _checkboxes(choices: Any, label: Any, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


def parameter_field(kind: Kind, name: str) -> forms.Field:
    label = PARAMETER_LABELS[name]
    if name in ("days", "min_contacts", "points"):
        return forms.IntegerField(label=label, min_value=0, max_value=3650)
    if name == "roles":
        return _checkboxes(DecisionRole.choices, label, required=True)
    if name == "statuses":
        return _checkboxes(RelationshipStatus.choices, label, required=True)
    if name == "require" and kind is Kind.DECISION_ROLES_MISSING:
        return forms.ChoiceField(label=label, choices=REQUIRE_ANY_ALL)
    if name == "require":
        return _checkboxes(REQUIRE_PURSUIT, label, required=True)
    if name == "min_interaction":
        return forms.ChoiceField(label=label, choices=InteractionLevel.choices)
    if name == "before_stage":
        return forms.ChoiceField(label=label, choices=OPEN_STAGES)
    if name == "tag":
        return forms.CharField(label=label, max_length=60)
    if name == "when_unknown":
        return forms.BooleanField(label=label, required=False)
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One department per line: its name, a colon, then the words to look for "
            "in a contact's department or title, separated by commas."
        ),
    )


def departments_text(groups: list[dict[str, Any]]) -> str:
    return "\n".join(f"{g['name']}: {', '.join(g['keywords'])}" for g in groups)


def departments_parse(text: str) -> list[dict[str, Any]] | str:
    groups = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, words = line.partition(":")
        if not colon:
            name, colon, words = line.partition("：")
        keywords = [w.strip() for w in words.replace("，", ",").split(",") if w.strip()]
        if not name.strip() or not keywords:
            return str(_("Write each line as “name: word, word”."))
        groups.append({"name": name.strip(), "keywords": keywords})
    return groups


class RuleForm(forms.Form):
    """A rule's settings; the parameter fields follow its kind."""

    code = forms.SlugField(label=_("Code"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind of check"), choices=RuleKind.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=RiskSeverity.choices)
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    grades = _checkboxes(GRADES, _("Grades (none ticked: every grade)"))
    stages = _checkboxes(OPEN_STAGES, _("Warns in stages"), required=True)
    blocks_leaving = _checkboxes(OPEN_STAGES, _("Blocks leaving"))
    blocks_entering = _checkboxes(ENTERABLE, _("Blocks entering"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, rule: RiskRule | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rule_kind = Kind(kind)
        self.parameter_names = list(DEFAULT_PARAMETERS[self.rule_kind])
        current = dict(DEFAULT_PARAMETERS[self.rule_kind])
        # the kind decides the parameter fields: chosen before the form, shown, not changed
        self.fields["kind"].disabled = True
        self.fields["kind"].required = False
        self.fields["kind"].initial = kind
        if rule is not None:
            current.update(rule.parameters)
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        for name in self.parameter_names:
            field = parameter_field(self.rule_kind, name)
            value = current.get(name)
            field.initial = departments_text(value or []) if name == "departments" else value
            self.fields[f"p_{name}"] = field
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs.setdefault("class", css + " form-control-sm")

    @property
    def parameter_fields(self) -> list[Any]:
        return [self[f"p_{name}"] for name in self.parameter_names]

    def parameters(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in self.parameter_names:
            value = self.cleaned_data.get(f"p_{name}")
            if name == "departments":
                parsed = departments_parse(value or "")
                if isinstance(parsed, str):
                    self.add_error(f"p_{name}", parsed)
                    continue
                value = parsed
            values[name] = value
        return values

    @staticmethod
    def initial_from(rule: RiskRule) -> dict[str, Any]:
        return {
            "code": rule.code,
            "kind": rule.kind,
            "name_en": rule.name_en,
            "name_zh": rule.name_zh,
            "description_en": rule.description_en,
            "description_zh": rule.description_zh,
            "severity": rule.severity,
            "enabled": rule.enabled,
            "grades": rule.grades,
            "stages": rule.stages,
            "blocks_leaving": rule.blocks_leaving,
            "blocks_entering": rule.blocks_entering,
            "version": rule.version,
        }


class LessonForm(forms.Form):
    decided_by = forms.CharField(
        label=_("What decided the deal"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def _rule_label(rule: RiskRule) -> str:
    return rule.text("name")


class RiskFilterForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=RiskRule.objects.none(), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *RiskSeverity.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = visible(Team, user).filter(archived_at__isnull=True).order_by("path")
        field = self.fields["rule"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = RiskRule.objects.filter(archived_at__isnull=True)
        field.label_from_instance = _rule_label  # type: ignore[method-assign,assignment]
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"
