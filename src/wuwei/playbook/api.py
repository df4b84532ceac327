"""PRM API (METHOD.md §6, API.md): `/opportunities/{id}/risks`, `/risks` (filters: rule,
severity, team; keyset envelope), `/risk-rules` (administrators write), the deal's lesson.
Partner users are outsiders: 404 on a deal's risks, nothing in lists."""

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, expected_version, visible_ref
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.visibility import scope_for
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.selectors import opportunity_get
from wuwei.org.models import Team
from wuwei.playbook import selectors, services
from wuwei.playbook.models import DealLesson, RiskRule

router = Router(tags=["project rules"])

Severity = Literal["low", "medium", "high"]
StageSlug = Literal[
    "validate",
    "initiate",
    "needs_analysis",
    "value_presentation",
    "tender_preparation",
    "bidding",
    "negotiation",
]
EnterSlug = Literal[
    "initiate",
    "needs_analysis",
    "value_presentation",
    "tender_preparation",
    "bidding",
    "negotiation",
    "won",
]
GradeSlug = Literal["A", "B", "C", "D", "E"]
KindSlug = Literal[
    "no_confirmed_event",
    "no_inside_source",
    "decision_roles_missing",
    "few_engaged_contacts",
    "departments_not_covered",
    "activity_tag_missing",
    "hostile_decider",
    "win_rate_drop",
    "close_date_near",
    "no_recent_activity",
    "questionnaire_stale",
    "few_contacts_mapped",
    "event_past_reevaluation",
    "pursuit_missing",
]


class RiskOut(Schema):
    opportunity: int
    rule: int
    code: str
    name: str
    severity: str
    message: str
    blocking: bool


class RiskListOut(Schema):
    items: list[RiskOut]
    next: str | None
    count: int | None = None


def _out(item: Any) -> dict[str, Any]:
    return {
        "opportunity": item.opportunity_id,
        "rule": item.rule_id,
        "code": item.rule_code,
        "name": item.name,
        "severity": item.severity,
        "message": item.message,
        "blocking": item.is_blocking,
    }


