"""The insights report's filter form (one period and one team, METHOD.md §7.2)."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.core.forms import limit_choices
from wuwei.core.visibility import visible
from wuwei.insights.selectors import default_period
from wuwei.org.models import Team

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class SegmentFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "team", visible(Team, user).filter(archived_at__isnull=True).order_by("path")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data
