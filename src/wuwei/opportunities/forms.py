from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.forms import AccountPicker, limit_choices
from wuwei.core.visibility import visible
from wuwei.opportunities import partners
from wuwei.opportunities.models import (
    DealRole,
    Grade,
    Opportunity,
    ProductLine,
    Source,
    Stage,
    Track,
)
from wuwei.opportunities.selectors import OPPORTUNITY_SORTS, OpportunityFilters
from wuwei.org.forms import SalesFirstUserField
from wuwei.org.models import Team, TeamKind, User


def _style(form: forms.BaseForm, small: bool = False) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", f"{css} {css}-sm" if small else css)


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open and closed")),
            ("open", _("Open")),
            ("won", _("Won")),
            ("lost", _("Lost")),
        ],
    )
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("All grades")), *Grade.choices]
    )
    track = forms.ChoiceField(
        label=_("Track"), required=False, choices=[("", _("All tracks")), *Track.choices]
    )
    owner = forms.ChoiceField(
        label=_("Owner"), required=False, choices=[("", _("Anyone")), ("me", _("Me"))]
    )
    close_period = forms.RegexField(
        label=_("Close period"),
        required=False,
        regex=r"^\d{4}(-Q[1-4]|-\d{2})?$",
        widget=forms.TextInput(attrs={"placeholder": "2027-Q1"}),
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-amount", _("Largest first")),
            ("name", _("Name")),
            ("-updated_at", _("Recently changed")),
            ("-created_at", _("Newest")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self, small=True)

    def filters(self) -> OpportunityFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return OpportunityFilters(
            q=data.get("q") or None,
            stage=data.get("stage") or None,
            status=data.get("status") or None,
            grade=data.get("grade") or None,
            track=data.get("track") or None,
            owner=data.get("owner") or None,
            close_period=data.get("close_period") or None,
            account=data.get("account"),
        )

    def sort_key(self) -> str:
        value = self.cleaned_data.get("sort") if self.is_valid() else None
        return value if value in OPPORTUNITY_SORTS else "-amount"


class OpportunityForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), widget=AccountPicker
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    expected_close = forms.DateField(
        label=_("Expected close"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = SalesFirstUserField(label=_("Owner"), queryset=User.objects.none())
    team = forms.ModelChoiceField(
        label=_("Owning team"), queryset=Team.objects.none(), required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    products = forms.ModelMultipleChoiceField(
        label=_("Products / scope"),
        queryset=ProductLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade_override = forms.ChoiceField(
        label=_("Grade override"),
        required=False,
        choices=[("", _("None: grade by amount")), *[(g, g) for g in "ABCD"]],
    )
    grade_override_reason = forms.CharField(
        label=_("Override reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "account", visible(Account, user).filter(archived_at__isnull=True))
        limit_choices(self, "owner", visible(User, user).filter(is_active=True))
        limit_choices(self, "team", visible(Team, user).filter(archived_at__isnull=True))
        limit_choices(self, "products", ProductLine.objects.filter(archived_at__isnull=True))
        if partners.is_partner(user):  # a partner edits only the partner fields
            for name in set(self.fields) - partners.PARTNER_WRITABLE - {"account", "version"}:
                del self.fields[name]
            del self.fields["owner"]
        _style(self)

    @staticmethod
    def initial_from(opportunity: Opportunity) -> dict[str, Any]:
        return {
            "account": opportunity.account_id,
            "name": opportunity.name,
            "amount": opportunity.amount,
            "currency": opportunity.currency,
            "expected_close": opportunity.expected_close,
            "owner": opportunity.owner_id,
            "team": opportunity.team_id,
            "source": opportunity.source,
            "products": [p.pk for p in opportunity.products.all()],
            "grade_override": opportunity.grade_override,
            "grade_override_reason": opportunity.grade_override_reason,
            "notes": opportunity.notes,
            "version": opportunity.version,
        }


class StageMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.TextInput()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)  # stale → 409, like every write
    winning_competitor = forms.ModelChoiceField(
        label=_("Winning competitor"), queryset=Competitor.objects.none(), required=False
    )
    winning_price = forms.DecimalField(
        label=_("Winning price"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    # A manager above the deal lets the move through blocking PRM rules (§6) with a reason.
    override_reason = forms.CharField(
        label=_("Override reason"), required=False, max_length=2000, widget=forms.TextInput()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "winning_competitor", visible(Competitor, user).filter(archived_at__isnull=True)
        )
        if partners.is_partner(user):  # competitors are internal work
            del self.fields["winning_competitor"], self.fields["winning_price"]
        _style(self, small=True)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=DealRole.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "user", visible(User, user).filter(is_active=True))
        _style(self, small=True)


class DealCompetitorForm(forms.Form):
    competitor = forms.ModelChoiceField(label=_("Competitor"), queryset=Competitor.objects.none())
    is_primary = forms.BooleanField(label=_("Main threat"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "competitor", visible(Competitor, user).filter(archived_at__isnull=True)
        )
        _style(self, small=True)


class RegistrationForm(forms.Form):
    """A partner registers a deal (报备, METHOD.md §4.2 E): the customer by name and
    registration number, the product scope, the expected amount and date. Staff registering
    for a partner also name the partner company."""

    customer_name = forms.CharField(label=_("Customer name"), max_length=200)
    customer_registration_number = forms.CharField(
        label=_("Customer registration number"),
        max_length=50,
        help_text=_("The unified social credit code on the customer's business licence."),
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Team.objects.none())
    products = forms.ModelMultipleChoiceField(
        label=_("Product scope"),
        queryset=ProductLine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    estimated_amount = forms.DecimalField(
        label=_("Expected amount"), min_value=0, max_digits=16, decimal_places=2
    )
    expected_close = forms.DateField(
        label=_("Expected close"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "products", ProductLine.objects.filter(archived_at__isnull=True))
        if partners.is_partner(user):  # a partner registers for their own company only
            del self.fields["partner"]
        else:
            limit_choices(
                self,
                "partner",
                visible(Team, user).filter(kind=TeamKind.PARTNER, archived_at__isnull=True),
            )
        _style(self)