def _deal(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    if scope_for(request.auth).is_partner:
        raise NotFound(_("Not found."))
    return opportunity_get(user=request.auth, id=opportunity_id)


@router.get("/opportunities/{opportunity_id}/risks", response={200: RiskListOut, **ERRORS})
def opportunity_risks(request: AuthedRequest, opportunity_id: int) -> Any:
    """The PRM rules that fire on the deal now, most severe first, each with its sentence."""
    deal = _deal(request, opportunity_id)
    found = selectors.risk_items([deal.pk]).get(deal.pk, [])
    return {"items": [_out(i) for i in found], "next": None}


class RiskQuery(ListQuery):
    rule: int | None = Field(None, ge=1, le=2**31 - 1)
    severity: Severity | None = None
    team: int | None = Field(None, ge=1, le=2**31 - 1)


def _cursor(raw: str) -> tuple[int, int]:
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        deal_id, rule_id = (int(v) for v in values)
    except (ValueError, TypeError, binascii.Error):
        raise ValidationFailed(
            _("The cursor is not valid; start again from the first page."),
            [("cursor", _("invalid"))],
        ) from None
    return deal_id, rule_id


def _encode(deal_id: int, rule_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([deal_id, rule_id]).encode()).decode().rstrip("=")


@router.get("/risks", response={200: RiskListOut, **ERRORS})
def risk_list(request: AuthedRequest, query: Query[RiskQuery]) -> Any:
    """Every rule firing on the open deals you see, ordered by deal then rule; filter by
    rule, severity and team (its subtree). Evaluated fresh on each call in a fixed number of
    queries (docs/architecture.md)."""
    team = visible_ref(request.auth, Team, query.team, "team") if query.team else None
    after = _cursor(query.cursor) if query.cursor else None
    items = selectors.risk_findings(
        user=request.auth, team=team, rule=query.rule, severity=query.severity
    )
    count = len(items) if query.count else None
    if after is not None:
        items = [i for i in items if (i.opportunity_id, i.rule_id) > after]
    page = items[: query.limit]
    more = len(items) > query.limit
    next_cursor = _encode(page[-1].opportunity_id, page[-1].rule_id) if more and page else None
    return {"items": [_out(i) for i in page], "next": next_cursor, "count": count}


# ----------------------------------------------------------------------------------------
# rules


class DepartmentIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    keywords: list[str] = Field(..., min_length=1, max_length=20)


class RuleOut(Schema):
    id: int
    code: str
    kind: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    parameters: dict[str, Any]
    severity: str
    stages: list[str]
    grades: list[str]
    enabled: bool
    blocks_leaving: list[str]
    blocks_entering: list[str]
    position: int
    version: int


class RuleListOut(Schema):
    items: list[RuleOut]
    next: str | None


class RulePatch(Schema):
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    description_en: str | None = Field(None, max_length=2000)
    description_zh: str | None = Field(None, max_length=2000)
    parameters: dict[str, Any] | None = None
    severity: Severity | None = None
    stages: list[StageSlug] | None = Field(None, min_length=1, max_length=7)
    grades: list[GradeSlug] | None = Field(None, max_length=5)
    enabled: bool | None = None
    blocks_leaving: list[StageSlug] | None = Field(None, max_length=7)
    blocks_entering: list[EnterSlug] | None = Field(None, max_length=7)
    position: int | None = Field(None, ge=0, le=32767)
    version: int | None = None


class RuleIn(Schema):
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")
    kind: KindSlug
    name_en: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    description_en: str = Field("", max_length=2000)
    description_zh: str = Field("", max_length=2000)
    parameters: dict[str, Any] = Field(default_factory=dict)
    severity: Severity = "medium"
    stages: list[StageSlug] = Field(..., min_length=1, max_length=7)
    grades: list[GradeSlug] = Field(default_factory=list, max_length=5)
    enabled: bool = True
    blocks_leaving: list[StageSlug] = Field(default_factory=list, max_length=7)
    blocks_entering: list[EnterSlug] = Field(default_factory=list, max_length=7)


def _rule(rule_id: int) -> RiskRule:
    if not 1 <= rule_id <= 2**31 - 1:
        raise NotFound(_("Not found."))
    return selectors.rule_get(id=rule_id)


def _insider(request: AuthedRequest) -> None:
    if scope_for(request.auth).is_partner:
        raise NotFound(_("Not found."))


@router.get("/risk-rules", response={200: RuleListOut, **ERRORS})
def rule_list(request: AuthedRequest) -> Any:
    """Every rule (a short configuration list: one page)."""
    _insider(request)
    return {"items": list(selectors.rule_list()), "next": None}


@router.get("/risk-rules/{rule_id}", response={200: RuleOut, **ERRORS})
def rule_get(request: AuthedRequest, rule_id: int) -> Any:
    _insider(request)
    return _rule(rule_id)


@router.post("/risk-rules", response={201: RuleOut, **ERRORS})
def rule_create(request: AuthedRequest, payload: RuleIn) -> Any:
    """A new rule of an existing kind: takes effect at once, no code (§6)."""
    _insider(request)
    data = payload.dict()
    code, kind = data.pop("code"), data.pop("kind")
    return Status(201, services.rule_create(user=request.auth, code=code, kind=kind, **data))


@router.patch("/risk-rules/{rule_id}", response={200: RuleOut, **ERRORS})
def rule_update(request: AuthedRequest, rule_id: int, payload: RulePatch) -> Any:
    _insider(request)
    rule = _rule(rule_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    nulls = [name for name, value in changes.items() if value is None]
    if nulls:
        raise ValidationFailed(
            _("These fields cannot be null."), [(n, _("may not be null")) for n in nulls]
        )
    return services.rule_update(
        user=request.auth,
        rule=rule,
        changes=changes,
        expected_version=expected_version(request, version),
    )


@router.delete("/risk-rules/{rule_id}", response={200: RuleOut, **ERRORS})
def rule_delete(request: AuthedRequest, rule_id: int) -> Any:
    """Archive the rule (it stops firing; an administrator can restore it)."""
    _insider(request)
    return services.rule_archive(user=request.auth, rule=_rule(rule_id))


# ----------------------------------------------------------------------------------------
# lessons


class LessonRuleOut(Schema):
    rule: int
    how: str
    message: str


class LessonOut(Schema):
    opportunity: int
    outcome: str
    closed_on: date
    decided_by: str
    rules: list[LessonRuleOut]
    version: int
    updated_at: datetime


class LessonPatch(Schema):
    decided_by: str = Field(..., max_length=4000)
    version: int | None = None


def _lesson(request: AuthedRequest, opportunity_id: int) -> DealLesson:
    deal = _deal(request, opportunity_id)
    lesson = DealLesson.objects.filter(opportunity=deal).first()
    if lesson is None:
        raise NotFound(_("The deal is not closed yet: it has no lesson."))
    return lesson


@router.get("/opportunities/{opportunity_id}/lesson", response={200: LessonOut, **ERRORS})
def lesson_get(request: AuthedRequest, opportunity_id: int) -> Any:
    """The won/lost review: rules open at the close or overridden, what decided the deal."""
    return _lesson_fields(_lesson(request, opportunity_id))


@router.patch("/opportunities/{opportunity_id}/lesson", response={200: LessonOut, **ERRORS})
def lesson_update(request: AuthedRequest, opportunity_id: int, payload: LessonPatch) -> Any:
    lesson = services.lesson_update(
        user=request.auth,
        lesson=_lesson(request, opportunity_id),
        decided_by=payload.decided_by,
        expected_version=expected_version(request, payload.version),
    )
    return _lesson_fields(lesson)


def _lesson_fields(lesson: DealLesson) -> dict[str, Any]:
    return {
        "opportunity": lesson.opportunity_id,
        "outcome": lesson.outcome,
        "closed_on": lesson.closed_on,
        "decided_by": lesson.decided_by,
        "rules": [
            {"rule": r.rule_id, "how": r.how, "message": r.message}
            for r in lesson.rules.order_by("id")
        ],
        "version": lesson.version,
        "updated_at": lesson.updated_at,
    }
