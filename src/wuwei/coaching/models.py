"""Coaching (督导推动, METHOD.md §4.10): the manager's review of a deal and its action items.

A review keeps what the reviewer saw (win rate and stage at that moment), so the coaching
queue can tell what changed since; reviews and actions are part of the deal history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel
from wuwei.opportunities.models import Opportunity, Stage


class CoachingReview(BaseModel):
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="coaching_reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="coaching_reviews",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    comments = models.TextField(_("comments"))
    # What the reviewer saw: the queue lists what moved after this (null = not rated).
    win_rate_at_review = models.PositiveSmallIntegerField(
        _("win rate at review"), null=True, blank=True
    )
    stage_at_review = models.CharField(_("stage at review"), max_length=20, choices=Stage.choices)

    class Meta:
        verbose_name = _("coaching review")
        verbose_name_plural = _("coaching reviews")
        ordering = ["-reviewed_at", "-id"]
        indexes = [
            # the queue's "last review of each deal" subqueries and the deal's review list
            models.Index(fields=["opportunity", "reviewed_at"], name="coaching_review_deal"),
            models.Index(fields=["reviewed_at", "id"], name="coaching_review_time"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.reviewed_at:%Y-%m-%d}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class CoachingAction(BaseModel):
    """An action item of a review: what, who, by when. `opportunity` repeats the review's
    deal so open items are counted per deal with one index lookup."""

    review = models.ForeignKey(
        CoachingReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="actions"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="coaching_actions",
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="coaching_actions",
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coaching action")
        verbose_name_plural = _("coaching actions")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["opportunity", "status"], name="coaching_action_deal"),
            models.Index(fields=["owner", "status", "due"], name="coaching_action_owner"),
            # the daily overdue reminder: open actions by due date
            models.Index(fields=["status", "due"], name="coaching_action_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN
