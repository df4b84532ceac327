from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wuwei.core.forms import limit_choices
from wuwei.org.handover import handover_steps
from wuwei.org.models import HandoverReason, Team, User, UserRole
from wuwei.org.permissions import SALES_ROLES


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.username})"


class HandoverForm(forms.Form):
    """Who hands over, to whom (one default successor, optionally one per step), and why."""

    reason = forms.ChoiceField(label=_("Reason"), choices=HandoverReason.choices)
    successor = UserChoiceField(label=_("Successor"), queryset=User.objects.none(), required=False)
    deactivate = forms.BooleanField(label=_("Deactivate the user afterwards"), required=False)
    team = forms.ModelChoiceField(
        label=_("New team (territory change)"), queryset=Team.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("username")
        limit_choices(self, "successor", candidates)
        limit_choices(self, "team", Team.objects.filter(archived_at__isnull=True))
        for step in handover_steps():
            self.fields[f"step_{step.key}"] = UserChoiceField(
                label=str(step.label), queryset=candidates, required=False
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-select-sm form-control-sm")

    def step_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("step_")]

    def successors(self) -> dict[str, User]:
        return {
            name.removeprefix("step_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("step_") and value is not None
        }


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
