"""Contact pages (the Connections area, 本)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wuwei.accounts.models import Account
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.history import history_entries
from wuwei.core.visibility import get_visible
from wuwei.people import selectors, services
from wuwei.people.forms import ContactFilterForm, ContactForm
from wuwei.people.models import Contact
from wuwei.web.forms import add_domain_error
from wuwei.web.pages import AuthedHttpRequest, page_from_request, render_list


def _get(request: AuthedHttpRequest, contact_id: int) -> Contact:
    try:
        return selectors.contact_get(user=request.user, id=contact_id)
    except NotFound:
        raise Http404 from None


@login_required
def contact_list(request: AuthedHttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET or None)
    qs = selectors.contact_list(user=request.user, filters=form.filters())
    page = page_from_request(request, qs, sort="name")
    return render_list(
        request, "people/list.html", "people/_table.html", {"form": form, "page": page}
    )


@login_required
def contact_detail(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    reports = selectors.contact_list(
        user=request.user, filters=selectors.ContactFilters(reports_to=contact.pk)
    ).order_by("name")[:100]
    return render(
        request,
        "people/detail.html",
        {
            "contact": contact,
            "direct_reports": reports,
            "history": history_entries(contact),
        },
    )


def _save(request: AuthedHttpRequest, form: ContactForm, contact: Contact | None) -> Contact | None:
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        if contact is None:
            return services.contact_create(user=request.user, **data)
        data.pop("account")
        return services.contact_update(
            user=request.user, contact=contact, changes=data, expected_version=version
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


@login_required
def contact_create(request: AuthedHttpRequest) -> HttpResponse:
    account = None
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        try:
            account = get_visible(
                Account, request.user, pk=int(account_id), archived_at__isnull=True
            )
        except NotFound:
            raise Http404 from None
    form = ContactForm(
        request.POST or None,
        user=request.user,
        account=account,
        initial={"account": account.pk if account else None},
    )
    if request.method == "POST":
        contact = _save(request, form, None)
        if contact is not None:
            messages.success(request, _("Contact created."))
            return redirect("people:detail", contact.pk)
    return render(request, "people/form.html", {"form": form, "contact": None, "account": account})


@login_required
def contact_edit(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    form = ContactForm(
        request.POST or None,
        user=request.user,
        account=contact.account,
        initial=ContactForm.initial_from(contact),
    )
    if request.method == "POST":
        saved = _save(request, form, contact)
        if saved is not None:
            messages.success(request, _("Contact saved."))
            return redirect("people:detail", saved.pk)
    return render(
        request, "people/form.html", {"form": form, "contact": contact, "account": contact.account}
    )


@login_required
@require_POST
def contact_archive(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    try:
        services.contact_archive(user=request.user, contact=contact)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    messages.success(request, _("Contact archived. An administrator can restore it."))
    return redirect("accounts:detail", contact.account_id)


@login_required
@require_POST
def contact_restore(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    try:
        services.contact_restore(user=request.user, contact=contact)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    messages.success(request, _("Contact restored."))
    return redirect("people:detail", contact.pk)
