"""Risk rules as data (METHOD.md §6), stage-gate overrides and won/lost lessons.

A `RiskRule` is one row per rule: its kind names the check in `methodology.risks`, its
parameters are that kind's numbers and lists (validated by `methodology.risks.clean_parameters`
before they are stored), and it says which grades and stages it warns on and which stage
transitions it blocks. The seeded defaults are METHOD.md §6; administrators change them and
add rules of an existing kind from the playbook pages or the API, without code.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel
from wuwei.methodology.risks import Kind as MethodRuleKind
from wuwei.methodology.risks import Severity as MethodSeverity
from wuwei.opportunities.models import LocalizedText


class RuleKind(models.TextChoices):
    NO_CONFIRMED_EVENT = MethodRuleKind.NO_CONFIRMED_EVENT, _("No confirmed compelling event")
    NO_INSIDE_SOURCE = MethodRuleKind.NO_INSIDE_SOURCE, _("No inside source")
    DECISION_ROLES_MISSING = (
        MethodRuleKind.DECISION_ROLES_MISSING,
        _("Decision roles not mapped"),
    )
    FEW_ENGAGED_CONTACTS = MethodRuleKind.FEW_ENGAGED_CONTACTS, _("Too few engaged contacts")
    DEPARTMENTS_NOT_COVERED = (
        MethodRuleKind.DEPARTMENTS_NOT_COVERED,
        _("Departments not covered"),
    )
    ACTIVITY_TAG_MISSING = MethodRuleKind.ACTIVITY_TAG_MISSING, _("Topic never discussed")
    HOSTILE_DECIDER = MethodRuleKind.HOSTILE_DECIDER, _("Hostile decider without a strategy")
    WIN_RATE_DROP = MethodRuleKind.WIN_RATE_DROP, _("Win rate dropped")
    CLOSE_DATE_NEAR = MethodRuleKind.CLOSE_DATE_NEAR, _("Close date near, stage early")
    NO_RECENT_ACTIVITY = MethodRuleKind.NO_RECENT_ACTIVITY, _("No recent activity")
    QUESTIONNAIRE_STALE = MethodRuleKind.QUESTIONNAIRE_STALE, _("Questionnaire out of date")
    FEW_CONTACTS_MAPPED = MethodRuleKind.FEW_CONTACTS_MAPPED, _("Too few contacts mapped")
    EVENT_PAST_REEVALUATION = (
        MethodRuleKind.EVENT_PAST_REEVALUATION,
        _("Compelling event past re-evaluation"),
    )
    PURSUIT_MISSING = (
        MethodRuleKind.PURSUIT_MISSING,
        _("Strategy or value proposition missing"),
    )


class RiskSeverity(models.TextChoices):
    LOW = MethodSeverity.LOW, _("Low")
    MEDIUM = MethodSeverity.MEDIUM, _("Medium")
    HIGH = MethodSeverity.HIGH, _("High")


class RiskRule(LocalizedText, BaseModel):
    """One PRM rule (§6). Empty `grades` = every grade; `stages` = where it warns;
    `blocks_leaving` / `blocks_entering` = the stage gates it enforces (forward moves)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=RuleKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=RiskSeverity.choices, default=RiskSeverity.MEDIUM
    )
    stages = models.JSONField(_("stages"), default=list, blank=True)
    grades = models.JSONField(_("grades"), default=list, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    blocks_leaving = models.JSONField(_("blocks leaving"), default=list, blank=True)
    blocks_entering = models.JSONField(_("blocks entering"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["enabled", "archived_at"], name="riskrule_enabled")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_blocking(self) -> bool:
        return bool(self.blocks_leaving or self.blocks_entering)

    @property
    def text_name(self) -> str:
        return self.text("name")


class RiskOverride(models.Model):
    """A manager let a deal through a stage gate (§6 "an override needs a manager and a
    reason"): who, when, the move and the rules overridden, as they read at that moment."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="risk_overrides",
    )
    from_stage = models.CharField(_("from stage"), max_length=20)
    to_stage = models.CharField(_("to stage"), max_length=20)
    reason = models.TextField(_("reason"))
    # [{"rule": id, "code": ..., "message": sentence in the overrider's language}]
    rules = models.JSONField(_("rules overridden"), default=list)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("overridden at"), default=timezone.now)

    class Meta:
        verbose_name = _("stage-gate override")
        verbose_name_plural = _("stage-gate overrides")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["opportunity", "created_at"], name="riskoverride_deal")]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage} → {self.to_stage}"


class DealLesson(BaseModel):
    """The won/lost review of a deal (§6 lessons): which rules were open at the close or had
    been overridden (recorded automatically) and what decided the deal (written by people)."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="lesson",
    )
    outcome = models.CharField(_("outcome"), max_length=10)
    closed_on = models.DateField(_("closed on"))
    decided_by = models.TextField(_("what decided the deal"), blank=True)

    class Meta:
        verbose_name = _("deal lesson")
        verbose_name_plural = _("deal lessons")
        indexes = [models.Index(fields=["closed_on"], name="lesson_closed")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.outcome}"


class LessonRuleHow(models.TextChoices):
    IGNORED = "ignored", _("Open at the close")
    OVERRIDDEN = "overridden", _("Overridden at a stage gate")


class LessonRule(models.Model):
    """One rule that was ignored or overridden on a closed deal; `outcome` is copied from the
    lesson so the per-rule view counts losses with one grouped query."""

    lesson = models.ForeignKey(DealLesson, on_delete=models.CASCADE, related_name="rules")
    rule = models.ForeignKey(RiskRule, on_delete=models.CASCADE, related_name="lessons")
    how = models.CharField(_("how"), max_length=12, choices=LessonRuleHow.choices)
    outcome = models.CharField(_("outcome"), max_length=10)
    message = models.TextField(_("what the rule said"), blank=True)

    class Meta:
        verbose_name = _("rule in a lesson")
        verbose_name_plural = _("rules in lessons")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "rule", "how"], name="lesson_rule_once")
        ]
        indexes = [models.Index(fields=["rule", "outcome"], name="lesson_rule_outcome")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.how} {self.outcome}"


class RiskFinding(models.Model):
    """A rule firing on a deal, since when (§4.10: "risk rules fired since the last review").
    Written by the nightly evaluation (`services.risk_refresh`): a row appears when the rule
    starts firing and goes when it stops, so `first_seen_at` tells the coaching queue what is
    new and the owner is notified once per deal and rule. Rows still firing are not written
    again (there is no "last seen": a row exists exactly while its rule fires)."""

    # No index of their own: the unique (opportunity, rule) and the (rule, first seen)
    # indexes lead with them, and every index costs the first night's ~400k inserts.
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="risk_findings",
        db_index=False,
    )
    rule = models.ForeignKey(
        RiskRule, on_delete=models.CASCADE, related_name="findings", db_index=False
    )
    first_seen_at = models.DateTimeField(_("first seen"))

    class Meta:
        verbose_name = _("risk finding")
        verbose_name_plural = _("risk findings")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "rule"], name="risk_finding_once")
        ]
        indexes = [models.Index(fields=["rule", "first_seen_at"], name="risk_finding_rule")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} · {self.rule_id}"
