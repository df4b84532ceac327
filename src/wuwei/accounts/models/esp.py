"""ESP+ key-account management records: grading (§2.2/§2.3), tactics (§2.4) and GOSART plans
(§2.5). The rules that fill them live in services and methodology."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models.archive import Account, Grade, Strategy
from wuwei.core.models import BaseModel

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Level(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class AccountGrading(BaseModel):
    """One grading of an account: the four dimension scores with a justification each, and
    what they computed to. Rows are never edited; a new grading is a new row (grade history)."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="gradings"
    )
    revenue = models.PositiveSmallIntegerField(
        _("revenue contribution"), validators=SCORE_VALIDATORS
    )
    potential = models.PositiveSmallIntegerField(_("potential"), validators=SCORE_VALIDATORS)
    demonstration = models.PositiveSmallIntegerField(
        _("demonstration value"), validators=SCORE_VALIDATORS
    )
    can_win_deliver = models.PositiveSmallIntegerField(
        _("can win and can deliver"), validators=SCORE_VALIDATORS
    )
    revenue_justification = models.CharField(_("why (revenue)"), max_length=500, blank=True)
    potential_justification = models.CharField(_("why (potential)"), max_length=500, blank=True)
    demonstration_justification = models.CharField(
        _("why (demonstration)"), max_length=500, blank=True
    )
    can_win_deliver_justification = models.CharField(
        _("why (can win and deliver)"), max_length=500, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    potential_level = models.CharField(_("potential level"), max_length=6, choices=Level.choices)
    contribution_level = models.CharField(
        _("contribution level"), max_length=6, choices=Level.choices
    )
    account_class = models.CharField(_("nine-box class"), max_length=1, choices=Grade.choices)
    suggested_strategy = models.CharField(
        _("suggested strategy"), max_length=20, choices=Strategy.choices, blank=True
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account grading")
        verbose_name_plural = _("account gradings")
        indexes = [models.Index(fields=["account", "-created_at"], name="grading_account")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.grade} ({self.score})"


class Tactic(BaseModel):
    """A concrete tactic of an account strategy (§2.4), in both languages; seeded, editable."""

    strategy = models.CharField(_("strategy"), max_length=20, choices=Strategy.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("tactic")
        verbose_name_plural = _("tactics")
        ordering = ["strategy", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_zh if _is_chinese() else self.title_en

    @property
    def description(self) -> str:
        return self.description_zh if _is_chinese() else self.description_en


def _is_chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


class AccountPlan(BaseModel):
    """GOSART plan of one account for one year (§2.5), with value implantation."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    goal = models.TextField(_("goal"), blank=True, help_text=_("The ultimate goal (终极目标)."))
    objectives = models.TextField(_("objectives"), blank=True)
    strategy = models.CharField(_("strategy"), max_length=20, choices=Strategy.choices, blank=True)
    resources = models.TextField(_("resources"), blank=True)
    tests = models.TextField(_("tests (measures of success)"), blank=True)
    relationship_advantage = models.TextField(
        _("advantage in relationships"),
        blank=True,
        help_text=_("How we build our advantage and shut out competitors in relationships."),
    )
    solution_advantage = models.TextField(
        _("advantage in solutions"),
        blank=True,
        help_text=_("How we build our advantage and shut out competitors in solutions."),
    )
    our_solution = models.TextField(_("our solution"), blank=True)
    business_value = models.TextField(_("business value for the customer"), blank=True)

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="accountplan_account_year")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"


class PlanCompetitor(BaseModel):
    """Value implantation: how we compare with one of the top-2 competitors (§2.5)."""

    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="competitors"
    )
    competitor = models.ForeignKey(
        "competitors.Competitor",
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    solution_comparison = models.TextField(_("solution comparison"), blank=True)
    strength_comparison = models.TextField(_("hardware/software strength comparison"), blank=True)
    # What the scorecard's "solution advantage built" counts (§8 三作用 (2)).
    is_ahead = models.BooleanField(_("we are ahead of this competitor"), default=False)

    class Meta:
        verbose_name = _("plan competitor")
        verbose_name_plural = _("plan competitors")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="plancompetitor_rank"),
            models.UniqueConstraint(fields=["plan", "competitor"], name="plancompetitor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.rank} {self.competitor_id}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanAction(BaseModel):
    """An action of a GOSART plan (owner, due date, status), possibly from a tactic."""

    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_actions",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    tactic = models.ForeignKey(
        Tactic,
        verbose_name=_("tactic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        indexes = [models.Index(fields=["plan", "due"], name="planaction_plan_due")]

    def __str__(self) -> str:
        return self.title
