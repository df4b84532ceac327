"""Relationship map and connections (METHOD.md §3, ECM 本) and activities (§4.9).

Account level (stable): contacts with their persona, reporting line, influence and circle;
"influences" edges; each competitor's standing with a contact; our employees' connections.
Opportunity level: the decision map (role, per-deal status and interaction, strategy).
Derived values (interaction levels, closeness) are written by services, never by hand.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.core.models import BaseModel


class BehaviorOrientation(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    PRAGMATIC = "pragmatic", _("Pragmatic")
    TECHNICAL_PRAGMATIC = "technical_pragmatic", _("Technical-pragmatic")
    PRAGMATIC_TECHNICAL = "pragmatic_technical", _("Pragmatic-technical")
    BALANCED = "balanced", _("Balanced")


class RelationshipStatus(models.TextChoices):
    STRONG_POSITIVE = "strong_positive", _("Strong positive")
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    STRONG_NEGATIVE = "strong_negative", _("Strong negative")


class InteractionLevel(models.TextChoices):
    NONE = "none", _("None")
    OCCASIONAL = "occasional", _("Occasional")
    MULTIPLE = "multiple", _("Multiple")
    DEEP = "deep", _("Deep")


class DecisionRole(models.TextChoices):
    APPROVER = "approver", _("Approver")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    EVALUATOR = "evaluator", _("Evaluator")
    USER = "user", _("User")


class RelationshipStrategy(models.TextChoices):
    ENCOURAGE = "encourage", _("Encourage")
    HARMONIZE = "harmonize", _("Harmonize")
    ATTACK = "attack", _("Attack")
    DEFEND = "defend", _("Defend")
    SUPPRESS = "suppress", _("Suppress")


INFLUENCE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Contact(BaseModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    notes = models.TextField(_("notes"), blank=True)
    # Political map (§3.1): influence 1-5 and circle (圈子). A circle is a free label per
    # account: factions form and dissolve, and the map groups contacts by equal labels.
    influence = models.PositiveSmallIntegerField(
        _("influence"), default=3, validators=INFLUENCE_VALIDATORS
    )
    circle = models.CharField(_("circle"), max_length=100, blank=True)
    # Persona (§3.2)
    behavior_orientation = models.CharField(
        _("behaviour orientation"),
        max_length=20,
        choices=BehaviorOrientation.choices,
        blank=True,
        default="",
    )
    relationship_status = models.CharField(
        _("relationship status"),
        max_length=20,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEUTRAL,
    )
    # Derived from activities (§3.2) by the activity services; never edited by hand.
    interaction_level = models.CharField(
        _("interaction level"),
        max_length=12,
        choices=InteractionLevel.choices,
        default=InteractionLevel.NONE,
        editable=False,
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["account", "archived_at"], name="contact_account"),
            models.Index(fields=["name", "id"], name="contact_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5),
                name="contact_influence_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Influence(BaseModel):
    """Account-level "who influences whom" edge of the political map (§3.1)."""

    source = models.ForeignKey(
        Contact, verbose_name=_("influencer"), on_delete=models.CASCADE, related_name="+"
    )
    target = models.ForeignKey(
        Contact, verbose_name=_("influenced"), on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("influence")
        verbose_name_plural = _("influences")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="influence_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="influence_not_self"
            ),
        ]
        indexes = [models.Index(fields=["account", "archived_at"], name="influence_account")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class CompetitorRelation(BaseModel):
    """A competitor's standing with a contact (§3.2 "know the enemy"). Recorded by hand:
    we do not see the competitor's activities."""

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="competitor_relations",
    )
    competitor = models.ForeignKey(
        "competitors.Competitor",
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        related_name="contact_relations",
    )
    status = models.CharField(
        _("relationship status"),
        max_length=20,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEUTRAL,
    )
    interaction_level = models.CharField(
        _("interaction level"),
        max_length=12,
        choices=InteractionLevel.choices,
        default=InteractionLevel.NONE,
    )

    class Meta:
        verbose_name = _("competitor relation")
        verbose_name_plural = _("competitor relations")
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "competitor"], name="competitor_relation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competitor_id} · {self.contact_id}: {self.status}"


