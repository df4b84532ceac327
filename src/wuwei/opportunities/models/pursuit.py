"""How we pursue a deal (METHOD.md §4.7, §4.8): the competitive tactics library, the deal's
chosen strategy with its rationale, the tactics it adopted (each can become an activity), and
the value proposition with its side-by-side comparison against the top-2 competitors."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wuwei.competitors.models import Competitor
from wuwei.core.models import BaseModel
from wuwei.opportunities.models.deal import LocalizedText, Opportunity


class CompetitiveStrategy(models.TextChoices):
    """The five TAS competitive strategies (§4.7); values = methodology.enums."""

    FRONTAL = "frontal", _("Frontal")
    FLANKING = "flanking", _("Flanking")
    FRAGMENT = "fragment", _("Fragment")
    DEFEND = "defend", _("Defend")
    DEVELOP = "develop", _("Develop")


class CompetitiveTactic(LocalizedText, BaseModel):
    """A concrete tactic of a competitive strategy, in both languages; seeded, editable."""

    strategy = models.CharField(_("strategy"), max_length=20, choices=CompetitiveStrategy.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competitive tactic")
        verbose_name_plural = _("competitive tactics")
        ordering = ["strategy", "position", "id"]
        indexes = [models.Index(fields=["strategy", "position"], name="ctactic_strategy")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def description(self) -> str:
        return self.text("description")


class DealStrategy(BaseModel):
    """The competitive strategy chosen for one deal and why (§4.7); `suggested` keeps what
    the system suggested at that moment, so a choice against the suggestion is visible."""

    opportunity = models.OneToOneField(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="competitive_strategy",
    )
    strategy = models.CharField(_("strategy"), max_length=20, choices=CompetitiveStrategy.choices)
    rationale = models.TextField(_("rationale"))
    suggested = models.CharField(
        _("suggested strategy"), max_length=20, choices=CompetitiveStrategy.choices, blank=True
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen at"))

    class Meta:
        verbose_name = _("deal strategy")
        verbose_name_plural = _("deal strategies")

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.strategy}"


class TacticStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class DealTactic(BaseModel):
    """A tactic the deal adopted: from the library (`tactic`, title copied in the adopter's
    language) or typed in. `activity` is set once it was carried out as an activity (§4.9)."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="deal_tactics",
    )
    tactic = models.ForeignKey(
        CompetitiveTactic,
        verbose_name=_("library tactic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
    )
    title = models.CharField(_("tactic"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TacticStatus.choices, default=TacticStatus.PLANNED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="deal_tactics",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    activity = models.ForeignKey(
        "people.Activity",
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deal_tactics",
    )

    class Meta:
        verbose_name = _("deal tactic")
        verbose_name_plural = _("deal tactics")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "tactic"],
                condition=Q(tactic__isnull=False, archived_at__isnull=True),
                name="dealtactic_adopted_once",
            )
        ]
        indexes = [models.Index(fields=["opportunity", "archived_at"], name="dealtactic_deal")]

    def __str__(self) -> str:
        return self.title


class ValueProposition(BaseModel):
    """Our solution and the business value it creates for the customer (§4.8)."""

    opportunity = models.OneToOneField(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="value_proposition",
    )
    solution = models.TextField(_("our solution"), blank=True)
    business_value = models.TextField(_("business value"), blank=True)

    class Meta:
        verbose_name = _("value proposition")
        verbose_name_plural = _("value propositions")

    def __str__(self) -> str:
        return f"{self.opportunity_id}"


class ValueDimension(models.TextChoices):
    """The rows of the side-by-side comparison (§4.8)."""

    SOLUTION = "solution", _("Solution")
    RELATIONSHIPS = "relationships", _("Relationships")
    HARDWARE = "hardware", _("Hardware strength")
    SOFTWARE = "software", _("Software strength")


class ValueComparison(BaseModel):
    """One cell of the comparison: a party's rating (1–5) on one dimension, with a note.
    `competitor` null means us."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="value_comparisons",
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=ValueDimension.choices)
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("value comparison")
        verbose_name_plural = _("value comparisons")
        # NULL never equals NULL in a unique index: "us" needs its own constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "dimension"],
                condition=Q(competitor__isnull=True),
                name="valuecomparison_us_once",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "dimension", "competitor"],
                condition=Q(competitor__isnull=False),
                name="valuecomparison_competitor_once",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="valuecomparison_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.dimension} {self.competitor_id or 'us'}"
