"""Form helpers shared by every app's pages."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from wuwei.core.errors import DomainError


def limit_choices(form: forms.BaseForm, field: str, queryset: QuerySet[Any]) -> None:
    """Restrict a model choice field to what the user may see."""
    cast("forms.ModelChoiceField[Any]", form.fields[field]).queryset = queryset


def set_choices(form: forms.BaseForm, field: str, choices: Any) -> None:
    """Give a choice field its choices at run time (they depend on the record or the user)."""
    cast(forms.ChoiceField, form.fields[field]).choices = choices


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field where it names one."""
    placed = False
    for field, message in exc.errors:
        if field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


class AccountPicker(forms.Select):
    """One type-ahead account picker (wuwei/picker.js): a text box that asks the JSON endpoint
    `url` as the user types and a hidden input carrying the chosen id under the field's name.
    Only the chosen account is read from the database (one query, none when empty); the list
    of candidates comes from the endpoint, which answers through `core.visibility`."""

    template_name = "web/widgets/picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None, url: str = "accounts:picker") -> None:
        super().__init__(attrs)
        self.url = url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = value[0] if isinstance(value, list | tuple) and value else value
        chosen = "" if chosen in (None, "") else str(chosen)
        label = ""
        queryset = getattr(self.choices, "queryset", None)
        if chosen.isdigit() and queryset is not None:
            found = queryset.filter(pk=int(chosen)).first()
            label = str(found) if found is not None else ""
            chosen = chosen if found is not None else ""
        widget = context["widget"]
        attrs = {k: v for k, v in widget["attrs"].items() if k not in ("required",)}
        attrs["class"] = "form-control"
        widget.update(
            {
                "chosen": chosen,
                "label": label,
                "url": reverse(self.url),
                "input_attrs": attrs,
                "is_required": self.is_required,
            }
        )
        return context

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data
