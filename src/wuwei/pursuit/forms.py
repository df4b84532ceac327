"""Forms of the Strategy and Value proposition tabs and of the tactics library page."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.core.forms import limit_choices
from wuwei.opportunities.models import (
    CompetitiveStrategy,
    CompetitiveTactic,
    Opportunity,
    TacticStatus,
    ValueDimension,
)
from wuwei.org.models import User
from wuwei.people.models import ActivityKind, Contact
from wuwei.pursuit.services import ComparisonInput

# One line on what each strategy means (TAS), shown next to the choice.
STRATEGY_HELP: dict[str, Promise] = {
    CompetitiveStrategy.FRONTAL: _("Attack head-on: needs a clear advantage."),
    CompetitiveStrategy.FLANKING: _("Move the evaluation criteria to where we are strong."),
    CompetitiveStrategy.FRAGMENT: _("Split the deal and win the part we can."),
    CompetitiveStrategy.DEFEND: _("Protect our position with a customer we already serve."),
    CompetitiveStrategy.DEVELOP: _(
        "No winnable position now: build relationships and needs for later."
    ),
}
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


def deal_people(opportunity: Opportunity) -> QuerySet[User]:
    """Who may own a tactic of the deal: its owner and its deal team."""
    return User.objects.filter(
        Q(pk=opportunity.owner_id) | Q(opportunity_memberships=opportunity), is_active=True
    ).distinct()


class StrategyForm(forms.Form):
    strategy = forms.ChoiceField(
        label=_("Strategy"), choices=CompetitiveStrategy.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Why"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AdoptForm(forms.Form):
    tactics = forms.ModelMultipleChoiceField(
        label=_("Tactics"),
        queryset=CompetitiveTactic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(
        label=_("Or a tactic of your own"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due = forms.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, tactics: QuerySet[CompetitiveTactic], people: QuerySet[User], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        limit_choices(self, "tactics", tactics)
        limit_choices(self, "owner", people)
        self.fields["owner"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("tactics") and not (data.get("title") or "").strip():
            raise forms.ValidationError(_("Choose at least one tactic or type one in."))
        return data


class DealTacticForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TacticStatus.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due = forms.DateField(label=_("Due"), required=False)
    version = forms.IntegerField()

    def __init__(self, *args: Any, people: QuerySet[User], **kw: Any) -> None:
        super().__init__(*args, **kw)
        limit_choices(self, "owner", people)


class TacticActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    occurred_on = forms.DateField(label=_("Date"))
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts involved"), queryset=Contact.objects.none(), required=False
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kw: Any) -> None:
        super().__init__(*args, **kw)
        limit_choices(self, "contacts", contacts)


class ValueForm(forms.Form):
    """Solution, business value and one rating (1–5) + note per dimension and party; party
    `us` or a competitor id. Cells of competitors not shown are kept by the view."""

    solution = forms.CharField(
        label=_("Our solution"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
    )
    business_value = forms.CharField(
        label=_("Business value for the customer"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, parties: dict[str, Any], **kw: Any) -> None:
        """`parties`: "us" → None, str(competitor id) → Competitor."""
        super().__init__(*args, **kw)
        self.parties = parties
        ratings = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]
        for dimension, label in ValueDimension.choices:
            for party, competitor in parties.items():
                name = _("us") if competitor is None else competitor.name
                self.fields[f"rating-{dimension}-{party}"] = forms.TypedChoiceField(
                    label=f"{label} · {name}",
                    choices=ratings,
                    coerce=int,
                    required=False,
                    empty_value=None,
                )
                self.fields[f"note-{dimension}-{party}"] = forms.CharField(
                    max_length=500, required=False
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for dimension in ValueDimension.values:
            for party in self.parties:
                if (
                    data.get(f"note-{dimension}-{party}")
                    and data.get(f"rating-{dimension}-{party}") is None
                ):
                    self.add_error(f"rating-{dimension}-{party}", _("Rate it from 1 to 5."))
        return data

    def comparisons(self) -> list[ComparisonInput]:
        data = self.cleaned_data
        return [
            ComparisonInput(
                dimension=dimension,
                competitor=competitor,
                rating=data[f"rating-{dimension}-{party}"],
                note=data.get(f"note-{dimension}-{party}") or "",
            )
            for dimension in ValueDimension.values
            for party, competitor in self.parties.items()
            if data.get(f"rating-{dimension}-{party}") is not None
        ]
