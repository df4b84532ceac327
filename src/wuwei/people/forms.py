from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.core.visibility import visible
from wuwei.people.models import Contact
from wuwei.people.selectors import ContactFilters
from wuwei.web.forms import SearchSelect, limit_choices


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
        label=_("Account"), queryset=Account.objects.none(), widget=SearchSelect
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    reports_to = forms.ModelChoiceField(
        label=_("Reports to"), queryset=Contact.objects.none(), required=False
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
            "version": contact.version,
        }
