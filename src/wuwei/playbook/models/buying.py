"""The customer's buying process (METHOD.md §7.1, seed 003): templates by industry and company
size with ordered steps, the stakeholder roles at each step and their concerns; a deal that
follows a template and the contacts mapped to its roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuwei.accounts.models import Industry
from wuwei.core.models import BaseModel
from wuwei.methodology.buying import BuyingFunction as MethodBuyingFunction
from wuwei.methodology.buying import BuyingRoleKind as MethodBuyingRoleKind
from wuwei.methodology.buying import CompanySize as MethodCompanySize
from wuwei.opportunities.models import LocalizedText, Opportunity, Stage
from wuwei.people.models import Contact


class CompanySize(models.TextChoices):
    SMALL = MethodCompanySize.SMALL, _("Small (under 100 employees)")
    MEDIUM = MethodCompanySize.MEDIUM, _("Medium (100–999 employees)")
    LARGE = MethodCompanySize.LARGE, _("Large (1,000 employees or more)")
    GROUP = MethodCompanySize.GROUP, _("Group company (with subsidiaries)")


class BuyingRoleKind(models.TextChoices):
    APPROVAL = MethodBuyingRoleKind.APPROVAL, _("Approval node")
    INFORMED = MethodBuyingRoleKind.INFORMED, _("Informed node")
    OPINION = MethodBuyingRoleKind.OPINION, _("Key opinion holder outside the flow")


class BuyingFunction(models.TextChoices):
    BUSINESS_OWNER = MethodBuyingFunction.BUSINESS_OWNER, _("Business owner")
    EXECUTIVE = MethodBuyingFunction.EXECUTIVE, _("Executive management")
    PROCUREMENT = MethodBuyingFunction.PROCUREMENT, _("Procurement")
    FINANCE = MethodBuyingFunction.FINANCE, pgettext_lazy("buying function", "Finance")
    LEGAL = MethodBuyingFunction.LEGAL, _("Legal")
    IT = MethodBuyingFunction.IT, _("IT")
    ADMINISTRATION = (
        MethodBuyingFunction.ADMINISTRATION,
        pgettext_lazy("buying function", "Administration"),
    )
    RISK_AUDIT = MethodBuyingFunction.RISK_AUDIT, _("Risk control and audit")
    USERS = MethodBuyingFunction.USERS, _("Users")
    EXTERNAL = MethodBuyingFunction.EXTERNAL, _("External party")
    OTHER = MethodBuyingFunction.OTHER, _("Other")


class BuyingProcessTemplate(LocalizedText, BaseModel):
    """How one kind of customer buys (§7.1). Blank industry or size: fits any."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, blank=True, default=""
    )
    company_size = models.CharField(
        _("company size"), max_length=10, choices=CompanySize.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("buying-process template")
        verbose_name_plural = _("buying-process templates")
        ordering = ["id"]
        indexes = [models.Index(fields=["archived_at", "industry"], name="buying_tpl_industry")]

    def __str__(self) -> str:
        return self.text("name")

    @property
    def text_name(self) -> str:
        return self.text("name")

    @property
    def text_description(self) -> str:
        return self.text("description")


class BuyingStep(LocalizedText, BaseModel):
    """One step of the customer's process, and the stage of ours it falls in."""

    template = models.ForeignKey(
        BuyingProcessTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description_en = models.TextField(_("what happens (English)"), blank=True)
    description_zh = models.TextField(_("what happens (Chinese)"), blank=True)
    stage = models.CharField(
        _("our stage"),
        max_length=20,
        choices=[(s.value, s.label) for s in Stage if s not in (Stage.WON, Stage.LOST)],
    )

    class Meta:
        verbose_name = _("buying step")
        verbose_name_plural = _("buying steps")
        ordering = ["template", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="buying_step_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text('name')}"

    @property
    def text_name(self) -> str:
        return self.text("name")

    @property
    def text_description(self) -> str:
        return self.text("description")


class BuyingRole(LocalizedText, BaseModel):
    """A stakeholder role at a step: who, for which function, where in the flow, and what
    they care about."""

    step = models.ForeignKey(
        BuyingStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="roles"
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    function = models.CharField(_("function"), max_length=20, choices=BuyingFunction.choices)
    kind = models.CharField(
        _("place in the process"), max_length=10, choices=BuyingRoleKind.choices
    )
    concerns_en = models.TextField(_("concerns (English)"), blank=True)
    concerns_zh = models.TextField(_("concerns (Chinese)"), blank=True)

    class Meta:
        verbose_name = _("stakeholder role")
        verbose_name_plural = _("stakeholder roles")
        ordering = ["step", "id"]

    def __str__(self) -> str:
        return self.text("name")

    @property
    def text_name(self) -> str:
        return self.text("name")

    @property
    def text_concerns(self) -> str:
        return self.text("concerns")


class OpportunityBuyingProcess(BaseModel):
    """The template a deal follows (one per deal)."""

    opportunity = models.OneToOneField(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="buying_process",
    )
    template = models.ForeignKey(
        BuyingProcessTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("buying process of a deal")
        verbose_name_plural = _("buying processes of deals")

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.template_id}"


class BuyingRoleContact(BaseModel):
    """A contact of the customer mapped to a stakeholder role on one deal."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.ForeignKey(
        BuyingRole, verbose_name=_("role"), on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("contact in a buying role")
        verbose_name_plural = _("contacts in buying roles")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "role", "contact"], name="buying_role_contact_unique"
            )
        ]
        indexes = [models.Index(fields=["opportunity", "role"], name="buying_role_contact_opp")]

    def __str__(self) -> str:
        return f"{self.contact_id} as {self.role_id} on {self.opportunity_id}"
