from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.core.forms import limit_choices
from wuwei.opportunities.models import OPEN_STAGES, Stage


def _style(form: forms.BaseForm, small: bool = True) -> None:
    """The app's Bootstrap controls (as on every other form), small on these dense pages."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            css = f"{css} {css}-sm" if small else css
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class AssignForm(StyledForm):
    resource = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.DecimalField(label=_("Days"), min_value=0.01, max_digits=7, decimal_places=2)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    allow_over_capacity = forms.BooleanField(label=_("Accept over capacity"), required=False)


class DecisionForm(StyledForm):
    approve = forms.BooleanField(required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class RequestForm(StyledForm):
    skills = forms.CharField(
        label=_("Skills"), required=False, max_length=400, help_text=_("Tags, comma-separated")
    )
    effort_days = forms.DecimalField(
        label=_("Effort (days)"), min_value=0.01, max_digits=7, decimal_places=2
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(
        label=_("Purpose"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_warnings = forms.BooleanField(label=_("I confirm the warnings"), required=False)

    def clean_skills(self) -> list[str]:
        raw: str = self.cleaned_data.get("skills") or ""
        return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]


class StageOwnerForm(StyledForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=[(s, Stage(s).label) for s in OPEN_STAGES])
    owner: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", owners)
        _style(self)


class StageScoreForm(forms.Form):
    """One participant's stage-exit score (§5.4), posted from the pending-scores page or the
    deal's Stage scores tab."""

    stage = forms.ChoiceField(choices=[(s, s) for s in OPEN_STAGES], widget=forms.HiddenInput)
    participant = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.IntegerField(
        label=_("Score (0–100)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": 1}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    back = forms.ChoiceField(
        choices=[("deal", "deal"), ("list", "list")], required=False, widget=forms.HiddenInput
    )
