"""TAS+ opportunities (METHOD.md §4). The lifecycle rules live in services and methodology."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.models import BaseModel
from wuwei.methodology.enums import OpportunityGrade as MethodOpportunityGrade
from wuwei.methodology.enums import Stage as MethodStage
from wuwei.methodology.enums import Track as MethodTrack
from wuwei.org.models import Team


class Stage(models.TextChoices):
    VALIDATE = MethodStage.VALIDATE, _("Validate")
    INITIATE = MethodStage.INITIATE, _("Initiate")
    NEEDS_ANALYSIS = MethodStage.NEEDS_ANALYSIS, _("Needs analysis")
    VALUE_PRESENTATION = MethodStage.VALUE_PRESENTATION, _("Value presentation")
    TENDER_PREPARATION = MethodStage.TENDER_PREPARATION, _("Tender preparation")
    BIDDING = MethodStage.BIDDING, _("Bidding")
    NEGOTIATION = MethodStage.NEGOTIATION, _("Negotiation & signing")
    WON = MethodStage.WON, _("Won")
    LOST = MethodStage.LOST, _("Lost")


OPEN_STAGES = [s for s in Stage.values if s not in (Stage.WON, Stage.LOST)]
#: A stage's rank in the process; `lost` ranks below every stage (it is no step on).
STAGE_RANK = {stage: -1 if stage == "lost" else index for index, stage in enumerate(Stage.values)}


class Grade(models.TextChoices):
    A = MethodOpportunityGrade.A, "A"
    B = MethodOpportunityGrade.B, "B"
    C = MethodOpportunityGrade.C, "C"
    D = MethodOpportunityGrade.D, "D"
    E = MethodOpportunityGrade.E, "E"


class Track(models.TextChoices):
    BIG_PROJECT = MethodTrack.BIG_PROJECT, _("Big project (AB)")
    FAST_TRACK = MethodTrack.FAST_TRACK, _("Fast track (CD)")
    PARTNER = MethodTrack.PARTNER, _("Partner (E)")


class Source(models.TextChoices):
    LEAD = "lead", _("Lead")
    VISIT = "visit", _("Visit")
    PLAN = "plan", _("Account plan")
    PARTNER = "partner", _("Partner")


class Opportunity(BaseModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="opportunities"
    )
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.VALIDATE
    )
    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, default=Grade.D, editable=False
    )
    grade_override = models.CharField(
        _("grade override"), max_length=1, choices=Grade.choices, blank=True, default=""
    )
    grade_override_reason = models.TextField(_("override reason"), blank=True)
    track = models.CharField(
        _("track"), max_length=12, choices=Track.choices, default=Track.FAST_TRACK, editable=False
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.LEAD
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_opportunities",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("owning team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    partner = models.ForeignKey(
        Team,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_opportunities",
        limit_choices_to={"kind": "partner"},
    )
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL,
        verbose_name=_("deal team"),
        blank=True,
        related_name="opportunity_memberships",
        through="OpportunityMember",
    )
    products = models.ManyToManyField(  # type: ignore[var-annotated]
        "ProductLine", verbose_name=_("products / scope"), blank=True, related_name="+"
    )
    registration = models.ForeignKey(
        "PartnerRegistration",
        verbose_name=_("partner registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    stage_entered_at = models.DateTimeField(_("in stage since"), default=timezone.now)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    loss_reason = models.TextField(_("loss reason"), blank=True)
    winning_competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("winning competitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals_won_against_us",
    )
    winning_price = models.DecimalField(
        _("winning price"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # Filled by the win-rate engine (METHOD.md §4.6); null = not rated.
    win_rate = models.PositiveSmallIntegerField(_("win rate"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["account", "archived_at"], name="opp_account"),
            models.Index(fields=["owner", "archived_at"], name="opp_owner"),
            models.Index(fields=["team", "archived_at"], name="opp_team"),
            models.Index(fields=["stage", "id"], name="opp_stage"),
            models.Index(fields=["grade", "amount"], name="opp_grade_amount"),
            models.Index(fields=["stage", "amount", "id"], name="opp_stage_amount"),
            models.Index(fields=["expected_close"], name="opp_close"),
            models.Index(fields=["name", "id"], name="opp_name_id"),
            models.Index(fields=["amount", "id"], name="opp_amount_id"),
            models.Index(fields=["updated_at", "id"], name="opp_updated_id"),
            models.Index(fields=["partner", "archived_at"], name="opp_partner"),
            # the archived few, for reports over every other deal (insights.pipeline)
            models.Index(
                fields=["id"], name="opp_archived", condition=models.Q(archived_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stage not in (Stage.WON, Stage.LOST)

    @property
    def is_grade_overridden(self) -> bool:
        return bool(self.grade_override)

    @property
    def time_in_stage(self) -> timedelta:
        return timezone.now() - self.stage_entered_at


class DealRole(models.TextChoices):
    """Roles on a deal team (METHOD.md §5.3-5.4: owner, presales, future delivery manager…)."""

    SALES = "sales", _("Sales")
    PRESALES = "presales", _("Presales")
    SOLUTION = "solution", _("Solution architect")
    DELIVERY = "delivery", _("Delivery manager")
    EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


class OpportunityMember(models.Model):
    """A deal-team member and their role. The table is the one the plain many-to-many used,
    so visibility (`Opportunity.members.through`) keeps working unchanged."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deal_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=DealRole.choices, default="sales")
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        db_table = "opportunities_opportunity_members"
        verbose_name = _("deal-team member")
        verbose_name_plural = _("deal team")
        unique_together = [("opportunity", "user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class LocalizedText:
    """Configuration rows carry English and Chinese text; `text("name")` picks the language
    the request is in (METHOD.md: defaults in both languages)."""

    def text(self, field: str) -> str:
        language = (get_language() or "").lower()
        suffix = "zh" if language.startswith("zh") else "en"
        value = getattr(self, f"{field}_{suffix}", "")
        return str(value or getattr(self, f"{field}_en", ""))


class ProductLine(LocalizedText, BaseModel):
    """What a deal or a partner registration covers; overlaps are found by shared lines."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.text("name")


class StageTemplate(LocalizedText, BaseModel):
    """One stage of the sales process template (METHOD.md §4.1 names and exit criteria, §4.11
    method, department, position, assessment and steps). Seeded with the METHOD.md default in
    English and Chinese; administrators edit it. Stage slugs and order are the method's."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    exit_criteria_en = models.TextField(_("ends when (English)"))
    exit_criteria_zh = models.TextField(_("ends when (Chinese)"))
    method_en = models.TextField(_("sales method (English)"), blank=True)
    method_zh = models.TextField(_("sales method (Chinese)"), blank=True)
    department_en = models.CharField(_("department (English)"), max_length=200, blank=True)
    department_zh = models.CharField(_("department (Chinese)"), max_length=200, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=200, blank=True)
    position_zh = models.CharField(_("position (Chinese)"), max_length=200, blank=True)
    assessment_en = models.TextField(_("assessment (English)"), blank=True)
    assessment_zh = models.TextField(_("assessment (Chinese)"), blank=True)
    steps_en = models.TextField(_("steps (English)"), blank=True, help_text=_("One per line."))
    steps_zh = models.TextField(_("steps (Chinese)"), blank=True, help_text=_("One per line."))

    class Meta:
        verbose_name = _("stage template")
        verbose_name_plural = _("sales process template")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text('name')}"

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.text("steps").splitlines() if line.strip()]

    # Templates cannot pass arguments: one property per localized field.
    @property
    def text_name(self) -> str:
        return self.text("name")

    @property
    def text_exit_criteria(self) -> str:
        return self.text("exit_criteria")

    @property
    def text_method(self) -> str:
        return self.text("method")

    @property
    def text_department(self) -> str:
        return self.text("department")

    @property
    def text_position(self) -> str:
        return self.text("position")

    @property
    def text_assessment(self) -> str:
        return self.text("assessment")


