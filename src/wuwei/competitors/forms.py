"""Competitor intelligence on pages (METHOD.md §4.4): the same services as the API. Each form
carries the version it was shown with, so a stale save or archive is refused with a message."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.competitors.models import InsightKind


def _style(form: forms.BaseForm, small: bool = False) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", f"{css} {css}-sm" if small else css)


class CompetitorInsightForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InsightKind.choices)
    text = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self, small=True)


class CompetitorEventForm(forms.Form):
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self, small=True)


class CompetitorPriceForm(forms.Form):
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3, initial="CNY")
    quoted_on = forms.DateField(
        label=_("Quoted on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self, small=True)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()
