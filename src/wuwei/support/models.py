"""MCI sales support (METHOD.md §5): resource pool, requests, assignments, the presales cost
ledger, stage owners, scores and credit splits. The rules live in services and methodology."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel
from wuwei.methodology.enums import Queue as MethodQueue
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.org.models import Team

HOME_UNIT_KINDS = ("delivery_center", "office", "hq_presales")


class Queue(models.TextChoices):
    DELIVERY_CENTER = MethodQueue.DELIVERY_CENTER.value, _("Delivery centre")
    LOCAL_OFFICE = MethodQueue.LOCAL_OFFICE.value, _("Local office")
    HOTLINE = MethodQueue.HOTLINE.value, _("Hotline")


class LevelRate(BaseModel):
    """Day rate by level (§5.2): the table an administrator edits."""

    level = models.CharField(_("level"), max_length=20, unique=True)
    day_rate = models.DecimalField(_("day rate"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("day rate")
        verbose_name_plural = _("day rates")
        ordering = ["day_rate", "level"]
        constraints = [
            models.CheckConstraint(condition=Q(day_rate__gte=0), name="support_rate_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.day_rate}"


class Resource(BaseModel):
    """A presales/delivery person in the pool. No home unit means the hotline."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="presales_resource",
    )
    home_unit = models.ForeignKey(
        Team,
        verbose_name=_("home unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presales_resources",
        limit_choices_to={"kind__in": HOME_UNIT_KINDS},
    )
    level = models.ForeignKey(
        LevelRate, verbose_name=_("level"), on_delete=models.PROTECT, related_name="resources"
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    capacity_days_per_week = models.DecimalField(
        _("capacity (days per week)"), max_digits=4, decimal_places=2, default=5
    )

    class Meta:
        verbose_name = _("presales resource")
        verbose_name_plural = _("presales resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_days_per_week__gt=0, capacity_days_per_week__lte=7),
                name="support_capacity_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def unit_kind(self) -> str:
        return self.home_unit.kind if self.home_unit else MethodQueue.HOTLINE.value


class RequestState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting budget approval")
    REJECTED = "rejected", _("Rejected")
    QUEUED = "queued", _("Queued")
    ASSIGNED = "assigned", _("Assigned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REQUEST_STATES = (RequestState.AWAITING_APPROVAL, RequestState.QUEUED, RequestState.ASSIGNED)


class PresalesRequest(BaseModel):
    """A deal asks for presales effort (§5.1); routed by grade to a queue."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        related_name="presales_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    effort_days = models.DecimalField(_("effort (days)"), max_digits=7, decimal_places=2)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    purpose = models.TextField(_("purpose"))
    queue = models.CharField(_("queue"), max_length=20, choices=Queue.choices)
    unit = models.ForeignKey(
        Team,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presales_requests",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.QUEUED
    )
    estimated_cost = models.DecimalField(_("estimated cost"), max_digits=14, decimal_places=2)
    budget_at_request = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    over_budget_approved = models.BooleanField(_("over budget approved"), default=False)
    # Warnings the requester saw and confirmed (§4.3, issue item 7), as [{code, message}].
    warnings = models.JSONField(_("confirmed warnings"), default=list, blank=True)
    warnings_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    warnings_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("presales request")
        verbose_name_plural = _("presales requests")
        indexes = [
            models.Index(fields=["opportunity", "state"], name="support_request_opp"),
            models.Index(fields=["unit", "state"], name="support_request_unit"),
            models.Index(fields=["queue", "state"], name="support_request_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="support_request_period"),
            models.CheckConstraint(condition=Q(effort_days__gt=0), name="support_request_effort"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.opportunity}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BudgetApproval(models.Model):
    """A request that would exceed the deal's presales budget waits for a manager (§5.2)."""

    request = models.ForeignKey(
        PresalesRequest, on_delete=models.CASCADE, related_name="budget_approvals"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    projected_total = models.DecimalField(_("projected total"), max_digits=14, decimal_places=2)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("budget approval")
        verbose_name_plural = _("budget approvals")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="pending"),
                name="support_one_pending_approval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.status}"


class Assignment(BaseModel):
    """A person assigned to a request for a period; its cost is posted to the ledger."""

    request = models.ForeignKey(
        PresalesRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="assignments"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    days = models.DecimalField(_("days"), max_digits=7, decimal_places=2)
    day_rate = models.DecimalField(_("day rate"), max_digits=12, decimal_places=2)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when a lead accepted a week above capacity (§5.1 "refuses or flags").
    over_capacity_weeks = models.JSONField(_("weeks over capacity"), default=list, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["resource", "end", "start"], name="support_assignment_load"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="support_assignment_period"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="support_assignment_days"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} → {self.request}"

    @property
    def is_over_capacity(self) -> bool:
        return bool(self.over_capacity_weeks)


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    REVERSAL = "reversal", _("Reversal")


class AppendOnlyError(Exception):
    pass


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("ledger entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries are append-only")


class LedgerEntry(models.Model):
    """The deal's presales cost ledger (§5.2). Append-only: corrections are reversing
    entries, never edits, so the ledger always tells what was charged and undone."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="presales_ledger"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    days = models.DecimalField(_("days"), max_digits=7, decimal_places=2, default=0)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    description = models.CharField(_("description"), max_length=300)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["opportunity", "id"], name="support_ledger_opp")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="charge", amount__gte=0, reverses__isnull=True)
                    | Q(kind="reversal", amount__lte=0, reverses__isnull=False)
                ),
                name="support_ledger_sign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} {self.kind} {self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries are append-only")


class StageOwner(models.Model):
    """The one accountable owner of a stage of a deal (§5.3). Reassigning ends the current
    term (`left_at`) and opens a new one; the database allows one open term per stage."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_owners"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stage owner"),
        on_delete=models.PROTECT,
        related_name="owned_stages",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage owner")
        verbose_name_plural = _("stage owners")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "stage"],
                condition=Q(left_at__isnull=True),
                name="support_one_open_stage_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.stage} · {self.owner}"


class StageScore(models.Model):
    """The stage owner's 0–100 score of a participant at stage exit (§5.4)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_scores"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stage_scores_received"
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("scored"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage score")
        verbose_name_plural = _("stage scores")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "stage", "participant"], name="support_one_score"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="support_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.stage} {self.score}"


class CreditRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    PRESALES = "presales", _("Presales")
    DELIVERY_MANAGER = "delivery_manager", _("Delivery manager")
    PARTICIPANT = "participant", _("Participant")


class CreditSplit(models.Model):
    """Credit for a won deal (§5.4): the owner and each named participant get the full won
    amount. Participants' splits are flagged double-counted, so Σ of unflagged = won total."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="presales_credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=CreditRole.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    is_double_counted = models.BooleanField(_("double counted"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit split")
        verbose_name_plural = _("credit splits")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "user"], name="support_one_credit")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.amount}"
