"""Risk findings as sentences (METHOD.md §6): each fired rule says who and how much.

The methodology returns a finding's code and the names, dates and numbers behind it; this
module turns them into one translated sentence in the request's language, naming contacts,
decision roles, departments and stages the way the pages show them. Sentences are whole
templates, never concatenated.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from wuwei.methodology.risks import Finding, FindingParam
from wuwei.opportunities.models import Stage
from wuwei.people.models import DecisionRole
from wuwei.playbook.models import RiskRule

MESSAGES: dict[str, Any] = {
    "no_confirmed_event": gettext_lazy(
        "No compelling event is confirmed: nothing yet says why the customer must buy now."
    ),
    "no_inside_source": gettext_lazy(
        "The questionnaire of %(answered_on)s says we have no inside source (coach)."
    ),
    "inside_source_unknown": gettext_lazy(
        "No questionnaire says yet whether we have an inside source (coach)."
    ),
    "decision_roles_none": gettext_lazy("Nobody on the decision map is %(roles)s."),
    "decision_roles_missing": gettext_lazy("The decision map has no %(missing)s yet."),
    "few_engaged_contacts": gettext_lazy(
        "%(count)s engaged contacts (%(names)s); a big project needs at least %(minimum)s."
    ),
    "departments_not_covered": gettext_lazy(
        "No contact from %(departments)s is on the decision map."
    ),
    "activity_tag_missing": gettext_lazy("No activity on this deal is tagged “%(tag)s”."),
    "hostile_decider": gettext_lazy(
        "%(names)s decides or approves, is against us, and has no relationship strategy."
    ),
    "win_rate_drop": gettext_lazy(
        "The win rate fell from %(previous)s %% last week to %(current)s %% (%(drop)s points down)."
    ),
    "close_date_near": gettext_lazy(
        "Expected close on %(close)s, in %(days)s days, but the deal has not reached %(stage)s."
    ),
    "close_date_passed": gettext_lazy(
        "The expected close %(close)s passed %(overdue)s days ago and the deal has not "
        "reached %(stage)s."
    ),
    "no_recent_activity": gettext_lazy(
        "No activity since %(last)s: %(days)s days without contact with the customer."
    ),
    "no_activity_yet": gettext_lazy("No activity in the %(days)s days since the deal was created."),
    "no_questionnaire": gettext_lazy(
        "No questionnaire has been answered; the rhythm asks for one every %(days)s days."
    ),
    "questionnaire_stale": gettext_lazy(
        "The newest questionnaire is from %(answered_on)s, %(age)s days ago (limit %(days)s)."
    ),
    "no_contact_mapped": gettext_lazy("No contact is mapped on the decision map."),
    "event_past_reevaluation": gettext_lazy(
        "The compelling event “%(event)s” was due for re-evaluation on %(due)s, %(days)s days ago."
    ),
    "pursuit_missing": gettext_lazy("Still missing: %(missing)s."),
}

_DEPARTMENTS = {
    "procurement": gettext_lazy("procurement"),
    "finance": gettext_lazy("finance"),
    "legal": gettext_lazy("legal"),
}
_PURSUIT = {
    "strategy": gettext_lazy("a chosen competitive strategy"),
    "value_proposition": gettext_lazy("a value proposition"),
}


@dataclass(frozen=True, slots=True)
class RiskItem:
    """A fired rule as people see it."""

    rule_id: int
    rule_code: str
    name: str
    severity: str
    message: str
    is_blocking: bool
    opportunity_id: int = 0


def _listing(values: Iterable[str], *, conjunction: str = "") -> str:
    items = [str(v) for v in values]
    chinese = (get_language() or "").lower().startswith("zh")
    if chinese:
        return "、".join(items)
    if conjunction and len(items) > 1:
        return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
    return ", ".join(items)


def _roles(values: Any) -> list[str]:
    labels = dict(DecisionRole.choices)  # mid-sentence: "no approver", not "no Approver"
    return [str(labels.get(v, v)).lower() for v in values or ()]


def _shown(code: str, params: Mapping[str, FindingParam]) -> tuple[str, dict[str, Any]]:
    shown: dict[str, Any] = {k: "—" if v is None else v for k, v in params.items()}
    if code == "decision_roles_none":
        shown["roles"] = _listing(_roles(params.get("roles")), conjunction=_("or"))
    elif code == "decision_roles_missing":
        shown["missing"] = _listing(_roles(params.get("missing")), conjunction=_("and"))
    elif code == "departments_not_covered":
        names = [str(_DEPARTMENTS.get(str(d), d)) for d in params.get("departments") or ()]  # type: ignore[union-attr]
        shown["departments"] = _listing(names, conjunction=_("or"))
    elif code == "pursuit_missing":
        names = [str(_PURSUIT.get(str(m), m)) for m in params.get("missing") or ()]  # type: ignore[union-attr]
        shown["missing"] = _listing(names, conjunction=_("and"))
    elif code == "close_date_near":
        shown["stage"] = str(dict(Stage.choices).get(str(params.get("stage")), "—"))
        days = params.get("days")
        if isinstance(days, int) and days < 0:
            shown["overdue"] = -days
            code = "close_date_passed"
    for key in ("names",):
        if isinstance(params.get(key), tuple):
            shown[key] = _listing(params[key]) or "—"  # type: ignore[arg-type]
    return code, shown


def sentence(finding: Finding) -> str:
    """The finding in one sentence of the current language."""
    code, shown = _shown(finding.code, finding.params)
    if code == "few_contacts_mapped":
        raw = finding.params.get("count")
        count = raw if isinstance(raw, int) else 0
        return (
            ngettext(
                "Only %(names)s is mapped on the deal: the key person alone does not carry a "
                "key account's buying process.",
                "Only %(count)s contacts are mapped (%(names)s); at least %(minimum)s are needed.",
                count,
            )
            % shown
        )
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % shown
    except (KeyError, TypeError, ValueError):
        return code


def items(
    findings: Iterable[Finding], rules: Mapping[int, RiskRule], opportunity_id: int = 0
) -> list[RiskItem]:
    """Findings with their rule's name in the current language."""
    shown = []
    for finding in findings:
        rule = rules.get(finding.rule_id)
        shown.append(
            RiskItem(
                rule_id=finding.rule_id,
                rule_code=finding.rule_code,
                name=rule.text("name") if rule is not None else finding.rule_code,
                severity=str(finding.severity),
                message=sentence(finding),
                is_blocking=rule.is_blocking if rule is not None else False,
                opportunity_id=opportunity_id,
            )
        )
    return shown


def severity_label(value: str) -> str:
    from wuwei.playbook.models import RiskSeverity

    return str(dict(RiskSeverity.choices).get(value, value))


def joined(messages: Sequence[str]) -> str:
    return " ".join(messages)
