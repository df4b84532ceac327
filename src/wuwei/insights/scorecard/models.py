"""Collections on won deals (回款) and the three uses recorded at a deal's close (三利用)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel

POSITIVE_MONEY = [MinValueValidator(0.01)]


class Contract(BaseModel):
    """The contract value of a won deal (may differ from the deal's amount)."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="contract",
    )
    value = models.DecimalField(
        _("contract value"), max_digits=16, decimal_places=2, validators=POSITIVE_MONEY
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.value}"


class Payment(BaseModel):
    """A payment received on a won deal."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="payments",
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=POSITIVE_MONEY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["opportunity", "received_on"], name="payment_deal_day")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.received_on} {self.amount}"


class DealUse(models.Model):
    """The three uses in pursuit (三利用, §8) as they stood when the deal closed: written once
    by the stage move to won or lost, never edited."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="uses_at_close",
    )
    outcome = models.CharField(_("outcome"), max_length=10)
    closed_on = models.DateField(_("closed on"))
    connections_used = models.BooleanField(_("connections used"))
    solution_used = models.BooleanField(_("solution used"))
    rules_used = models.BooleanField(_("rules used"))
    dimensions_ahead = models.PositiveSmallIntegerField(_("value dimensions ahead"), default=0)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("uses at close")
        verbose_name_plural = _("uses at close")
        indexes = [models.Index(fields=["closed_on"], name="dealuse_closed")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.outcome}"
