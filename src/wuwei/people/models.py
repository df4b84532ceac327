"""Customer contacts (METHOD.md §3). The relationship map builds on these."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.core.models import BaseModel


class Contact(BaseModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["account", "archived_at"], name="contact_account"),
            models.Index(fields=["name", "id"], name="contact_name_id"),
        ]

    def __str__(self) -> str:
        return self.name
