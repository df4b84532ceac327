"""Writes of the customer's buying process (METHOD.md §7.1): administrators edit the templates
(steps and stakeholder roles); deal writers choose the template a deal follows and map the
customer's contacts to its roles. Keyword-only, atomic, versioned, audited; deletes archive."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.core.visibility import scope_for
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import require_writer
from wuwei.org.models import User
from wuwei.org.permissions import Action, may
from wuwei.people.models import Contact
from wuwei.playbook.models import (
    BuyingProcessTemplate,
    BuyingRole,
    BuyingRoleContact,
    BuyingStep,
    OpportunityBuyingProcess,
)

TEMPLATE_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "description_en",
    "description_zh",
    "industry",
    "company_size",
)
STEP_FIELDS = ("number", "name_en", "name_zh", "description_en", "description_zh", "stage")
ROLE_FIELDS = ("name_en", "name_zh", "function", "kind", "concerns_en", "concerns_zh")


def can_edit_templates(user: Any) -> bool:
    return may(user, Action.PLAYBOOK_EDIT)


def require_template_editor(user: User) -> None:
    if not can_edit_templates(user):
        raise NotAllowed(_("Only administrators can edit buying-process templates."))


def _check_fields(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


# ----------------------------------------------------------------------------------------
# templates, steps, roles


@transaction.atomic
def template_create(*, user: User, **fields: Any) -> BuyingProcessTemplate:
    require_template_editor(user)
    _check_fields(fields, TEMPLATE_FIELDS)
    return core_services.save_new(BuyingProcessTemplate(**fields), user=user)


def template_update(
    *,
    user: User,
    template: BuyingProcessTemplate,
    changes: dict[str, Any],
    expected_version: int | None,
) -> BuyingProcessTemplate:
    require_template_editor(user)
    _check_fields(changes, TEMPLATE_FIELDS)
    return core_services.update_fields(
        template, user=user, changes=changes, expected_version=expected_version
    )


def template_archive(*, user: User, template: BuyingProcessTemplate) -> BuyingProcessTemplate:
    """Archive: the template leaves the choice; deals that follow it keep it."""
    require_template_editor(user)
    return core_services.archive(template, user=user)


def _check_step_number(template: BuyingProcessTemplate, number: int, step_id: int | None) -> None:
    taken = BuyingStep.objects.filter(template=template, number=number, archived_at__isnull=True)
    if step_id is not None:
        taken = taken.exclude(pk=step_id)
    if taken.exists():
        raise ValidationFailed(
            _("Another step already has number %(number)s.") % {"number": number},
            [("number", _("already used"))],
        )


def _free_archived_number(template: BuyingProcessTemplate, number: int) -> None:
    """An archived step keeps its row; move its number out of the way of a live one."""
    for archived in BuyingStep.objects.filter(
        template=template, number=number, archived_at__isnull=False
    ):
        highest = BuyingStep.objects.filter(template=template).order_by("-number").first()
        archived.number = (highest.number if highest else 0) + 1
        archived.save(update_fields=["number"])


@transaction.atomic
def step_create(*, user: User, template: BuyingProcessTemplate, **fields: Any) -> BuyingStep:
    require_template_editor(user)
    _check_fields(fields, STEP_FIELDS)
    if "number" not in fields:
        last = template.steps.filter(archived_at__isnull=True).order_by("-number").first()
        fields["number"] = (last.number if last else 0) + 1
    _check_step_number(template, fields["number"], None)
    _free_archived_number(template, fields["number"])
    return core_services.save_new(BuyingStep(template=template, **fields), user=user)


@transaction.atomic
def step_update(
    *, user: User, step: BuyingStep, changes: dict[str, Any], expected_version: int | None
) -> BuyingStep:
    require_template_editor(user)
    _check_fields(changes, STEP_FIELDS)
    if "number" in changes and changes["number"] != step.number:
        _check_step_number(step.template, changes["number"], step.pk)
        _free_archived_number(step.template, changes["number"])
    return core_services.update_fields(
        step, user=user, changes=changes, expected_version=expected_version
    )


def step_archive(*, user: User, step: BuyingStep) -> BuyingStep:
    require_template_editor(user)
    return core_services.archive(step, user=user)


def role_create(*, user: User, step: BuyingStep, **fields: Any) -> BuyingRole:
    require_template_editor(user)
    _check_fields(fields, ROLE_FIELDS)
    return core_services.save_new(BuyingRole(step=step, **fields), user=user)


def role_update(
    *, user: User, role: BuyingRole, changes: dict[str, Any], expected_version: int | None
) -> BuyingRole:
    require_template_editor(user)
    _check_fields(changes, ROLE_FIELDS)
    return core_services.update_fields(
        role, user=user, changes=changes, expected_version=expected_version
    )


def role_archive(*, user: User, role: BuyingRole) -> BuyingRole:
    require_template_editor(user)
    return core_services.archive(role, user=user)


# ----------------------------------------------------------------------------------------
# a deal's buying process


def _require_deal_writer(user: User, opportunity: Opportunity) -> None:
    require_writer(user)
    if scope_for(user).is_partner:
        raise NotAllowed(_("Partners do not map the customer's buying process."))
    if opportunity.archived_at is not None:
        raise Conflict(_("This record is archived. Restore it before editing."))


def _check_mapping(
    opportunity: Opportunity, template: BuyingProcessTemplate, role: BuyingRole, contact: Contact
) -> None:
    if role.step.template_id != template.pk or role.archived_at or role.step.archived_at:
        raise ValidationFailed(
            _("This role is not part of the deal's buying process."),
            [("role", _("not in the template"))],
        )
    if contact.account_id != opportunity.account_id or contact.archived_at is not None:
        raise ValidationFailed(
            _("Only contacts of the deal's customer can take a role."),
            [("contact", _("another customer's contact"))],
        )


@transaction.atomic
def buying_process_set(
    *,
    user: User,
    opportunity: Opportunity,
    template: BuyingProcessTemplate | None,
    mappings: Iterable[tuple[BuyingRole, Contact]] = (),
    expected_version: int | None,
) -> OpportunityBuyingProcess | None:
    """Choose the template the deal follows (None: follow none) and replace the contacts
    mapped to its roles. `expected_version` is the deal's buying-process version (None when it
    follows no template yet); a stale one is 409. Changing the template drops the mappings of
    the old one (they name its roles)."""
    _require_deal_writer(user, opportunity)
    process = (
        OpportunityBuyingProcess.objects.select_for_update().filter(opportunity=opportunity).first()
    )
    if process is not None and process.archived_at is None:
        core_services.check_version(process.version, expected_version)
    elif expected_version is not None and process is None:
        core_services.check_version(0, expected_version)
    pairs = list(dict.fromkeys((role, contact) for role, contact in mappings))
    if template is None:
        if pairs:
            raise ValidationFailed(
                _("Choose a template before mapping contacts to its roles."),
                [("template", _("This field is required."))],
            )
        _replace_mappings(user, opportunity, [])
        if process is not None and process.archived_at is None:
            core_services.archive(process, user=user)
        return None
    if template.archived_at is not None:
        raise ValidationFailed(
            _("This template is archived."), [("template", _("archived template"))]
        )
    for role, contact in pairs:
        _check_mapping(opportunity, template, role, contact)
    if process is None:
        process = core_services.save_new(
            OpportunityBuyingProcess(opportunity=opportunity, template=template), user=user
        )
    else:
        process.template = template
        process.archived_at = None
        core_services.versioned_save(process, user=user)
    _replace_mappings(user, opportunity, pairs)
    return process


def _replace_mappings(
    user: User, opportunity: Opportunity, pairs: list[tuple[BuyingRole, Contact]]
) -> None:
    wanted = {(role.pk, contact.pk) for role, contact in pairs}
    current = list(BuyingRoleContact.objects.filter(opportunity=opportunity))
    for mapping in current:
        if (mapping.role_id, mapping.contact_id) not in wanted:
            core_services.delete_attributed(mapping, user=user)
    have = {(m.role_id, m.contact_id) for m in current}
    for role, contact in pairs:
        if (role.pk, contact.pk) not in have:
            core_services.save_new(
                BuyingRoleContact(opportunity=opportunity, role=role, contact=contact), user=user
            )


def _process_of(opportunity: Opportunity) -> OpportunityBuyingProcess:
    process: OpportunityBuyingProcess | None = (
        OpportunityBuyingProcess.objects.filter(opportunity=opportunity, archived_at__isnull=True)
        .select_related("template")
        .first()
    )
    if process is None:
        raise ValidationFailed(
            _("Choose a template before mapping contacts to its roles."),
            [("template", _("This field is required."))],
        )
    return process


@transaction.atomic
def buying_role_contact_add(
    *, user: User, opportunity: Opportunity, role: BuyingRole, contact: Contact
) -> BuyingRoleContact:
    """Map one more contact to a role of the template the deal follows."""
    _require_deal_writer(user, opportunity)
    process = _process_of(opportunity)
    _check_mapping(opportunity, process.template, role, contact)
    existing: BuyingRoleContact | None = BuyingRoleContact.objects.filter(
        opportunity=opportunity, role=role, contact=contact
    ).first()
    if existing is not None:
        return existing
    return core_services.save_new(
        BuyingRoleContact(opportunity=opportunity, role=role, contact=contact), user=user
    )


@transaction.atomic
def buying_role_contact_remove(*, user: User, mapping: BuyingRoleContact) -> None:
    _require_deal_writer(user, mapping.opportunity)
    core_services.delete_attributed(mapping, user=user)