class StageHistory(models.Model):
    """One stay of an opportunity in a stage: entered and left, by whom, and why."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_history"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    entered_at = models.DateTimeField(_("entered"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("left by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    #: The deal went on from this stay to a further stage (or won) later: some later stay of
    #: the deal ranks higher (`lost` ranks below every stage). Kept by the stage move and by
    #: `save()` of a new stay, so pipeline conversion is one indexed aggregate (issue #14).
    advanced = models.BooleanField(_("went on to a later stage"), default=False, db_default=False)
    #: When the deal last entered this stage before this stay (by entry time, then id; null:
    #: never). The deals that entered a stage in a period are then its stays of the period
    #: whose previous entry is null or before the period — one per deal, counted without
    #: DISTINCT (issue #14). Kept like `advanced`.
    previous_entered_at = models.DateTimeField(
        _("entered this stage before"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("stage history")
        verbose_name_plural = _("stage history")
        ordering = ["entered_at", "id"]
        indexes = [
            models.Index(fields=["opportunity", "entered_at"], name="opp_stagehist"),
            models.Index(fields=["entered_at", "stage"], name="stagehist_entered"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.stage} {self.entered_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A stay written on its own (imports, fixtures, the admin) may come before or after
        the deal's others: recompute `advanced` over the deal's stays. The stage move marks
        the earlier stays itself and writes the new one with `bulk_create`."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            mark_advanced([self.opportunity_id])

    @property
    def duration(self) -> timedelta:
        return (self.left_at or timezone.now()) - self.entered_at


def stage_rank_sql(column: str) -> str:
    """A stage's rank in the process as SQL (`lost` below every stage: it is no step on)."""
    cases = " ".join(f"WHEN '{stage}' THEN {rank}" for stage, rank in STAGE_RANK.items())
    return f"CASE {column} {cases} END"


