from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.forms import AccountPicker, limit_choices
from wuwei.core.visibility import visible
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import (
    ActivityKind,
    BehaviorOrientation,
    ConnectionHow,
    Contact,
    DecisionParticipant,
    DecisionRole,
    InteractionLevel,
    RelationshipStatus,
    RelationshipStrategy,
)
from wuwei.people.selectors import ActivityFilters, ContactFilters

INFLUENCE_CHOICES = [(n, str(n)) for n in range(1, 6)]
INFLUENCE_HELP = _("1 to 5: 1 means their opinion hardly counts, 5 that their word decides.")


def style(form: forms.BaseForm, small: bool = False) -> None:
    """Bootstrap classes on every widget."""
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if small:
            size = " form-select-sm" if css == "form-select" else " form-control-sm"
        widget.attrs.setdefault("class", css + size)


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def filters(self) -> ContactFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ContactFilters(
            q=data.get("q") or None,
            account=data.get("account"),
            archived=bool(data.get("archived")),
        )


class ContactForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), widget=AccountPicker
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    reports_to = forms.ModelChoiceField(
        label=_("Reports to"), queryset=Contact.objects.none(), required=False
    )
    # Optional on the form (older clients post without them): blank keeps the default.
    influence = forms.TypedChoiceField(
        label=_("Influence"),
        choices=INFLUENCE_CHOICES,
        coerce=int,
        initial=3,
        required=False,
        help_text=INFLUENCE_HELP,
    )
    circle = forms.CharField(
        label=_("Circle"),
        max_length=100,
        required=False,
        help_text=_("The faction (圈子) this person belongs to; same label = same circle."),
    )
    behavior_orientation = forms.ChoiceField(
        label=_("Behaviour orientation"),
        choices=[("", "—"), *BehaviorOrientation.choices],
        required=False,
    )
    relationship_status = forms.TypedChoiceField(
        label=_("Relationship status"),
        choices=RelationshipStatus.choices,
        initial=RelationshipStatus.NEUTRAL,
        required=False,
        empty_value=RelationshipStatus.NEUTRAL,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, user: Any, account: Account | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "account", visible(Account, user).filter(archived_at__isnull=True))
        reports_to = visible(Contact, user).filter(archived_at__isnull=True)
        # The manager list is the account's own people: a bounded, meaningful choice.
        limit_choices(
            self,
            "reports_to",
            reports_to.filter(account=account).order_by("name") if account else reports_to.none(),
        )
        if account is not None:
            self.fields["account"].disabled = True
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_influence(self) -> int:
        return int(self.cleaned_data.get("influence") or 3)

    @staticmethod
    def initial_from(contact: Contact) -> dict[str, Any]:
        return {
            "account": contact.account_id,
            "name": contact.name,
            "title": contact.title,
            "department": contact.department,
            "phone": contact.phone,
            "email": contact.email,
            "reports_to": contact.reports_to_id,
            "notes": contact.notes,
            "influence": contact.influence,
            "circle": contact.circle,
            "behavior_orientation": contact.behavior_orientation,
            "relationship_status": contact.relationship_status,
            "version": contact.version,
        }


class PersonaForm(forms.Form):
    """The persona edited inline on the relationship map (§3.1-3.2)."""

    influence = forms.TypedChoiceField(
        label=_("Influence"), choices=INFLUENCE_CHOICES, coerce=int, help_text=INFLUENCE_HELP
    )
    circle = forms.CharField(label=_("Circle"), max_length=100, required=False)
    behavior_orientation = forms.ChoiceField(
        label=_("Behaviour orientation"),
        choices=[("", "—"), *BehaviorOrientation.choices],
        required=False,
    )
    relationship_status = forms.ChoiceField(
        label=_("Relationship status"), choices=RelationshipStatus.choices
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=True)
        self.fields["circle"].widget.attrs["list"] = "circle-options"

    @staticmethod
    def initial_from(contact: Contact) -> dict[str, Any]:
        return {
            "influence": contact.influence,
            "circle": contact.circle,
            "behavior_orientation": contact.behavior_orientation,
            "relationship_status": contact.relationship_status,
            "version": contact.version,
        }


