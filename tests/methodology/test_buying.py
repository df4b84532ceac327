"""The customer's buying process (METHOD.md §7.1): size class, template suggestion, and the
coverage of stakeholder roles that the §6 risk rules read."""

from datetime import date
from decimal import Decimal

import pytest

from wuwei.methodology.buying import (
    BuyingFunction,
    BuyingRoleKind,
    CompanySize,
    ContactFact,
    RoleFact,
    TemplateFact,
    buying_coverage,
    company_size,
    department_function,
    is_engaged,
    suggest_template,
)
from wuwei.methodology.enums import InteractionLevel
from wuwei.methodology.explain import Reason

AS_OF = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("employees", "revenue", "subsidiaries", "expected"),
    [
        (None, None, False, None),
        (None, None, True, CompanySize.GROUP),
        (50, None, True, CompanySize.GROUP),
        (99, None, False, CompanySize.SMALL),
        (100, None, False, CompanySize.MEDIUM),
        (999, Decimal(10**10), False, CompanySize.MEDIUM),  # headcount wins over revenue
        (1000, None, False, CompanySize.LARGE),
        (None, Decimal(49_999_999), False, CompanySize.SMALL),
        (None, Decimal(50_000_000), False, CompanySize.MEDIUM),
        (None, Decimal(500_000_000), False, CompanySize.LARGE),
    ],
)
def test_company_size(employees, revenue, subsidiaries, expected):
    assert (
        company_size(
            employee_count=employees, annual_revenue=revenue, has_subsidiaries=subsidiaries
        )
        == expected
    )


TEMPLATES = [
    TemplateFact(1, "", "group"),
    TemplateFact(2, "", "group"),
    TemplateFact(3, "government", ""),
    TemplateFact(4, "", ""),
    TemplateFact(5, "finance", "large"),
]


@pytest.mark.parametrize(
    ("industry", "size", "expected"),
    [
        ("it", CompanySize.GROUP, 1),  # size match beats the generic one; lowest id on a tie
        ("government", CompanySize.GROUP, 3),  # industry (2) beats size (1)
        ("government", None, 3),
        ("it", CompanySize.SMALL, 4),  # only the generic one fits
        ("finance", CompanySize.LARGE, 5),  # industry and size (3)
        ("finance", CompanySize.MEDIUM, 4),  # a named size that differs does not fit
    ],
)
def test_suggest_template(industry, size, expected):
    assert suggest_template(TEMPLATES, industry=industry, size=size) == expected


def test_suggest_template_none_fits():
    assert suggest_template([TemplateFact(3, "government", "")], industry="it", size=None) is None
    assert suggest_template([], industry="it", size=None) is None


@pytest.mark.parametrize(
    ("department", "expected"),
    [
        ("Procurement", BuyingFunction.PROCUREMENT),
        ("采购部", BuyingFunction.PROCUREMENT),
        ("Legal & Compliance", BuyingFunction.LEGAL),
        ("法务部", BuyingFunction.LEGAL),
        ("Finance", BuyingFunction.FINANCE),
        ("财务部", BuyingFunction.FINANCE),
        ("Internal audit", BuyingFunction.RISK_AUDIT),
        ("IT", BuyingFunction.IT),
        ("信息中心", BuyingFunction.IT),
        ("Key account sales", None),
        ("", None),
    ],
)
def test_department_function(department, expected):
    assert department_function(department) == expected


@pytest.mark.parametrize(
    ("level", "last", "expected"),
    [
        (InteractionLevel.NONE, None, False),
        (InteractionLevel.OCCASIONAL, None, True),
        (InteractionLevel.NONE, date(2026, 9, 2), True),  # 90 days back: inclusive
        (InteractionLevel.NONE, date(2026, 9, 1), False),  # 91 days back
        (InteractionLevel.NONE, date(2026, 12, 2), False),  # planned, not happened
    ],
)
def test_is_engaged(level, last, expected):
    assert is_engaged(ContactFact(1, level, last), as_of=AS_OF) is expected


def _role(role_id, function, kind, step, *contacts):
    return RoleFact(role_id, BuyingFunction(function), BuyingRoleKind(kind), step, contacts)


ENGAGED = ContactFact(10, InteractionLevel.MULTIPLE)
SILENT = ContactFact(11)


def test_coverage_of_a_mapped_deal():
    roles = [
        _role(3, "procurement", "approval", 5),
        _role(1, "business_owner", "approval", 1, ENGAGED),
        _role(2, "it", "opinion", 2, SILENT),
        _role(4, "finance", "approval", 4, SILENT),
    ]
    coverage = buying_coverage(
        roles, as_of=AS_OF, decision_roles={"approver", "decision_maker", "user"}
    )
    assert [c.role_id for c in coverage.roles] == [1, 2, 4, 3]  # step order
    assert coverage.uncovered_roles == (3,)
    assert coverage.unengaged_roles == (2, 4)
    assert (coverage.procurement_covered, coverage.finance_covered, coverage.legal_covered) == (
        False,
        True,
        False,
    )
    assert not coverage.gatekeepers_covered
    assert coverage.decision_chain_complete is False  # approval node 3 has no contact
    assert coverage.reasons == (
        Reason(
            "buying_role_uncovered",
            {"role": 3, "step": 5, "function": "procurement", "kind": "approval"},
        ),
        Reason("buying_function_uncovered", {"function": "procurement"}),
        Reason("buying_function_uncovered", {"function": "legal"}),
    )


def test_decision_chain_complete_needs_approval_nodes_and_the_decision_map():
    roles = [_role(1, "executive", "approval", 1, SILENT), _role(2, "users", "opinion", 2)]
    complete = buying_coverage(roles, as_of=AS_OF, decision_roles=["approver", "decision_maker"])
    assert complete.decision_chain_complete  # an uncovered opinion holder does not break it
    no_approver = buying_coverage(roles, as_of=AS_OF, decision_roles=["decision_maker"])
    assert not no_approver.decision_chain_complete
    assert Reason("decision_role_missing", {"role": "approver"}) in no_approver.reasons


def test_without_a_template_departments_of_the_deals_contacts_count():
    contacts = [
        ContactFact(1, department_function=department_function("采购部")),
        ContactFact(2, department_function=department_function("Legal")),
        ContactFact(3, department_function=department_function("财务部")),
    ]
    coverage = buying_coverage(
        [], as_of=AS_OF, deal_contacts=contacts, decision_roles=["approver", "decision_maker"]
    )
    assert coverage.gatekeepers_covered
    assert coverage.decision_chain_complete
    assert coverage.uncovered_roles == () and coverage.reasons == ()