class DecisionParticipant(BaseModel):
    """A contact on one opportunity's decision map (§3.1–3.3)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="decision_participants",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="decision_participations",
    )
    decision_role = models.CharField(
        _("decision role"), max_length=20, choices=DecisionRole.choices
    )
    relationship_status = models.CharField(
        _("relationship status in this deal"),
        max_length=20,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEUTRAL,
    )
    # From the activities linked to this opportunity only; written by the activity services.
    interaction_level = models.CharField(
        _("interaction in this deal"),
        max_length=12,
        choices=InteractionLevel.choices,
        default=InteractionLevel.NONE,
        editable=False,
    )
    # Blank: follow the suggestion from the status (§3.3). Set: an override with a reason.
    strategy = models.CharField(
        _("relationship strategy"),
        max_length=12,
        choices=RelationshipStrategy.choices,
        blank=True,
        default="",
    )
    strategy_reason = models.CharField(_("why this strategy"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("decision-map participant")
        verbose_name_plural = _("decision-map participants")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact"], name="decision_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} @ {self.opportunity_id}: {self.decision_role}"


class DecisionInfluence(models.Model):
    """Who influences whom in this deal (§3.1); both ends are on the deal's decision map."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="+"
    )
    source = models.ForeignKey(DecisionParticipant, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(DecisionParticipant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("influence in a deal")
        verbose_name_plural = _("influences in deals")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="decision_influence_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="decision_influence_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    DEMO = "demo", _("Demo")
    WORKSHOP = "workshop", _("Workshop")
    EXECUTIVE_MEETING = "executive_meeting", _("Executive meeting")
    SITE_VISIT = "site_visit", _("Site visit")
    DINNER = "dinner", _("Dinner")
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


class Activity(BaseModel):
    """A customer interaction (§4.9). Drives interaction levels (§3.2) and timelines."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    occurred_on = models.DateField(_("date"))
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="activities"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("contacts involved"), blank=True, related_name="activities"
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    # Normalised ",budget,pricing," so one tag is an indexed-friendly `contains` on any DB.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    # Who is responsible for it; `created_by` keeps who logged it (handover moves `owner`).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_activities",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["account", "occurred_on"], name="activity_account_date"),
            models.Index(fields=["opportunity", "occurred_on"], name="activity_opp_date"),
            models.Index(fields=["occurred_on", "id"], name="activity_date_id"),
            models.Index(fields=["owner", "archived_at"], name="activity_owner"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class ConnectionHow(models.TextChoices):
    CLASSMATE = "classmate", _("Classmate")
    FORMER_COLLEAGUE = "former_colleague", _("Former colleague")
    PARTNER = "partner", _("Through a partner")
    FRIEND = "friend", _("Friend")
    FAMILY = "family", _("Family")
    BUSINESS = "business", _("Business contact")
    OTHER = "other", _("Other")


class Connection(BaseModel):
    """One of our employees knows a contact (§3.5 ECM, 人脉)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="connections",
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="connections"
    )
    strength = models.PositiveSmallIntegerField(
        _("strength"), default=3, validators=INFLUENCE_VALIDATORS
    )
    since = models.DateField(_("since"), null=True, blank=True)
    how = models.CharField(_("how"), max_length=20, choices=ConnectionHow.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.UniqueConstraint(fields=["employee", "contact"], name="connection_unique"),
            models.CheckConstraint(
                condition=models.Q(strength__gte=1, strength__lte=5),
                name="connection_strength_1_5",
            ),
        ]
        indexes = [models.Index(fields=["employee", "archived_at"], name="connection_employee")]

    def __str__(self) -> str:
        return f"{self.employee_id} ↔ {self.contact_id}"


class ClosenessSnapshot(models.Model):
    """Closeness index (§3.4) of one party on an account or an opportunity, per day.

    `competitor` empty = us. Exactly one of account/opportunity is set. The latest value of a
    day wins; ESP+ monitoring reads the series.
    """

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    competitor = models.ForeignKey(
        "competitors.Competitor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(_("closeness"), max_digits=4, decimal_places=1)
    recorded_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("closeness snapshot")
        verbose_name_plural = _("closeness snapshots")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(account__isnull=False, opportunity__isnull=True)
                    | models.Q(account__isnull=True, opportunity__isnull=False)
                ),
                name="closeness_one_subject",
            )
        ]
        indexes = [
            models.Index(fields=["account", "recorded_on"], name="closeness_account"),
            models.Index(fields=["opportunity", "recorded_on"], name="closeness_opportunity"),
        ]

    def __str__(self) -> str:
        return f"{self.recorded_on}: {self.value}"
