from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account, AccountStatus, Industry
from wuwei.accounts.selectors import AccountFilters
from wuwei.core.visibility import visible
from wuwei.org.models import Segment, Team, User
from wuwei.web.forms import SearchSelect, limit_choices


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
    archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner", "industry", "segment", "status"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> AccountFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AccountFilters(
            q=data.get("q") or None,
            owner=data.get("owner") or None,
            industry=data.get("industry") or None,
            segment=data.get("segment") or None,
            status=data.get("status") or None,
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
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    team = forms.ModelChoiceField(
        label=_("Owning team"), queryset=Team.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Parent account"),
        queryset=Account.objects.none(),
        required=False,
        widget=SearchSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", visible(User, user).filter(is_active=True))
        limit_choices(self, "team", visible(Team, user).filter(archived_at__isnull=True))
        limit_choices(self, "parent", visible(Account, user).filter(archived_at__isnull=True))
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

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
            "version": account.version,
        }
