"""The customer's buying process (METHOD.md §7.1, seed 003): which template fits an account,
and how well a deal covers the stakeholder roles of the customer's buying steps.

A KA customer puts every party into its process: as an approval node, as an informed node, or
outside the flow as a key opinion holder. A deal is covered when each role has a contact, and
engaged when those contacts were reached. Procurement, finance and legal — the teams "not on
our usual path" — and a complete decision chain are what late-stage deals are lost on (seed
003), so the risk rules of §6 read them from `buying_coverage`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from wuwei.methodology.enums import InteractionLevel
from wuwei.methodology.explain import Reason

__all__ = [
    "GATEKEEPER_FUNCTIONS",
    "BuyingCoverage",
    "BuyingFunction",
    "BuyingRoleKind",
    "CompanySize",
    "ContactFact",
    "RoleCoverage",
    "RoleFact",
    "TemplateFact",
    "buying_coverage",
    "company_size",
    "department_function",
    "is_engaged",
    "suggest_template",
]

ENGAGED_DAYS = 90
DECISION_ROLES = ("approver", "decision_maker")


class BuyingRoleKind(StrEnum):
    """Where a stakeholder sits in the customer's process (seed 003)."""

    APPROVAL = "approval"  # an approval node of the flow
    INFORMED = "informed"  # an informed node of the flow
    OPINION = "opinion"  # a key opinion holder outside the flow


class BuyingFunction(StrEnum):
    """The department or function a stakeholder role speaks for."""

    BUSINESS_OWNER = "business_owner"
    EXECUTIVE = "executive"
    PROCUREMENT = "procurement"
    FINANCE = "finance"
    LEGAL = "legal"
    IT = "it"
    ADMINISTRATION = "administration"
    RISK_AUDIT = "risk_audit"
    USERS = "users"
    EXTERNAL = "external"
    OTHER = "other"


# The teams a deal must reach before the tender (§6: "procurement / finance / legal").
GATEKEEPER_FUNCTIONS = (BuyingFunction.PROCUREMENT, BuyingFunction.FINANCE, BuyingFunction.LEGAL)