class CompetitorStatusForm(forms.Form):
    competitor = forms.ModelChoiceField(label=_("Competitor"), queryset=Competitor.objects.none())
    status = forms.ChoiceField(label=_("Relationship status"), choices=RelationshipStatus.choices)
    interaction_level = forms.ChoiceField(
        label=_("Interaction level"), choices=InteractionLevel.choices
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "competitor", visible(Competitor, user).filter(archived_at__isnull=True)
        )
        style(self, small=True)


class ConnectionForm(forms.Form):
    """ "I know this person": the caller's own connection to a contact (§3.5)."""

    how = forms.ChoiceField(label=_("How"), choices=ConnectionHow.choices)
    strength = forms.TypedChoiceField(
        label=_("Connection strength"), choices=INFLUENCE_CHOICES, coerce=int, initial=3
    )
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=True)


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    opportunity = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ActivityKind.choices], required=False
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    mine = forms.BooleanField(label=_("Mine"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=True)

    def filters(self, user: Any) -> ActivityFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ActivityFilters(
            q=data.get("q") or None,
            account=data.get("account"),
            contact=data.get("contact"),
            opportunity=data.get("opportunity"),
            kind=data.get("kind") or None,
            tag=data.get("tag") or None,
            owner=user.pk if data.get("mine") else None,
        )


class AccountChoiceForm(forms.Form):
    """The first step of logging an activity: which account (the type-ahead picker)."""

    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), widget=AccountPicker
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "account", visible(Account, user).filter(archived_at__isnull=True))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts involved"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opportunity = forms.ModelChoiceField(
        label=_("Opportunity"), queryset=Opportunity.objects.none(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=500,
        required=False,
        help_text=_("Comma-separated, e.g. budget, pricing"),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000
    )

    def __init__(self, *args: Any, user: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "contacts",
            visible(Contact, user)
            .filter(account=account, archived_at__isnull=True)
            .order_by("name"),
        )
        limit_choices(
            self,
            "opportunity",
            visible(Opportunity, user)
            .filter(account=account, archived_at__isnull=True)
            .order_by("name"),
        )
        style(self)


class DealActivityForm(ActivityForm):
    """An activity logged on the deal page: the deal is given, so it is not asked."""

    def __init__(self, *args: Any, user: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, user=user, account=account, **kwargs)
        del self.fields["opportunity"]


class ParticipantForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Contact"), queryset=Contact.objects.none())
    decision_role = forms.ChoiceField(label=_("Decision role"), choices=DecisionRole.choices)
    relationship_status = forms.ChoiceField(
        label=_("Relationship status in this deal"),
        choices=[("", _("Same as overall")), *RelationshipStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = DecisionParticipant.objects.filter(opportunity=opportunity).values("contact_id")
        limit_choices(
            self,
            "contact",
            visible(Contact, user)
            .filter(account_id=opportunity.account_id, archived_at__isnull=True)
            .exclude(pk__in=taken)
            .order_by("name"),
        )
        style(self, small=True)


class ParticipantEditForm(forms.Form):
    decision_role = forms.ChoiceField(label=_("Decision role"), choices=DecisionRole.choices)
    relationship_status = forms.ChoiceField(
        label=_("Relationship status in this deal"), choices=RelationshipStatus.choices
    )
    strategy = forms.ChoiceField(
        label=_("Relationship strategy"),
        choices=[("", _("Follow the suggestion")), *RelationshipStrategy.choices],
        required=False,
    )
    strategy_reason = forms.CharField(label=_("Why"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=True)


class ParticipantChoiceField(forms.ModelChoiceField):
    """A deal participant shown as a person would name them: "Name (title) · decision role"."""

    def label_from_instance(self, obj: Any) -> str:
        contact = obj.contact
        name = f"{contact.name} ({contact.title})" if contact.title else contact.name
        return f"{name} · {obj.get_decision_role_display()}"


class DecisionInfluenceForm(forms.Form):
    source = ParticipantChoiceField(label=_("Who"), queryset=DecisionParticipant.objects.none())
    target = ParticipantChoiceField(
        label=_("influences"), queryset=DecisionParticipant.objects.none()
    )

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = (
            DecisionParticipant.objects.filter(opportunity=opportunity)
            .select_related("contact")
            .order_by("contact__name", "pk")
        )
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = participants
        style(self, small=True)


class InfluenceForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Influences"), queryset=Contact.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "target",
            visible(Contact, user)
            .filter(account_id=contact.account_id, archived_at__isnull=True)
            .exclude(pk=contact.pk)
            .order_by("name"),
        )
        style(self, small=True)
