"""/buying-processes (templates; writes by administrators, DELETE archives) and
/opportunities/{id}/buying-process (the template a deal follows and the contacts mapped to its
roles), METHOD.md §7.1, API.md conventions."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from wuwei.accounts.models import Industry
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    expected_version,
    reject_nulls,
    visible_ref,
)
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.pagination import keyset_page
from wuwei.core.visibility import scope_for, visible
from wuwei.opportunities.selectors import opportunity_get
from wuwei.people.models import Contact
from wuwei.playbook.buying import selectors, services
from wuwei.playbook.buying.selectors import OUR_STAGES
from wuwei.playbook.models import (
    BuyingFunction,
    BuyingProcessTemplate,
    BuyingRole,
    BuyingRoleKind,
    BuyingStep,
    CompanySize,
)

router = Router(tags=["buying process"])
deal_router = Router(tags=["buying process"])

IndustryOrAny = Industry | None
SizeOrAny = CompanySize | None


class RoleOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str
    function: str
    kind: str
    concerns: str
    concerns_en: str
    concerns_zh: str
    version: int

    @staticmethod
    def resolve_name(obj: BuyingRole) -> str:
        return obj.text("name")

    @staticmethod
    def resolve_concerns(obj: BuyingRole) -> str:
        return obj.text("concerns")


class StepOut(Schema):
    id: int
    number: int
    name: str
    name_en: str
    name_zh: str
    description: str
    description_en: str
    description_zh: str
    stage: str
    roles: list[RoleOut]
    version: int

    @staticmethod
    def resolve_name(obj: BuyingStep) -> str:
        return obj.text("name")

    @staticmethod
    def resolve_description(obj: BuyingStep) -> str:
        return obj.text("description")

    @staticmethod
    def resolve_roles(obj: BuyingStep) -> list[BuyingRole]:
        return list(obj.roles.all())


class TemplateOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    name_zh: str
    description: str
    description_en: str
    description_zh: str
    industry: str
    company_size: str
    steps: list[StepOut]
    version: int

    @staticmethod
    def resolve_name(obj: BuyingProcessTemplate) -> str:
        return obj.text("name")

    @staticmethod
    def resolve_description(obj: BuyingProcessTemplate) -> str:
        return obj.text("description")

    @staticmethod
    def resolve_steps(obj: BuyingProcessTemplate) -> list[BuyingStep]:
        return list(obj.steps.all())


class TemplateList(Schema):
    items: list[TemplateOut]
    next: str | None
    count: int | None = None


class RoleIn(Schema):
    name_en: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    function: BuyingFunction
    kind: BuyingRoleKind
    concerns_en: str = Field("", max_length=5000)
    concerns_zh: str = Field("", max_length=5000)


class RolePatch(Schema):
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, min_length=1, max_length=200)
    function: BuyingFunction | None = None
    kind: BuyingRoleKind | None = None
    concerns_en: str | None = Field(None, max_length=5000)
    concerns_zh: str | None = Field(None, max_length=5000)
    version: int | None = None


class StepIn(Schema):
    number: int | None = Field(None, ge=1, le=100)
    name_en: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    description_en: str = Field("", max_length=5000)
    description_zh: str = Field("", max_length=5000)
    stage: str = Field(description="the stage of ours the step falls in", max_length=20)
    roles: list[RoleIn] = Field(default_factory=list, max_length=50)


class StepPatch(Schema):
    number: int | None = Field(None, ge=1, le=100)
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, min_length=1, max_length=200)
    description_en: str | None = Field(None, max_length=5000)
    description_zh: str | None = Field(None, max_length=5000)
    stage: str | None = Field(None, max_length=20)
    version: int | None = None


class TemplateIn(Schema):
    code: str = Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name_en: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    description_en: str = Field("", max_length=5000)
    description_zh: str = Field("", max_length=5000)
    industry: IndustryOrAny = None
    company_size: SizeOrAny = None
    steps: list[StepIn] = Field(default_factory=list, max_length=30)


class TemplatePatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, min_length=1, max_length=200)
    description_en: str | None = Field(None, max_length=5000)
    description_zh: str | None = Field(None, max_length=5000)
    industry: IndustryOrAny = None
    company_size: SizeOrAny = None
    version: int | None = None


def _check_stage(stage: str | None) -> None:
    if stage is not None and stage not in OUR_STAGES:
        raise ValidationFailed(
            _("Unknown stage “%(stage)s”.") % {"stage": stage}, [("stage", _("unknown stage"))]
        )


def _template(request: AuthedRequest, template_id: int) -> BuyingProcessTemplate:
    return selectors.template_get(user=request.auth, id=template_id)


@router.get("", response={200: TemplateList, **ERRORS})
def template_list(request: AuthedRequest, query: Query[ListQuery]) -> Any:
    qs = selectors.template_list(user=request.auth)
    return keyset_page(
        qs, sort="id", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("", response={201: TemplateOut, **ERRORS})
def template_create(request: AuthedRequest, payload: TemplateIn) -> Any:
    """Administrators add a template, with its steps and roles in one go."""
    data = payload.dict(exclude={"steps"})
    data["industry"] = data["industry"] or ""
    data["company_size"] = data["company_size"] or ""
    for step_in in payload.steps:
        _check_stage(step_in.stage)
    with transaction.atomic():
        template = services.template_create(user=request.auth, **data)
        for step_in in payload.steps:
            step_data = step_in.dict(exclude={"roles"}, exclude_none=True)
            created = services.step_create(user=request.auth, template=template, **step_data)
            for role_in in step_in.roles:
                services.role_create(user=request.auth, step=created, **role_in.dict())
    return Status(201, _template(request, template.pk))


@router.get("/{template_id}", response={200: TemplateOut, **ERRORS})
def template_get(request: AuthedRequest, template_id: int) -> Any:
    return _template(request, template_id)


@router.patch("/{template_id}", response={200: TemplateOut, **ERRORS})
def template_patch(request: AuthedRequest, template_id: int, payload: TemplatePatch) -> Any:
    template = _template(request, template_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("code", "name_en", "name_zh", "description_en", "description_zh"))
    for blankable in ("industry", "company_size"):
        if blankable in changes and changes[blankable] is None:
            changes[blankable] = ""
    services.template_update(
        user=request.auth,
        template=template,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return _template(request, template_id)


@router.delete("/{template_id}", response={200: TemplateOut, **ERRORS})
def template_delete(request: AuthedRequest, template_id: int) -> Any:
    """Archive: the template leaves the choice; deals that follow it keep it."""
    template = _template(request, template_id)
    return services.template_archive(user=request.auth, template=template)


@router.post("/{template_id}/steps", response={201: StepOut, **ERRORS})
def step_create(request: AuthedRequest, template_id: int, payload: StepIn) -> Any:
    template = _template(request, template_id)
    _check_stage(payload.stage)
    with transaction.atomic():
        step = services.step_create(
            user=request.auth,
            template=template,
            **payload.dict(exclude={"roles"}, exclude_none=True),
        )
        for role_in in payload.roles:
            services.role_create(user=request.auth, step=step, **role_in.dict())
    return Status(201, selectors.step_get(user=request.auth, template=template, id=step.pk))


@router.patch("/{template_id}/steps/{step_id}", response={200: StepOut, **ERRORS})
def step_patch(request: AuthedRequest, template_id: int, step_id: int, payload: StepPatch) -> Any:
    template = _template(request, template_id)
    step = selectors.step_get(user=request.auth, template=template, id=step_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    _check_stage(changes.get("stage"))
    services.step_update(
        user=request.auth,
        step=step,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.step_get(user=request.auth, template=template, id=step_id)


@router.delete("/{template_id}/steps/{step_id}", response={200: StepOut, **ERRORS})
def step_delete(request: AuthedRequest, template_id: int, step_id: int) -> Any:
    template = _template(request, template_id)
    step = selectors.step_get(user=request.auth, template=template, id=step_id)
    return services.step_archive(user=request.auth, step=step)


@router.post("/{template_id}/steps/{step_id}/roles", response={201: RoleOut, **ERRORS})
def role_create(request: AuthedRequest, template_id: int, step_id: int, payload: RoleIn) -> Any:
    template = _template(request, template_id)
    step = selectors.step_get(user=request.auth, template=template, id=step_id)
    return Status(201, services.role_create(user=request.auth, step=step, **payload.dict()))


@router.patch("/{template_id}/steps/{step_id}/roles/{role_id}", response={200: RoleOut, **ERRORS})
def role_patch(
    request: AuthedRequest, template_id: int, step_id: int, role_id: int, payload: RolePatch
) -> Any:
    template = _template(request, template_id)
    step = selectors.step_get(user=request.auth, template=template, id=step_id)
    role = selectors.role_get(user=request.auth, step=step, id=role_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    return services.role_update(
        user=request.auth,
        role=role,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )


@router.delete("/{template_id}/steps/{step_id}/roles/{role_id}", response={200: RoleOut, **ERRORS})
def role_delete(request: AuthedRequest, template_id: int, step_id: int, role_id: int) -> Any:
    template = _template(request, template_id)
    step = selectors.step_get(user=request.auth, template=template, id=step_id)
    role = selectors.role_get(user=request.auth, step=step, id=role_id)
    return services.role_archive(user=request.auth, role=role)


# ----------------------------------------------------------------------------------------
# /opportunities/{id}/buying-process


class MappedContactOut(Schema):
    id: int
    name: str
    department: str
    interaction_level: str
    last_activity_on: date | None
    engaged: bool


class DealRoleOut(Schema):
    id: int
    name: str
    function: str
    kind: str
    concerns: str
    contacts: list[MappedContactOut]
    covered: bool
    engaged: bool


class DealStepOut(Schema):
    id: int
    number: int
    name: str
    stage: str
    roles: list[DealRoleOut]


class CoverageOut(Schema):
    uncovered_roles: list[int]
    unengaged_roles: list[int]
    covered_functions: list[str]
    procurement_covered: bool
    finance_covered: bool
    legal_covered: bool
    decision_chain_complete: bool


class DealBuyingOut(Schema):
    opportunity: int
    template: int | None
    template_name: str | None
    suggested_template: int | None
    version: int | None
    steps: list[DealStepOut]
    coverage: CoverageOut


class MappingIn(Schema):
    role: int
    contact: int


class DealBuyingIn(Schema):
    template: int | None
    mappings: list[MappingIn] = Field(default_factory=list, max_length=500)
    version: int | None = None


def _deal(request: AuthedRequest, opportunity_id: int) -> Any:
    opportunity = opportunity_get(user=request.auth, id=opportunity_id)
    if scope_for(request.auth).is_partner:  # internal work on the deal (§1)
        raise NotFound(_("Not found."))
    return opportunity


def _deal_out(request: AuthedRequest, opportunity: Any) -> dict[str, Any]:
    view = selectors.buying_view(user=request.auth, opportunity=opportunity)
    coverage = view.coverage
    steps = [
        {
            "id": row.step.pk,
            "number": row.step.number,
            "name": row.step.text("name"),
            "stage": row.step.stage,
            "roles": [
                {
                    "id": r.role.pk,
                    "name": r.role.text("name"),
                    "function": r.role.function,
                    "kind": r.role.kind,
                    "concerns": r.role.text("concerns"),
                    "contacts": [
                        {
                            "id": c.contact.pk,
                            "name": c.contact.name,
                            "department": c.contact.department,
                            "interaction_level": c.interaction_level,
                            "last_activity_on": c.last_activity_on,
                            "engaged": c.is_engaged,
                        }
                        for c in r.contacts
                    ],
                    "covered": r.is_covered,
                    "engaged": r.is_engaged,
                }
                for r in row.roles
            ],
        }
        for stage in view.stages
        for row in stage.steps
    ]
    return {
        "opportunity": opportunity.pk,
        "template": view.template.pk if view.template else None,
        "template_name": view.template.text("name") if view.template else None,
        "suggested_template": view.suggested.pk if view.suggested else None,
        "version": view.process.version if view.process and view.template else None,
        "steps": steps,
        "coverage": {
            "uncovered_roles": list(coverage.uncovered_roles),
            "unengaged_roles": list(coverage.unengaged_roles),
            "covered_functions": sorted(str(f) for f in coverage.covered_functions),
            "procurement_covered": coverage.procurement_covered,
            "finance_covered": coverage.finance_covered,
            "legal_covered": coverage.legal_covered,
            "decision_chain_complete": coverage.decision_chain_complete,
        },
    }


@deal_router.get("/{opportunity_id}/buying-process", response={200: DealBuyingOut, **ERRORS})
def deal_buying_get(request: AuthedRequest, opportunity_id: int) -> Any:
    return _deal_out(request, _deal(request, opportunity_id))


@deal_router.put("/{opportunity_id}/buying-process", response={200: DealBuyingOut, **ERRORS})
def deal_buying_put(request: AuthedRequest, opportunity_id: int, payload: DealBuyingIn) -> Any:
    """Choose the template (null: none) and replace the role → contact mappings. `version` is
    the one read (null while the deal follows no template)."""
    opportunity = _deal(request, opportunity_id)
    user = request.auth
    template = (
        None
        if payload.template is None
        else visible_ref(user, BuyingProcessTemplate, payload.template, "template")
    )
    roles = {
        r.pk: r
        for r in BuyingRole.objects.select_related("step").filter(
            pk__in={m.role for m in payload.mappings}
        )
    }
    contacts = {
        c.pk: c for c in visible(Contact, user).filter(pk__in={m.contact for m in payload.mappings})
    }
    pairs = []
    for mapping in payload.mappings:
        if mapping.role not in roles:
            raise NotFound(
                _("%(field)s %(id)s not found.") % {"field": "role", "id": mapping.role},
                [("mappings.role", _("not found"))],
            )
        if mapping.contact not in contacts:
            raise NotFound(
                _("%(field)s %(id)s not found.") % {"field": "contact", "id": mapping.contact},
                [("mappings.contact", _("not found"))],
            )
        pairs.append((roles[mapping.role], contacts[mapping.contact]))
    services.buying_process_set(
        user=user,
        opportunity=opportunity,
        template=template,
        mappings=pairs,
        expected_version=expected_version(request, payload.version),
    )
    return _deal_out(request, opportunity)
