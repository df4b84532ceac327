"""Organisation (METHOD.md §1): teams as a tree, users with several roles, API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wuwei.core.models import BaseModel


class TeamKind(models.TextChoices):
    COMPANY = "company", _("Company")
    REGION = "region", _("Region")
    INDUSTRY_LINE = "industry_line", _("Industry line")
    SALES = "sales", _("Sales team")
    OFFICE = "office", _("Office")
    DELIVERY_CENTER = "delivery_center", _("Delivery centre")
    PARTNER = "partner", _("Channel partner")
    HQ_PRESALES = "hq_presales", _("HQ presales")


class Segment(models.TextChoices):
    SMB = "SMB", _("SMB")
    KA = "KA", _("Key account")


class Role(models.TextChoices):
    REP = "rep", _("Sales rep")
    MANAGER = "manager", _("Manager")
    PRESALES = "presales", _("Presales")
    DELIVERY_LEAD = "delivery_lead", _("Delivery lead")
    EXECUTIVE = "executive", _("Executive")
    ADMIN = "admin", _("Administrator")
    PARTNER_USER = "partner_user", _("Partner user")


class Team(BaseModel):
    """A node of the organisation tree. `path` ("/1/4/9/") makes subtree queries one indexed
    prefix match, so a manager's scope costs no recursion."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    segment = models.CharField(
        _("segment"), max_length=3, choices=Segment.choices, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def role_slugs(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_links.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return (self.is_superuser and Role.ADMIN in roles) or bool(self.role_slugs & set(roles))

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or bool(self.role_slugs & {Role.EXECUTIVE, Role.ADMIN})


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_links")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="org_userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal access token. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class HandoverReason(models.TextChoices):
    DEACTIVATION = "deactivation", _("Leaves the company")
    TERRITORY_CHANGE = "territory_change", _("Changes territory")
    OTHER = "other", _("Other")


class HandoverRecord(models.Model):
    """The audit record of one handover (人脉传承, METHOD.md §3.5): what moved to whom.

    `details` maps each step key to {"label", "successor", "count", "ids"}.
    """

    user = models.ForeignKey(
        User, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    performed_by = models.ForeignKey(
        User, verbose_name=_("performed by"), on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(_("performed"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=20, choices=HandoverReason.choices)
    note = models.TextField(_("note"), blank=True)
    deactivated = models.BooleanField(_("deactivated"), default=False)
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-performed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.performed_at:%Y-%m-%d}"
