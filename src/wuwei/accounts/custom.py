"""Custom fields of the account form, built from their definitions (METHOD.md §2.1): a typed
input per definition, and the JSON value stored under its key in `Account.custom_fields`."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import AccountFieldDefinition, FieldKind

YES, NO = "yes", "no"


def field_name(definition: AccountFieldDefinition) -> str:
    return f"cf_{definition.key}"


def form_field(definition: AccountFieldDefinition, stored: Any) -> forms.Field:
    """The input for one definition; a stored choice no longer offered stays selectable."""
    common: dict[str, Any] = {"label": definition.label, "required": definition.is_required}
    if definition.kind == FieldKind.NUMBER:
        return forms.DecimalField(max_digits=20, decimal_places=4, **common)
    if definition.kind == FieldKind.DATE:
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(widget=widget, **common)
    if definition.kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=[("", "—"), (YES, _("Yes")), (NO, _("No"))], **common)
    if definition.kind == FieldKind.CHOICE:
        options = [str(option) for option in definition.choices or []]
        if stored not in (None, "") and str(stored) not in options:
            options.append(str(stored))
        return forms.ChoiceField(choices=[("", "—"), *[(o, o) for o in options]], **common)
    return forms.CharField(max_length=500, **common)


def initial_value(definition: AccountFieldDefinition, stored: Any) -> Any:
    if stored is None:
        return None
    if definition.kind == FieldKind.YES_NO:
        return YES if stored in (True, YES, "true", 1) else NO
    if definition.kind == FieldKind.DATE and isinstance(stored, str):
        try:
            return date.fromisoformat(stored)
        except ValueError:
            return None
    return stored


def stored_value(definition: AccountFieldDefinition, value: Any) -> Any:
    """The JSON value kept for a cleaned form value; None when left empty (key dropped)."""
    if value in (None, ""):
        return None
    if definition.kind == FieldKind.NUMBER:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if definition.kind == FieldKind.DATE:
        return value.isoformat()
    if definition.kind == FieldKind.YES_NO:
        return value == YES
    return str(value).strip() or None


def shown_values(
    definitions: list[AccountFieldDefinition], values: dict[str, Any]
) -> list[tuple[str, Any]]:
    """(label, value) for the account page: defined fields in their order under their label,
    then any other stored key under its key; yes/no in words."""
    rows: list[tuple[str, Any]] = []
    defined = set()
    for definition in definitions:
        defined.add(definition.key)
        value = values.get(definition.key)
        if value in (None, ""):
            continue
        if definition.kind == FieldKind.YES_NO:
            value = _("Yes") if value is True else _("No")
        rows.append((definition.label, value))
    rows += [(key, value) for key, value in sorted(values.items()) if key not in defined]
    return rows
