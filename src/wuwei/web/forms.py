"""Form helpers shared by every app's pages."""

from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from wuwei.core.errors import DomainError
from wuwei.org.models import Role, UserRole


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


#: Who counts as a sales person in owner pickers: reps and their managers.
SALES_ROLES = (Role.REP, Role.MANAGER)


class _SalesFirstIterator(forms.models.ModelChoiceIterator):
    """The empty choice, then two option groups: sales people, then everyone else (one
    query: whether a person holds a sales role is an EXISTS on the same select)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        sales_roles = UserRole.objects.filter(user=OuterRef("pk"), role__in=SALES_ROLES)
        people = self.queryset.annotate(is_seller=Exists(sales_roles)).order_by(
            "-is_seller", "username"
        )
        sellers: list[Any] = []
        others: list[Any] = []
        for person in people:
            (sellers if person.is_seller else others).append(self.choice(person))
        if sellers:
            yield (str(_("Sales")), sellers)
        if others:
            yield (str(_("Others")), others)


class SalesFirstUserField(forms.ModelChoiceField):
    """An owner picker offering sales people first, then others, grouped."""

    iterator = _SalesFirstIterator