class CompanySize(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    GROUP = "group"


# ----------------------------------------------------------------------------------------
# which template


def company_size(
    *,
    employee_count: int | None,
    annual_revenue: Decimal | None,
    has_subsidiaries: bool,
) -> CompanySize | None:
    """Size class of an account: a group company when it has subsidiaries (it buys through a
    group process); else by employees (≥ 1,000 large, ≥ 100 medium, else small), or, when the
    headcount is unknown, by annual revenue in CNY (≥ 500 M large, ≥ 50 M medium, else small).
    None when nothing is known."""
    if has_subsidiaries:
        return CompanySize.GROUP
    if employee_count is not None:
        if employee_count >= 1000:
            return CompanySize.LARGE
        return CompanySize.MEDIUM if employee_count >= 100 else CompanySize.SMALL
    if annual_revenue is not None:
        if annual_revenue >= Decimal(500_000_000):
            return CompanySize.LARGE
        return CompanySize.MEDIUM if annual_revenue >= Decimal(50_000_000) else CompanySize.SMALL
    return None


@dataclass(frozen=True, slots=True)
class TemplateFact:
    """A template's targeting: blank industry or size means "any"."""

    template_id: int
    industry: str = ""
    size: str = ""


def suggest_template(
    templates: Iterable[TemplateFact], *, industry: str, size: CompanySize | None
) -> int | None:
    """The template that fits an account best (§7.1 "by industry and company size").

    A template naming another industry or size does not fit. Among those that fit, a named
    industry that matches scores 2, a named size that matches scores 1; the highest score
    wins, the lowest id breaks ties. None when no template fits.
    """
    best: tuple[int, int] | None = None
    for template in templates:
        if template.industry and template.industry != industry:
            continue
        if template.size and template.size != size:
            continue
        score = 2 * bool(template.industry) + bool(template.size)
        candidate = (-score, template.template_id)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[1]


# ----------------------------------------------------------------------------------------
# coverage


_DEPARTMENT_WORDS: tuple[tuple[BuyingFunction, tuple[str, ...]], ...] = (
    (BuyingFunction.PROCUREMENT, ("procure", "purchas", "sourcing", "采购", "招标", "采招")),
    (BuyingFunction.LEGAL, ("legal", "law", "compliance", "法务", "法律", "合规")),
    (BuyingFunction.RISK_AUDIT, ("audit", "risk", "审计", "风控", "内审")),
    (BuyingFunction.FINANCE, ("financ", "accounting", "treasur", "cfo", "财务", "会计", "资金")),
    (BuyingFunction.IT, ("it ", "information", "technolog", "信息", "技术", "科技")),
)


def department_function(department: str) -> BuyingFunction | None:
    """The gatekeeping function a free-text department names (English or Chinese keywords),
    so contacts outside any template still count for procurement/finance/legal coverage."""
    text = f"{department.strip().lower()} "
    if not text.strip():
        return None
    for function, words in _DEPARTMENT_WORDS:
        if any(word in text for word in words):
            return function
    return None


@dataclass(frozen=True, slots=True)
class ContactFact:
    """A contact as coverage needs it: their interaction level in this deal and the date of
    their last activity on it."""

    contact_id: int
    interaction_level: InteractionLevel = InteractionLevel.NONE
    last_activity_on: date | None = None
    department_function: BuyingFunction | None = None


@dataclass(frozen=True, slots=True)
class RoleFact:
    """A stakeholder role of the deal's template and the contacts mapped to it."""

    role_id: int
    function: BuyingFunction
    kind: BuyingRoleKind
    step: int
    contacts: tuple[ContactFact, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleCoverage:
    role_id: int
    function: BuyingFunction
    kind: BuyingRoleKind
    step: int
    contact_ids: tuple[int, ...]
    is_covered: bool
    is_engaged: bool


@dataclass(frozen=True, slots=True)
class BuyingCoverage:
    roles: tuple[RoleCoverage, ...]
    uncovered_roles: tuple[int, ...]
    unengaged_roles: tuple[int, ...]
    covered_functions: frozenset[BuyingFunction]
    procurement_covered: bool
    finance_covered: bool
    legal_covered: bool
    decision_chain_complete: bool
    reasons: tuple[Reason, ...]

    @property
    def gatekeepers_covered(self) -> bool:
        return self.procurement_covered and self.finance_covered and self.legal_covered


def is_engaged(contact: ContactFact, *, as_of: date, engaged_days: int = ENGAGED_DAYS) -> bool:
    """Engaged = some interaction in this deal (level above none), or an activity with them on
    it in the last `engaged_days` (90, inclusive)."""
    if contact.interaction_level != InteractionLevel.NONE:
        return True
    last = contact.last_activity_on
    return last is not None and as_of - timedelta(days=engaged_days) <= last <= as_of


def buying_coverage(
    roles: Sequence[RoleFact],
    *,
    as_of: date,
    deal_contacts: Sequence[ContactFact] = (),
    decision_roles: Iterable[str] = (),
    engaged_days: int = ENGAGED_DAYS,
) -> BuyingCoverage:
    """Coverage of the customer's buying process by the deal (METHOD.md §7.1, §6).

    - a role is covered when at least one contact is mapped to it, engaged when one of them
      is engaged (`is_engaged`); `uncovered_roles` / `unengaged_roles` list role ids in step
      order;
    - a function is covered by a covered role of that function, or by any contact of the deal
      (`deal_contacts`, e.g. the decision map) whose department names it — so procurement,
      finance and legal are checked with or without a template;
    - the decision chain is complete when the decision map holds an approver and a decision
      maker (`decision_roles`, the §6 definition) and every approval node of the template is
      covered.
    Reasons: `buying_role_uncovered` {role, step, function, kind}, `buying_function_uncovered`
    {function}, `decision_role_missing` {role}.
    """
    ordered = sorted(roles, key=lambda r: (r.step, r.role_id))
    coverages = tuple(
        RoleCoverage(
            role_id=role.role_id,
            function=role.function,
            kind=role.kind,
            step=role.step,
            contact_ids=tuple(c.contact_id for c in role.contacts),
            is_covered=bool(role.contacts),
            is_engaged=any(
                is_engaged(c, as_of=as_of, engaged_days=engaged_days) for c in role.contacts
            ),
        )
        for role in ordered
    )
    covered_functions = frozenset(
        {c.function for c in coverages if c.is_covered}
        | {c.department_function for c in deal_contacts if c.department_function is not None}
    )
    reasons: list[Reason] = [
        Reason(
            "buying_role_uncovered",
            {"role": c.role_id, "step": c.step, "function": c.function.value, "kind": c.kind.value},
        )
        for c in coverages
        if not c.is_covered
    ]
    reasons += [
        Reason("buying_function_uncovered", {"function": function.value})
        for function in GATEKEEPER_FUNCTIONS
        if function not in covered_functions
    ]
    present = set(decision_roles)
    missing_decision_roles = [role for role in DECISION_ROLES if role not in present]
    reasons += [Reason("decision_role_missing", {"role": role}) for role in missing_decision_roles]
    approval_nodes_covered = all(
        c.is_covered for c in coverages if c.kind is BuyingRoleKind.APPROVAL
    )
    return BuyingCoverage(
        roles=coverages,
        uncovered_roles=tuple(c.role_id for c in coverages if not c.is_covered),
        unengaged_roles=tuple(c.role_id for c in coverages if c.is_covered and not c.is_engaged),
        covered_functions=covered_functions,
        procurement_covered=BuyingFunction.PROCUREMENT in covered_functions,
        finance_covered=BuyingFunction.FINANCE in covered_functions,
        legal_covered=BuyingFunction.LEGAL in covered_functions,
        decision_chain_complete=approval_nodes_covered and not missing_decision_roles,
        reasons=tuple(reasons),
    )
