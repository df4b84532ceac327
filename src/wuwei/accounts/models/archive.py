"""ESP+ account archive (METHOD.md §2.1) and the conflict queue (§7.3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wuwei.core.links import validate_web_address
from wuwei.core.models import BaseModel
from wuwei.methodology.enums import AccountGradeLetter as MethodAccountGradeLetter
from wuwei.methodology.enums import AccountStatus as MethodAccountStatus
from wuwei.methodology.enums import AccountStrategy as MethodAccountStrategy
from wuwei.methodology.enums import KaProfile as MethodKaProfile
from wuwei.methodology.enums import Queue as MethodQueue
from wuwei.methodology.enums import Scope as MethodScope
from wuwei.org.models import Segment, Team


class Industry(models.TextChoices):
    IT = "it", _("IT & internet")
    TELECOM = "telecom", _("Telecom")
    FINANCE = "finance", _("Finance")
    GOVERNMENT = "government", _("Government")
    ENERGY = "energy", _("Energy & utilities")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HEALTHCARE = "healthcare", _("Healthcare")
    EDUCATION = "education", _("Education")
    RETAIL = "retail", _("Retail & consumer")
    TRANSPORT = "transport", _("Transport & logistics")
    OTHER = "other", _("Other")


class AccountStatus(models.TextChoices):
    PROSPECT = MethodAccountStatus.PROSPECT, _("Prospect")
    CUSTOMER = MethodAccountStatus.CUSTOMER, _("Customer")
    DRIFTING = MethodAccountStatus.DRIFTING, _("Drifting")
    LOST = MethodAccountStatus.LOST, _("Lost")


class HeadquartersScope(models.TextChoices):
    GLOBAL = MethodScope.GLOBAL, _("Global")
    NATIONAL = MethodScope.NATIONAL, _("National")
    REGIONAL = MethodScope.REGIONAL, _("Regional")
    LOCAL = MethodScope.LOCAL, _("Local")


class KaProfile(models.TextChoices):
    GLOBAL = MethodKaProfile.GLOBAL, _("Global KA")
    NATIONAL = MethodKaProfile.NATIONAL, _("National KA")
    REGIONAL = MethodKaProfile.REGIONAL, _("Regional KA")
    HIGH_WILLINGNESS = MethodKaProfile.HIGH_WILLINGNESS, _("High willingness to pay")


class Grade(models.TextChoices):
    A = MethodAccountGradeLetter.A, "A"
    B = MethodAccountGradeLetter.B, "B"
    C = MethodAccountGradeLetter.C, "C"
    D = MethodAccountGradeLetter.D, "D"


class Strategy(models.TextChoices):
    ACQUIRE = MethodAccountStrategy.ACQUIRE, _("Acquire")
    GROW = MethodAccountStrategy.GROW, _("Grow")
    RETAIN = MethodAccountStrategy.RETAIN, _("Retain")
    WIN_BACK = MethodAccountStrategy.WIN_BACK, _("Win back")
    WAIT_AND_WATCH = MethodAccountStrategy.WAIT_AND_WATCH, _("Wait and watch")


class SupportTier(models.TextChoices):
    """Presales support line of an account (METHOD.md §2.6, §5.1)."""

    DELIVERY_CENTER = MethodQueue.DELIVERY_CENTER, _("Delivery centre")
    LOCAL_OFFICE = MethodQueue.LOCAL_OFFICE, _("Local office")
    HOTLINE = MethodQueue.HOTLINE, _("Remote hotline")


class Account(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    # The normalised name (case, width, punctuation, company-form suffix) finds duplicates.
    name_normalized = models.CharField(max_length=200, editable=False, db_index=True)
    registration_number = models.CharField(
        _("registration number"),
        max_length=50,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Unified social credit code or company registration number."),
    )
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, default=Industry.OTHER
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    segment = models.CharField(
        _("segment"), max_length=3, choices=Segment.choices, default=Segment.SMB
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.PROSPECT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_accounts",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("owning team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coverage team"),
        blank=True,
        related_name="covered_accounts",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    notes = models.TextField(_("notes"), blank=True)
    # §2.1 archive 360°
    hq_scope = models.CharField(
        _("headquarters scope"),
        max_length=10,
        choices=HeadquartersScope.choices,
        default=HeadquartersScope.LOCAL,
    )
    is_headquarters = models.BooleanField(_("is headquarters"), default=True)
    on_ranking_list = models.BooleanField(
        _("on a ranking list"), default=False, help_text=_("Fortune 500, top-100 lists…")
    )
    pays_above_peers = models.BooleanField(_("pays well above peers"), default=False)
    annual_revenue = models.DecimalField(
        _("annual revenue (CNY)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    website = models.CharField(
        _("website"), max_length=200, blank=True, validators=[validate_web_address]
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    # KA profile (§2.1): `ka_profile` is what is in force, the automatic one or the override.
    ka_profile = models.CharField(
        _("KA profile"), max_length=20, choices=KaProfile.choices, blank=True, editable=False
    )
    ka_profile_auto = models.CharField(
        _("automatic KA profile"),
        max_length=20,
        choices=KaProfile.choices,
        blank=True,
        editable=False,
    )
    ka_profile_overridden = models.BooleanField(_("KA profile overridden"), default=False)
    ka_profile_override_reason = models.TextField(_("KA profile override reason"), blank=True)
    # Current grading (§2.2/§2.3), kept on the account so lists and charts need no join.
    current_grading = models.ForeignKey(
        "accounts.AccountGrading",
        verbose_name=_("current grading"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, blank=True, editable=False
    )
    account_class = models.CharField(
        _("nine-box class"), max_length=1, choices=Grade.choices, blank=True, editable=False
    )
    # Strategy (§2.4): suggested automatically; `strategy` is the one in force.
    strategy = models.CharField(
        _("strategy"), max_length=20, choices=Strategy.choices, blank=True, editable=False
    )
    strategy_suggested = models.CharField(
        _("suggested strategy"), max_length=20, choices=Strategy.choices, blank=True, editable=False
    )
    strategy_overridden = models.BooleanField(_("strategy overridden"), default=False)
    strategy_override_reason = models.TextField(_("strategy override reason"), blank=True)
    # Coverage (§2.6)
    region_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("region line owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="region_accounts",
    )
    industry_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("industry line owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="industry_accounts",
    )
    support_tier = models.CharField(
        _("support line"), max_length=20, choices=SupportTier.choices, blank=True
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            models.Index(fields=["name", "id"], name="account_name_id"),
            models.Index(fields=["owner", "archived_at"], name="account_owner"),
            models.Index(fields=["team", "archived_at"], name="account_team"),
            models.Index(fields=["industry"], name="account_industry"),
            models.Index(fields=["status"], name="account_status"),
            models.Index(fields=["segment"], name="account_segment"),
            models.Index(fields=["grade"], name="account_grade"),
        ]

    def __str__(self) -> str:
        return self.name


class ConflictKind(models.TextChoices):
    DUPLICATE_ACCOUNT = "duplicate_account", _("Duplicate account")
    OWNERSHIP = "ownership", _("Account owned by another team")
    REGISTRATION_OVERLAP = "registration_overlap", _("Partner registration overlap")
    DIRECT_VS_REGISTRATION = "direct_vs_registration", _("Direct deal on a registered scope")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class OwnershipConflict(BaseModel):
    """An ownership or registration conflict awaiting a manager's decision (METHOD.md §7.3,
    §4.2 E). One queue for account duplicates, ownership and partner registrations. Named
    `Conflict` before issue #12 (not the 409 error `core.errors.Conflict`); it keeps its
    tables."""

    history_table = "accounts_historicalconflict"

    kind = models.CharField(_("kind"), max_length=30, choices=ConflictKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="conflicts"
    )
    other_account = models.ForeignKey(
        Account,
        verbose_name=_("other account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    summary = models.CharField(_("summary"), max_length=500)
    details = models.JSONField(_("details"), default=dict, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        db_table = "accounts_conflict"
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        indexes = [models.Index(fields=["status", "kind"], name="conflict_status_kind")]

    def __str__(self) -> str:
        return self.summary
