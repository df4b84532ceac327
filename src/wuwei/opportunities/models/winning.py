"""TAS+ winning engine records (METHOD.md §4.3, §4.5, §4.6): compelling events, the weekly
questionnaire (the rep's answers and the manager's adjustment, both kept) and the weekly
win-rate snapshots that make the curve. The rules live in methodology.winrate and services."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.competitors.models import Competitor
from wuwei.core.models import BaseModel
from wuwei.opportunities.models.deal import Opportunity

_ANSWER = [MaxValueValidator(10)]


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CompellingEvent(BaseModel):
    """Why the customer must do the project (§4.3). Only a confirmed one lets the deal be
    rated (§4.6 rule 1); `reevaluate_on` is when it must be looked at again."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="compelling_events"
    )
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"), blank=True)
    event_date = models.DateField(_("date"), null=True, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    is_confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reevaluate_on = models.DateField(_("re-evaluate on"), null=True, blank=True)

    class Meta:
        verbose_name = _("compelling event")
        verbose_name_plural = _("compelling events")
        ordering = ["-is_confirmed", "event_date", "id"]
        indexes = [
            models.Index(fields=["opportunity", "is_confirmed"], name="cevent_opportunity"),
            models.Index(fields=["reevaluate_on"], name="cevent_reevaluate"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class AnswerRole(models.TextChoices):
    REP = "rep", _("Rep's answers")
    MANAGER = "manager", _("Manager's adjustment")


class Questionnaire(BaseModel):
    """One weekly questionnaire (§4.5) with the win rate computed from it (§4.6).

    The rep answers (`role=rep`); the manager may adjust it, which stores a second row with
    `role=manager` and `adjusts` pointing at the rep's row — both versions are kept. The
    deal's current win rate comes from its newest questionnaire, an adjustment taking
    precedence over the answers it adjusts."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="questionnaires"
    )
    role = models.CharField(_("version"), max_length=10, choices=AnswerRole.choices)
    adjusts = models.ForeignKey(
        "self",
        verbose_name=_("adjusts"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adjustments",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"))
    has_inside_source = models.BooleanField(_("we have an inside source (coach)"))
    us_fit = models.PositiveSmallIntegerField(_("our need fit"), validators=_ANSWER)
    us_closeness = models.PositiveSmallIntegerField(_("our closeness"), validators=_ANSWER)
    # What calculate_win_rate() gave for these answers; null = not rated.
    win_rate = models.PositiveSmallIntegerField(_("win rate"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["opportunity", "answered_at"], name="questionnaire_opportunity")
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.role} {self.answered_at:%Y-%m-%d}"


class QuestionnaireAnswer(models.Model):
    """Questions 3 and 4 of §4.5 for one competitor on the deal."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="competitor_answers"
    )
    competitor = models.ForeignKey(Competitor, on_delete=models.PROTECT, related_name="+")
    fit = models.PositiveSmallIntegerField(_("need fit"), validators=_ANSWER)
    closeness = models.PositiveSmallIntegerField(_("closeness"), validators=_ANSWER)

    class Meta:
        verbose_name = _("competitor answers")
        verbose_name_plural = _("competitor answers")
        unique_together = [("questionnaire", "competitor")]

    def __str__(self) -> str:
        return f"{self.competitor_id}: {self.fit}/{self.closeness}"


class WinRateSnapshot(models.Model):
    """The win rate of one open deal in one ISO week (§4.6 curve). Append-only, written in
    bulk by `wuwei snapshot`; one row per deal and week (`week` is that week's Monday).
    `owner` is the deal's owner when the row was written, so a rep's curve is the deals they
    held each week and reads the snapshots alone, without joining every deal."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="win_rate_snapshots"
    )
    week = models.DateField(_("week"))
    win_rate = models.PositiveSmallIntegerField(_("win rate"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20)
    taken_at = models.DateTimeField(_("taken at"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("win-rate snapshot")
        verbose_name_plural = _("win-rate snapshots")
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "week"], name="snapshot_one_per_week")
        ]
        indexes = [models.Index(fields=["week", "opportunity"], name="snapshot_week")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.week} {self.win_rate}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.owner_id is None:  # a row made one at a time (tests, the shell): the owner now
            self.owner_id = self.opportunity.owner_id
        super().save(*args, **kwargs)


class WinRateChange(models.Model):
    """A week-over-week win-rate move of at least `change_event_points` (§4.6): recorded once
    per deal and week when the owner and manager are notified, so neither a rerun nor a
    questionnaire later that week notifies again. (The coaching queue compares win rates with
    the last review itself, §4.10.)"""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="win_rate_changes"
    )
    week = models.DateField(_("week"))
    previous = models.PositiveSmallIntegerField(_("previous win rate"))
    current = models.PositiveSmallIntegerField(_("current win rate"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("win-rate change")
        verbose_name_plural = _("win-rate changes")
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "week"], name="win_rate_change_once")
        ]
        indexes = [models.Index(fields=["week", "opportunity"], name="win_rate_change_week")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.week} {self.previous}→{self.current}"

    @property
    def change(self) -> int:
        return self.current - self.previous