def mark_advanced(opportunity_ids: list[int] | None = None) -> int:
    """Set `StageHistory.advanced` and `previous_entered_at` from the stays themselves: a stay
    advanced when a later stay of the same deal (by entry time, then id) ranks higher; its
    previous entry is the latest earlier stay of the deal in the same stage. Over the given
    deals, or every deal (bulk loaders). Returns the rows updated."""
    table = StageHistory._meta.db_table
    later = (
        f"SELECT 1 FROM {table} l WHERE l.opportunity_id = h.opportunity_id"
        " AND (l.entered_at > h.entered_at OR (l.entered_at = h.entered_at AND l.id > h.id))"
        f" AND {stage_rank_sql('l.stage')} > {stage_rank_sql('h.stage')}"
    )
    previous = (
        f"SELECT MAX(p.entered_at) FROM {table} p WHERE p.opportunity_id = h.opportunity_id"
        " AND p.stage = h.stage"
        " AND (p.entered_at < h.entered_at OR (p.entered_at = h.entered_at AND p.id < h.id))"
    )
    where, params = "", []
    if opportunity_ids is not None:
        if not opportunity_ids:
            return 0
        where = f" WHERE h.opportunity_id IN ({', '.join(['%s'] * len(opportunity_ids))})"
        params = list(opportunity_ids)
    sql = (
        f"UPDATE {table} AS h SET advanced = EXISTS({later}),"
        f" previous_entered_at = ({previous}){where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


class OpportunityCompetitor(BaseModel):
    """A competitor involved in a deal."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="competitor_links"
    )
    competitor = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, related_name="opportunity_links"
    )
    is_primary = models.BooleanField(_("main threat"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("competitor on the deal")
        verbose_name_plural = _("competitors on the deal")
        unique_together = [("opportunity", "competitor")]

    def __str__(self) -> str:
        return f"{self.competitor_id} on {self.opportunity_id}"


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CONVERTED = "converted", _("Converted to an opportunity")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PartnerRegistration(BaseModel):
    """A channel partner's deal registration (报备, METHOD.md §4.2 E): account + product
    scope, protected until `expires_on` (method configuration `partner.protection_days`)."""

    partner = models.ForeignKey(
        Team,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="registrations",
        limit_choices_to={"kind": "partner"},
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="registrations"
    )
    products = models.ManyToManyField(
        ProductLine, verbose_name=_("product scope"), related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_on = models.DateField(_("registered on"))
    expires_on = models.DateField(_("protected until"))
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default="active"
    )
    estimated_amount = models.DecimalField(
        _("estimated amount"), max_digits=16, decimal_places=2, default=0
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    # The conflict this registration raised, if it overlapped another (METHOD.md §7.3).
    conflict = models.ForeignKey(
        "accounts.OwnershipConflict",
        verbose_name=_("conflict"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner registration")
        verbose_name_plural = _("partner registrations")
        indexes = [
            models.Index(fields=["account", "status", "expires_on"], name="registration_account"),
            models.Index(fields=["partner", "archived_at"], name="registration_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.account}"

    def is_protected_on(self, day: date) -> bool:
        return self.status == RegistrationStatus.ACTIVE and self.expires_on >= day
