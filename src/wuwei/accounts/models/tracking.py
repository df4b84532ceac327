"""Dynamic monitoring and annual evaluation (§2.7) and visit management (§2.8)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models.archive import Account
from wuwei.core.models import BaseModel

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class ClosenessSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    # Filled automatically from the relationship map's closeness index (§3.4) once it exists.
    RELATIONSHIP_MAP = "relationship_map", _("Relationship map")


class MonitoringRecord(BaseModel):
    """A periodic reading of an account (§2.7). `changes` keeps what moved since the previous
    record, so the timeline shows it without re-reading history."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="monitoring_records",
    )
    recorded_on = models.DateField(_("date"))
    importance = models.PositiveSmallIntegerField(
        _("importance"), validators=SCORE_VALIDATORS, help_text=_("0-100")
    )
    closeness = models.DecimalField(
        _("relationship closeness"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("0-100 (relationship closeness index)"),
    )
    closeness_source = models.CharField(
        _("closeness source"),
        max_length=20,
        choices=ClosenessSource.choices,
        default=ClosenessSource.ENTERED,
    )
    needs = models.TextField(_("customer needs"), blank=True)
    capability_fit = models.PositiveSmallIntegerField(
        _("our capability vs needs"),
        validators=SCORE_VALIDATORS,
        help_text=_("0-100: how far our capability meets the customer's needs"),
    )
    notes = models.TextField(_("notes"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("monitoring record")
        verbose_name_plural = _("monitoring records")
        indexes = [models.Index(fields=["account", "recorded_on", "id"], name="monitoring_account")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.recorded_on}"


class AnnualEvaluation(BaseModel):
    """The three core functions of key-account management for one year (§2.7, 三作用).
    `*_computed` come from data where it exists; `*_score` is what the evaluator decided."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    closeness_change = models.DecimalField(
        _("closeness change over the year"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
    )
    opportunities_incubated = models.PositiveIntegerField(
        _("opportunities incubated"), default=0, editable=False
    )
    opportunities_amount = models.DecimalField(
        _("amount incubated"), max_digits=18, decimal_places=2, default=0, editable=False
    )
    relationship_score = models.PositiveSmallIntegerField(
        _("relationship advantage built"), validators=SCORE_VALIDATORS
    )
    solution_score = models.PositiveSmallIntegerField(
        _("solution advantage built"), validators=SCORE_VALIDATORS
    )
    incubation_score = models.PositiveSmallIntegerField(
        _("opportunities incubated (score)"), validators=SCORE_VALIDATORS
    )
    relationship_is_computed = models.BooleanField(default=False, editable=False)
    incubation_is_computed = models.BooleanField(default=False, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="evaluation_account_year")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(BaseModel):
    """Visit management for small accounts (§2.8): plan, then record the outcome."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="visits"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    planned_on = models.DateField(_("planned for"))
    purpose = models.CharField(_("purpose"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity found"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["account", "planned_on"], name="visit_account")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.planned_on} {self.purpose}"
