from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts import custom
from wuwei.accounts.models import (
    Account,
    AccountStatus,
    ActionStatus,
    Grade,
    HeadquartersScope,
    Industry,
    KaProfile,
    Strategy,
    SupportTier,
    Tactic,
)
from wuwei.accounts.selectors import AccountFilters, custom_field_definitions
from wuwei.competitors.models import Competitor
from wuwei.core.forms import AccountPicker
from wuwei.core.links import validate_web_address
from wuwei.core.visibility import visible
from wuwei.org.forms import SalesFirstUserField
from wuwei.org.models import Segment, Team, User

#: The KA profile choice of the account form: automatic, no KA profile (SMB) or a profile. Each
#: option names the segments it fits (`data-segments`, read by accounts/account_form.js).
KA_NONE = "none"
KA_TYPE_CHOICES = [
    ("", _("Automatic")),
    (KA_NONE, _("None (SMB)")),
    *KaProfile.choices,
]
KA_TYPE_SEGMENTS = {"": "SMB KA", KA_NONE: "SMB", **{value: "KA" for value in KaProfile.values}}


class KaTypeSelect(forms.Select):
    """The KA profile select: each option carries the segments it fits."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["data-segments"] = KA_TYPE_SEGMENTS.get(str(value), "")
        return option


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    owner = forms.ChoiceField(
        label=_("Owner"), required=False, choices=[("", _("Anyone")), ("me", _("Me"))]
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All industries")), *Industry.choices]
    )
    segment = forms.ChoiceField(
        label=_("Segment"), required=False, choices=[("", _("All segments")), *Segment.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *AccountStatus.choices]
    )
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("All grades")), *Grade.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner", "industry", "segment", "status", "grade"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> AccountFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AccountFilters(
            q=data.get("q") or None,
            owner=data.get("owner") or None,
            industry=data.get("industry") or None,
            segment=data.get("segment") or None,
            status=data.get("status") or None,
            grade=data.get("grade") or None,
            tag=data.get("tag") or None,
            archived=bool(data.get("archived")),
        )


class AccountForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=50,
        required=False,
        help_text=_("Unified social credit code or company registration number."),
    )
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices)
    status = forms.ChoiceField(label=_("Status"), choices=AccountStatus.choices)
    owner = SalesFirstUserField(label=_("Owner"), queryset=User.objects.none())
    team = forms.ModelChoiceField(
        label=_("Owning team"), queryset=Team.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Parent account"),
        queryset=Account.objects.none(),
        required=False,
        widget=AccountPicker,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    hq_scope = forms.ChoiceField(label=_("Headquarters scope"), choices=HeadquartersScope.choices)
    is_headquarters = forms.BooleanField(label=_("Is headquarters"), required=False)
    on_ranking_list = forms.BooleanField(label=_("On a ranking list"), required=False)
    pays_above_peers = forms.BooleanField(label=_("Pays well above peers"), required=False)
    annual_revenue = forms.DecimalField(
        label=_("Annual revenue (CNY)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    employee_count = forms.IntegerField(label=_("Employees"), required=False, min_value=0)
    website = forms.CharField(
        label=_("Website"), max_length=200, required=False, validators=[validate_web_address]
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=1000, help_text=_("Separate with commas.")
    )
    region_owner = SalesFirstUserField(
        label=_("Region line owner"), queryset=User.objects.none(), required=False
    )
    industry_owner = SalesFirstUserField(
        label=_("Industry line owner"), queryset=User.objects.none(), required=False
    )
    support_tier = forms.ChoiceField(
        label=_("Support line"), choices=[("", "—"), *SupportTier.choices], required=False
    )
    ka_type = forms.ChoiceField(
        label=_("KA profile"),
        required=False,
        choices=KA_TYPE_CHOICES,
        widget=KaTypeSelect,
        help_text=_("Automatic follows the account's attributes; another choice overrides it."),
    )
    ka_type_reason = forms.CharField(
        label=_("Why this KA profile"), required=False, max_length=2000
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Create even if a similar account exists (a manager decides)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_tags(self) -> list[str]:
        text = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in text.replace("\uff0c", ",").split(",") if t.strip()]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = custom_field_definitions(user=user)
        stored = dict(self.initial.get("custom_fields") or {})
        for definition in self.definitions:
            name = custom.field_name(definition)
            self.fields[name] = custom.form_field(definition, stored.get(definition.key))
            self.initial.setdefault(
                name, custom.initial_value(definition, stored.get(definition.key))
            )
        defined = {d.key for d in self.definitions}
        #: values under keys no definition names (imports, the API): kept as they are
        self.other_custom_values = sorted(
            (key, value) for key, value in stored.items() if key not in defined
        )
        for name in ("segment", "ka_type"):
            self.fields[name].widget.attrs["data-ka-segment"] = name
        users = visible(User, user).filter(is_active=True)
        choices: dict[str, Any] = {
            "owner": users,
            "region_owner": users,
            "industry_owner": users,
            "team": visible(Team, user).filter(archived_at__isnull=True),
            "parent": visible(Account, user).filter(archived_at__isnull=True),
        }
        for name, queryset in choices.items():
            field: Any = self.fields[name]
            field.queryset = queryset
        _style(self)

    def custom_bound_fields(self) -> list[Any]:
        return [self[custom.field_name(d)] for d in self.definitions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = dict(self.other_custom_values)
        for definition in self.definitions:
            value = custom.stored_value(definition, data.pop(custom.field_name(definition), None))
            if value is not None:
                values[definition.key] = value
        data["custom_fields"] = values
        self._check_ka_type(data)
        return data

    def _check_ka_type(self, data: dict[str, Any]) -> None:
        """The KA profile agrees with the segment (METHOD.md §2.1: no KA profile means SMB); an
        override says why."""
        segment, ka_type = data.get("segment"), data.get("ka_type") or ""
        if segment == Segment.SMB and ka_type not in ("", KA_NONE):
            self.add_error(
                "ka_type", _("An SMB account has no KA profile: choose “None” or the KA segment.")
            )
        if segment == Segment.KA and ka_type == KA_NONE:
            self.add_error("ka_type", _("A key account needs a KA profile, or leave it automatic."))
        changed = ka_type != (self.initial.get("ka_type") or "")
        if ka_type and changed and not (data.get("ka_type_reason") or "").strip():
            self.add_error("ka_type_reason", _("Say why the KA profile is set by hand."))

    def ka_override(self) -> str | None:
        """What to give `account_ka_profile_override`: None (back to automatic), "" (no KA
        type) or a profile; raises nothing. Only meaningful after is_valid()."""
        ka_type = self.cleaned_data.get("ka_type") or ""
        if not ka_type:
            return None
        return "" if ka_type == KA_NONE else ka_type

    def ka_changed(self) -> bool:
        return (self.cleaned_data.get("ka_type") or "") != (self.initial.get("ka_type") or "")

    @staticmethod
    def initial_from(account: Account) -> dict[str, Any]:
        return {
            "name": account.name,
            "registration_number": account.registration_number or "",
            "industry": account.industry,
            "region": account.region,
            "segment": account.segment,
            "status": account.status,
            "owner": account.owner_id,
            "team": account.team_id,
            "parent": account.parent_id,
            "notes": account.notes,
            "hq_scope": account.hq_scope,
            "is_headquarters": account.is_headquarters,
            "on_ranking_list": account.on_ranking_list,
            "pays_above_peers": account.pays_above_peers,
            "annual_revenue": account.annual_revenue,
            "employee_count": account.employee_count,
            "website": account.website,
            "tags": ", ".join(account.tags or []),
            "region_owner": account.region_owner_id,
            "industry_owner": account.industry_owner_id,
            "support_tier": account.support_tier,
            "custom_fields": account.custom_fields or {},
            "ka_type": (account.ka_profile or KA_NONE) if account.ka_profile_overridden else "",
            "ka_type_reason": account.ka_profile_override_reason,
            "version": account.version,
        }


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        field.widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


SCORE_100_HELP = _("0 to 100: 0 means none at all, 100 the best among our accounts.")


def _score(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100, help_text=SCORE_100_HELP)


def _why() -> forms.CharField:
    return forms.CharField(label=_("Why"), max_length=500, required=False)


class GradingForm(StyledForm):
    """The four dimensions of §2.2, 0-100 each, with a short justification each."""

    revenue = _score(_("Revenue contribution"))
    revenue_justification = _why()
    potential = _score(_("Potential"))
    potential_justification = _why()
    demonstration = _score(_("Demonstration value"))
    demonstration_justification = _why()
    can_win_deliver = _score(_("Can win and can deliver"))
    can_win_deliver_justification = _why()


class OverrideForm(StyledForm):
    value = forms.ChoiceField(label=_("Override"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    clear = forms.BooleanField(label=_("Back to automatic"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", _("None")), *choices]  # type: ignore[attr-defined]


def ka_profile_form(data: Any = None, **kwargs: Any) -> OverrideForm:
    return OverrideForm(data, choices=list(KaProfile.choices), **kwargs)


def strategy_form(data: Any = None, **kwargs: Any) -> OverrideForm:
    return OverrideForm(data, choices=list(Strategy.choices), **kwargs)


class PlanForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    goal = forms.CharField(
        label=_("Goal (G)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    objectives = forms.CharField(
        label=_("Objectives (O)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    strategy = forms.ChoiceField(
        label=_("Strategy (S)"), choices=[("", "—"), *Strategy.choices], required=False
    )
    resources = forms.CharField(
        label=_("Resources (R)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    tests = forms.CharField(
        label=_("Tests (T)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    relationship_advantage = forms.CharField(
        label=_("Advantage in relationships"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    solution_advantage = forms.CharField(
        label=_("Advantage in solutions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    our_solution = forms.CharField(
        label=_("Our solution"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    business_value = forms.CharField(
        label=_("Business value for the customer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ComparisonForm(StyledForm):
    """Value implantation: comparison with one of the top-2 competitors."""

    competitor = forms.ModelChoiceField(
        label=_("Competitor"), queryset=Competitor.objects.none(), required=False
    )
    solution_comparison = forms.CharField(
        label=_("Solution"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    strength_comparison = forms.CharField(
        label=_("Hardware/software strength"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    is_ahead = forms.BooleanField(label=_("We are ahead of this competitor"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competitors = visible(Competitor, user).filter(archived_at__isnull=True)
        self.fields["competitor"].queryset = competitors  # type: ignore[attr-defined]


class ActionForm(StyledForm):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = visible(User, user).filter(is_active=True)  # type: ignore[attr-defined]


class AdoptForm(StyledForm):
    tactics = forms.ModelMultipleChoiceField(
        label=_("Tactics"), queryset=Tactic.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, tactics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tactics"].queryset = tactics  # type: ignore[attr-defined]
        self.fields["tactics"].widget.attrs["class"] = "list-unstyled small"


class MonitoringForm(StyledForm):
    recorded_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    importance = forms.IntegerField(
        label=_("Importance (0-100)"),
        min_value=0,
        max_value=100,
        help_text=_("0 to 100: 0 means the account hardly matters to us, 100 that it is vital."),
    )
    closeness = forms.DecimalField(
        label=_("Relationship closeness (0-100)"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=_(
            "0 to 100, the closeness index: 50 is neutral, above 50 the contacts are on our "
            "side, below 50 against us. Left blank, it is computed from the relationship map."
        ),
    )
    capability_fit = forms.IntegerField(
        label=_("Our capability vs needs (0-100)"),
        min_value=0,
        max_value=100,
        help_text=_(
            "0 to 100: 0 means we cannot meet the needs at all, 100 that we meet them all."
        ),
    )
    needs = forms.CharField(label=_("Customer needs"), max_length=5000, required=False)


class EvaluationForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    relationship_score = forms.IntegerField(
        label=_("Relationship advantage built"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Computed from monitoring records when there are any."),
    )
    solution_score = forms.IntegerField(
        label=_("Solution advantage built"), min_value=0, max_value=100
    )
    incubation_score = forms.IntegerField(
        label=_("Opportunities incubated"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Computed from opportunities created in the year when there are any."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False)


class VisitForm(StyledForm):
    planned_on = forms.DateField(
        label=_("Planned for"), widget=forms.DateInput(attrs={"type": "date"})
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)


class OutcomeForm(StyledForm):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=5000)
    opportunity_name = forms.CharField(
        label=_("Opportunity found (name)"), max_length=200, required=False
    )
    opportunity_amount = forms.DecimalField(
        label=_("Amount (CNY)"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(StyledForm):
    decision = forms.CharField(
        label=_("Decision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    archive_duplicate = forms.BooleanField(label=_("Archive the duplicate account"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TacticForm(StyledForm):
    strategy = forms.ChoiceField(label=_("Strategy"), choices=Strategy.choices)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
