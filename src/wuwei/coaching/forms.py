"""The review form: comments and a few action item rows (title, owner, due)."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wuwei.coaching.models import ActionStatus
from wuwei.coaching.services import MAX_ACTIONS
from wuwei.core.forms import limit_choices
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User

ACTION_ROWS = 3


def owner_choices(opportunity: Opportunity, reviewer: Any) -> QuerySet[User]:
    """Who an action item can go to: the deal's owner, its deal team, the reviewer."""
    people = Q(pk=opportunity.owner_id) | Q(opportunity_memberships=opportunity)
    if getattr(reviewer, "pk", None):
        people |= Q(pk=reviewer.pk)
    return User.objects.filter(people, is_active=True).distinct().order_by("username")


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class ActionRowForm(forms.Form):
    """One action item row; a row left entirely blank is ignored."""

    title = forms.CharField(
        label=_("Action"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    owner: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    due = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    def __init__(
        self, *args: Any, owners: QuerySet[User], options: list[tuple[Any, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", owners)
        # Every row offers the same people: read them once for all rows, not once per row.
        self.fields["owner"].widget.choices = options

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("title") and data.get("owner") is None and data.get("due") is None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank:
            for name in ("title", "owner", "due"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return data


ActionFormSet = forms.formset_factory(
    ActionRowForm, extra=ACTION_ROWS, max_num=MAX_ACTIONS, validate_max=True
)


def action_formset(opportunity: Opportunity, reviewer: Any, data: Any = None) -> Any:
    owners = owner_choices(opportunity, reviewer)
    options = [("", "---------"), *((user.pk, str(user)) for user in owners)]
    return ActionFormSet(data, prefix="actions", form_kwargs={"owners": owners, "options": options})


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    version = forms.IntegerField(min_value=1)
