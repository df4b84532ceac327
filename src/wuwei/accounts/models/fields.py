"""Custom fields of the account archive (METHOD.md §2.1 "custom fields"): an administrator
defines each field (key, labels in both languages, type, choices), and the account form shows
it as a real input of that type. Values stay in `Account.custom_fields` under the key."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes / no")
    CHOICE = "choice", _("Choice")


class AccountFieldDefinition(BaseModel):
    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("The name the value is stored and exported under."),
    )
    label_en = models.CharField(_("label (English)"), max_length=100)
    label_zh = models.CharField(_("label (Chinese)"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=FieldKind.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice: the list of options.")
    )
    is_required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("account custom field")
        verbose_name_plural = _("account custom fields")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = get_language() or "zh-hans"
        return self.label_zh if language.startswith("zh") else self.label_en
