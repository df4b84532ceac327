"""Forms of the buying-process pages: template, step and role editing (administrators) and the
deal tab's template choice and role → contact mapping."""

from typing import Any

from django import forms

from wuwei.core.forms import set_choices
from wuwei.playbook.buying.selectors import OUR_STAGES
from wuwei.playbook.models import BuyingProcessTemplate, BuyingRole, BuyingStep

SMALL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
TEXTAREA = {"rows": 2, "class": "form-control form-control-sm"}


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.update(SELECT)
        elif isinstance(widget, forms.Textarea):
            widget.attrs.update(TEXTAREA)
        else:
            widget.attrs.update(SMALL)


class _Styled(forms.ModelForm):
    Meta: Any
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TemplateForm(_Styled):
    class Meta:
        model = BuyingProcessTemplate
        fields = (
            "code",
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "industry",
            "company_size",
        )


class StepForm(_Styled):
    class Meta:
        model = BuyingStep
        fields = ("number", "name_en", "name_zh", "description_en", "description_zh", "stage")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "stage", [(s.value, s.label) for s in OUR_STAGES])

    def validate_unique(self) -> None:
        """The service checks the number among the template's live steps."""


class RoleForm(_Styled):
    class Meta:
        model = BuyingRole
        fields = ("name_en", "name_zh", "function", "kind", "concerns_en", "concerns_zh")


class ChooseTemplateForm(forms.Form):
    template = forms.IntegerField(required=False)
    version = forms.IntegerField(required=False)


class MapContactForm(forms.Form):
    role = forms.IntegerField()
    contact = forms.IntegerField()
