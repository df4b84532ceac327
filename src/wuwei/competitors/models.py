"""Competitors (METHOD.md §4.4): the shared market data every domain app reads — a
competitor's profile, its analysis library (strengths, weaknesses, typical tactics), its
relations with customers, key partners, key events and quoted prices.

This app sits below accounts, people and opportunities and imports none of them: the customer,
deal and product a record names are string references. The tables keep the names they had
when these models lived in `opportunities` (`db_table`, `history_table`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.core.links import validate_web_address
from wuwei.core.models import BaseModel


class RelationshipStatus(models.TextChoices):
    STRONG_POSITIVE = "strong_positive", _("Strong positive")
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    STRONG_NEGATIVE = "strong_negative", _("Strong negative")


class Competitor(BaseModel):
    """A competing vendor (METHOD.md §4.4): profile and analysis library."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.CharField(
        _("website"), max_length=200, blank=True, validators=[validate_web_address]
    )
    headquarters = models.CharField(_("headquarters"), max_length=200, blank=True)
    description = models.TextField(_("profile"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history_table = "opportunities_historicalcompetitor"  # kept from before the move

    class Meta:
        db_table = "opportunities_competitor"
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InsightKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    TACTIC = "tactic", _("Typical tactic")


class CompetitorInsight(BaseModel):
    """One entry of the analysis library: a strength, a weakness or a typical tactic."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="insights")
    kind = models.CharField(_("kind"), max_length=10, choices=InsightKind.choices)
    text = models.TextField(_("text"))

    history_table = "opportunities_historicalcompetitorinsight"  # kept from before the move

    class Meta:
        db_table = "opportunities_competitorinsight"
        verbose_name = _("competitor analysis")
        verbose_name_plural = _("competitor analysis")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class CompetitorRelation(BaseModel):
    """How a competitor stands with one customer (METHOD.md §4.4 "relations with each
    customer"): incumbent or not, relationship status, what they supply."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="relations")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="competitor_relations"
    )
    is_incumbent = models.BooleanField(_("incumbent"), default=False)
    relationship_status = models.CharField(
        _("relationship status"),
        max_length=20,
        choices=RelationshipStatus.choices,
        default="neutral",
    )
    notes = models.TextField(_("notes"), blank=True)

    history_table = "opportunities_historicalcompetitorrelation"  # kept from before the move

    class Meta:
        db_table = "opportunities_competitorrelation"
        verbose_name = _("competitor relation")
        verbose_name_plural = _("competitor relations")
        unique_together = [("competitor", "account")]

    def __str__(self) -> str:
        return f"{self.competitor_id} @ {self.account_id}"


class CompetitorPartner(BaseModel):
    """A key partner of a competitor (reseller, integrator, technology partner…)."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history_table = "opportunities_historicalcompetitorpartner"  # kept from before the move

    class Meta:
        db_table = "opportunities_competitorpartner"
        verbose_name = _("competitor partner")
        verbose_name_plural = _("competitor partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompetitorEvent(BaseModel):
    """A key event in a competitor's history (a big win, a price war, a merger…)."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="events")
    happened_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history_table = "opportunities_historicalcompetitorevent"  # kept from before the move

    class Meta:
        db_table = "opportunities_competitorevent"
        verbose_name = _("competitor event")
        verbose_name_plural = _("competitor events")
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CompetitorPrice(BaseModel):
    """A price a competitor quoted (METHOD.md §4.4 price history: per deal, price and date)."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="prices")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    product = models.ForeignKey(
        "opportunities.ProductLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    price = models.DecimalField(_("price"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    quoted_on = models.DateField(_("quoted on"))
    notes = models.TextField(_("notes"), blank=True)

    history_table = "opportunities_historicalcompetitorprice"  # kept from before the move

    class Meta:
        db_table = "opportunities_competitorprice"
        verbose_name = _("competitor price")
        verbose_name_plural = _("competitor prices")
        indexes = [models.Index(fields=["competitor", "quoted_on"], name="competitor_price_date")]

    def __str__(self) -> str:
        return f"{self.competitor_id} {self.price} {self.quoted_on}"
