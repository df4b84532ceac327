"""Buying-process pages (METHOD.md §7.1): the templates (administrators edit steps and roles in
the page) and the deal page's "Buying process" tab (a lazy htmx fragment: the customer's steps
beside our seven stages, roles mapped to contacts, engagement and what is uncovered). Every
write calls the same service as the API."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.visibility import get_visible, scope_for, visible
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.selectors import opportunity_get
from wuwei.opportunities.services import require_writer
from wuwei.org.http import AuthedHttpRequest
from wuwei.people.models import Contact
from wuwei.playbook.buying import forms, selectors, services
from wuwei.playbook.models import BuyingProcessTemplate, BuyingRole, BuyingRoleContact


def _not_partner(request: AuthedHttpRequest) -> None:
    if scope_for(request.user).is_partner:
        raise Http404


def _run(call: Callable[[], Any]) -> DomainError | None:
    """Call the service; its refusal is returned to show. NotAllowed is a 403."""
    try:
        call()
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except DomainError as exc:
        return exc
    return None


def _error_text(error: DomainError) -> str:
    return " ".join([error.detail, *(message for _field, message in error.errors)])


def _form_error(form: Any) -> DomainError:
    problems: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        problems.extend((name, f"{label}: {e}" if label else str(e)) for e in errors)
    return DomainError(_("Please correct the errors below."), problems)


# ----------------------------------------------------------------------------------------
# templates


def _editor(request: AuthedHttpRequest) -> None:
    """Template writes: administrators only, refused before any form is read."""
    _not_partner(request)
    if not services.can_edit_templates(request.user):
        raise PermissionDenied(_("Only administrators can edit buying-process templates."))


def _template(request: AuthedHttpRequest, template_id: int) -> BuyingProcessTemplate:
    _not_partner(request)
    try:
        return selectors.template_get(user=request.user, id=template_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def template_list(request: AuthedHttpRequest) -> HttpResponse:
    _not_partner(request)
    context = {
        "templates": list(selectors.template_list(user=request.user)),
        "can_edit": services.can_edit_templates(request.user),
        "form": forms.TemplateForm(),
    }
    return render(request, "playbook/templates.html", context)


@login_required
@require_POST
def template_create(request: AuthedHttpRequest) -> HttpResponse:
    _editor(request)
    _not_partner(request)
    form = forms.TemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(_form_error(form)))
        return redirect("playbook:templates")
    created: list[BuyingProcessTemplate] = []
    error = _run(
        lambda: created.append(services.template_create(user=request.user, **form.changes()))
    )
    if error is not None:
        messages.error(request, _error_text(error))
        return redirect("playbook:templates")
    return redirect("playbook:template", created[0].pk)


@login_required
@require_GET
def template_detail(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    template = _template(request, template_id)
    can_edit = services.can_edit_templates(request.user)
    steps = [
        (
            step,
            forms.StepForm(instance=step, prefix=f"step{step.pk}") if can_edit else None,
            [
                (role, forms.RoleForm(instance=role, prefix=f"role{role.pk}") if can_edit else None)
                for role in step.roles.all()
            ],
            forms.RoleForm(prefix=f"new-role{step.pk}") if can_edit else None,
        )
        for step in template.steps.all()
    ]
    context = {
        "template": template,
        "steps": steps,
        "can_edit": can_edit,
        "form": forms.TemplateForm(instance=template) if can_edit else None,
        "new_step": forms.StepForm(prefix="new-step") if can_edit else None,
    }
    return render(request, "playbook/template.html", context)


def _back(
    request: AuthedHttpRequest, template: BuyingProcessTemplate, error: DomainError | None
) -> Any:
    if error is not None:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("playbook:template", template.pk)


@login_required
@require_POST
def template_edit(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    _editor(request)
    template = _template(request, template_id)
    form = forms.TemplateForm(request.POST, instance=template)
    if not form.is_valid():
        return _back(request, template, _form_error(form))
    changes = form.changes()
    return _back(
        request,
        template,
        _run(
            lambda: services.template_update(
                user=request.user,
                template=template,
                changes=changes,
                expected_version=form.cleaned_data["version"],
            )
        ),
    )


@login_required
@require_POST
def template_archive(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    _editor(request)
    template = _template(request, template_id)
    error = _run(lambda: services.template_archive(user=request.user, template=template))
    if error is not None:
        return _back(request, template, error)
    messages.success(request, _("Template archived."))
    return redirect("playbook:templates")


@login_required
@require_POST
def step_add(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    _editor(request)
    template = _template(request, template_id)
    form = forms.StepForm(request.POST, prefix="new-step")
    if not form.is_valid():
        return _back(request, template, _form_error(form))
    return _back(
        request,
        template,
        _run(
            lambda: services.step_create(
                user=request.user,
                template=template,
                **form.changes(),
            )
        ),
    )


def _step(request: AuthedHttpRequest, template: BuyingProcessTemplate, step_id: int) -> Any:
    try:
        return selectors.step_get(user=request.user, template=template, id=step_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def step_edit(request: AuthedHttpRequest, template_id: int, step_id: int) -> HttpResponse:
    _editor(request)
    template = _template(request, template_id)
    step = _step(request, template, step_id)
    if request.POST.get("archive"):
        return _back(
            request,
            template,
            _run(lambda: services.step_archive(user=request.user, step=step)),
        )
    form = forms.StepForm(request.POST, instance=step, prefix=f"step{step.pk}")
    if not form.is_valid():
        return _back(request, template, _form_error(form))
    changes = form.changes()
    return _back(
        request,
        template,
        _run(
            lambda: services.step_update(
                user=request.user,
                step=step,
                changes=changes,
                expected_version=form.cleaned_data["version"],
            )
        ),
    )


@login_required
@require_POST
def role_add(request: AuthedHttpRequest, template_id: int, step_id: int) -> HttpResponse:
    _editor(request)
    template = _template(request, template_id)
    step = _step(request, template, step_id)
    form = forms.RoleForm(request.POST, prefix=f"new-role{step.pk}")
    if not form.is_valid():
        return _back(request, template, _form_error(form))
    return _back(
        request,
        template,
        _run(lambda: services.role_create(user=request.user, step=step, **form.changes())),
    )


@login_required
@require_POST
def role_edit(
    request: AuthedHttpRequest, template_id: int, step_id: int, role_id: int
) -> HttpResponse:
    _editor(request)
    template = _template(request, template_id)
    step = _step(request, template, step_id)
    try:
        role = selectors.role_get(user=request.user, step=step, id=role_id)
    except NotFound:
        raise Http404 from None
    if request.POST.get("archive"):
        return _back(
            request,
            template,
            _run(lambda: services.role_archive(user=request.user, role=role)),
        )
    form = forms.RoleForm(request.POST, instance=role, prefix=f"role{role.pk}")
    if not form.is_valid():
        return _back(request, template, _form_error(form))
    changes = form.changes()
    return _back(
        request,
        template,
        _run(
            lambda: services.role_update(
                user=request.user,
                role=role,
                changes=changes,
                expected_version=form.cleaned_data["version"],
            )
        ),
    )


# ----------------------------------------------------------------------------------------
# the deal tab


def _deal(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    _not_partner(request)
    try:
        return opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


def _can_edit_deal(user: Any, opportunity: Opportunity) -> bool:
    try:
        require_writer(user)
    except NotAllowed:
        return False
    return opportunity.archived_at is None


def buying_fragment(request: AuthedHttpRequest, opportunity: Opportunity) -> HttpResponse:
    view = selectors.buying_view(user=request.user, opportunity=opportunity)
    context = {
        "opportunity": opportunity,
        "view": view,
        "can_edit": _can_edit_deal(request.user, opportunity),
    }
    return render(request, "playbook/_buying_tab.html", context)


def _respond(
    request: AuthedHttpRequest, opportunity: Opportunity, error: DomainError | None
) -> Any:
    if error is not None:
        messages.error(request, _error_text(error))
    if getattr(request, "htmx", False):
        return buying_fragment(request, opportunity)
    return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#buying")


@login_required
@require_GET
def buying_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    return buying_fragment(request, _deal(request, opportunity_id))


@login_required
@require_POST
def buying_choose(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    """Follow a template (or none); the mappings of another template are dropped."""
    opportunity = _deal(request, opportunity_id)
    form = forms.ChooseTemplateForm(request.POST)
    if not form.is_valid():
        return _respond(request, opportunity, _form_error(form))
    template_id = form.cleaned_data["template"]
    template = None
    if template_id is not None:
        try:
            template = selectors.template_get(user=request.user, id=template_id)
        except NotFound:
            raise Http404 from None
    view = selectors.buying_view(user=request.user, opportunity=opportunity)
    keep = []
    if template is not None and view.template is not None and view.template.pk == template.pk:
        keep = [
            (r.role, c.contact)
            for s in view.stages
            for st in s.steps
            for r in st.roles
            for c in r.contacts
        ]
    error = _run(
        lambda: services.buying_process_set(
            user=request.user,
            opportunity=opportunity,
            template=template,
            mappings=keep,
            expected_version=form.cleaned_data["version"],
        )
    )
    return _respond(request, opportunity, error)


@login_required
@require_POST
def buying_map(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    form = forms.MapContactForm(request.POST)
    if not form.is_valid():
        return _respond(request, opportunity, _form_error(form))
    try:
        role = get_visible(
            BuyingRole.objects.select_related("step"), request.user, pk=form.cleaned_data["role"]
        )
        contact = get_visible(Contact, request.user, pk=form.cleaned_data["contact"])
    except NotFound:
        raise Http404 from None
    error = _run(
        lambda: services.buying_role_contact_add(
            user=request.user,
            opportunity=opportunity,
            role=role,
            contact=contact,
        )
    )
    return _respond(request, opportunity, error)


@login_required
@require_POST
def buying_unmap(request: AuthedHttpRequest, opportunity_id: int, mapping_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    mappings = visible(BuyingRoleContact, request.user).filter(opportunity=opportunity)
    try:
        mapping = get_visible(mappings.select_related("opportunity"), request.user, pk=mapping_id)
    except NotFound:
        raise Http404 from None
    error = _run(lambda: services.buying_role_contact_remove(user=request.user, mapping=mapping))
    return _respond(request, opportunity, error)
