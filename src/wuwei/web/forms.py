"""Form helpers shared by every app's pages."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from wuwei.core.errors import DomainError


class SearchSelect(forms.Select):
    """A select that renders only the chosen option; the page fills it by htmx search, so a
    choice among a million rows never ships a million <option>s."""

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        chosen = {str(v) for v in value if v not in (None, "")}
        groups = []
        index = 0
        if not self.is_required:
            groups.append((None, [self.create_option(name, "", "—", not chosen, index)], index))
            index += 1
        queryset = getattr(self.choices, "queryset", None)
        if chosen and queryset is not None:
            for obj in queryset.filter(pk__in=list(chosen))[:10]:
                option = self.create_option(name, str(obj.pk), str(obj), True, index)
                groups.append((None, [option], index))
                index += 1
        return groups


def limit_choices(form: forms.BaseForm, field: str, queryset: QuerySet[Any]) -> None:
    """Restrict a model choice field to what the user may see."""
    cast(forms.ModelChoiceField, form.fields[field]).queryset = queryset


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field where it names one."""
    placed = False
    for field, message in exc.errors:
        if field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)
