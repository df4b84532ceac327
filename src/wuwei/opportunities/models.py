"""TAS+ opportunities (METHOD.md §4). The lifecycle rules live in services and methodology."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.core.models import BaseModel
from wuwei.org.models import Team


class Stage(models.TextChoices):
    VALIDATE = "validate", _("Validate")
    INITIATE = "initiate", _("Initiate")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    VALUE_PRESENTATION = "value_presentation", _("Value presentation")
    TENDER_PREPARATION = "tender_preparation", _("Tender preparation")
    BIDDING = "bidding", _("Bidding")
    NEGOTIATION = "negotiation", _("Negotiation & signing")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STAGES = [s for s in Stage.values if s not in (Stage.WON, Stage.LOST)]


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


class Track(models.TextChoices):
    BIG_PROJECT = "big_project", _("Big project (AB)")
    FAST_TRACK = "fast_track", _("Fast track (CD)")
    PARTNER = "partner", _("Partner (E)")


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
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deal team"),
        blank=True,
        related_name="opportunity_memberships",
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
            models.Index(fields=["grade"], name="opp_grade"),
            models.Index(fields=["expected_close"], name="opp_close"),
            models.Index(fields=["name", "id"], name="opp_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stage not in (Stage.WON, Stage.LOST)


class Competitor(BaseModel):
    """A competing vendor (METHOD.md §4.4). The TAS+ lifecycle issue completes the profile."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
