"""Contact pages: list, detail (persona, competitor standings, influences, timeline, who
knows them and who can introduce us), create, edit, archive."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.accounts.models import Account
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.forms import add_domain_error
from wuwei.core.history import history_entries
from wuwei.core.pages import page_from_request, render_list
from wuwei.core.visibility import get_visible
from wuwei.org.http import AuthedHttpRequest
from wuwei.people import selectors, services
from wuwei.people.forms import (
    CompetitorStatusForm,
    ConnectionForm,
    ContactFilterForm,
    ContactForm,
    InfluenceForm,
)
from wuwei.people.models import Contact, ContactCompetitorStance, Influence
from wuwei.people.views.common import allowed


def _get(request: AuthedHttpRequest, contact_id: int) -> Contact:
    try:
        return selectors.contact_get(user=request.user, id=contact_id)
    except NotFound:
        raise Http404 from None


CONTACT_COLUMNS = [
    Column(gettext_lazy("ID"), lambda c: c.pk),
    Column(gettext_lazy("Name"), lambda c: c.name),
    Column(gettext_lazy("Title"), lambda c: c.title),
    Column(gettext_lazy("Department"), lambda c: c.department),
    Column(gettext_lazy("Account"), lambda c: c.account.name),
    Column(gettext_lazy("Reports to"), lambda c: c.reports_to.name if c.reports_to else ""),
    Column(gettext_lazy("Phone"), lambda c: c.phone),
    Column(gettext_lazy("Email"), lambda c: c.email),
    Column(gettext_lazy("Influence (1–5)"), lambda c: c.influence),
    Column(
        gettext_lazy("Relationship status"),
        display(Contact, "relationship_status"),
        internal=True,
    ),
]


@login_required
def contact_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ContactFilterForm(request.GET or None)
    qs = selectors.contact_list(user=request.user, filters=form.filters())
    if fmt := export_format(request):
        return export_response(
            request, qs.order_by("name", "pk"), CONTACT_COLUMNS, filename="contacts", fmt=fmt
        )
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
    known_by = selectors.connection_list(
        user=request.user, filters=selectors.ConnectionFilters(contact=contact.pk)
    ).order_by("-strength", "id")
    return render(
        request,
        "people/detail.html",
        {
            "contact": contact,
            "direct_reports": reports,
            "history": history_entries(contact),
            "timeline": selectors.contact_activities(user=request.user, contact=contact),
            "competitor_relations": ContactCompetitorStance.objects.filter(
                contact=contact, archived_at__isnull=True
            )
            .select_related("competitor")
            .order_by("competitor__name"),
            "competitor_form": CompetitorStatusForm(user=request.user),
            "influences": Influence.objects.filter(source=contact, archived_at__isnull=True)
            .select_related("target")
            .order_by("target__name"),
            "influenced_by": Influence.objects.filter(target=contact, archived_at__isnull=True)
            .select_related("source")
            .order_by("source__name"),
            "influence_form": InfluenceForm(user=request.user, contact=contact),
            "known_by": known_by,
            "my_connection": next((c for c in known_by if c.employee_id == request.user.pk), None),
            "connection_form": ConnectionForm(),
            "introducers": selectors.introducers(user=request.user, contact_id=contact.pk)[:10],
        },
    )


@login_required
@require_POST
def competitor_status_set(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    form = CompetitorStatusForm(request.POST, user=request.user)
    if form.is_valid():
        allowed(
            services.competitor_relation_set,
            user=request.user,
            contact=contact,
            competitor=form.cleaned_data["competitor"],
            status=form.cleaned_data["status"],
            interaction_level=form.cleaned_data["interaction_level"],
        )
        messages.success(request, _("Competitor status saved."))
    else:
        messages.error(request, _("Choose a competitor and a status."))
    return redirect("people:detail", contact.pk)


@login_required
@require_POST
def competitor_status_remove(
    request: AuthedHttpRequest, contact_id: int, competitor_id: int
) -> HttpResponse:
    contact = _get(request, contact_id)
    relation = ContactCompetitorStance.objects.filter(
        contact=contact, competitor_id=competitor_id
    ).first()
    if relation is None:
        raise Http404
    allowed(services.competitor_relation_remove, user=request.user, relation=relation)
    return redirect("people:detail", contact.pk)


@login_required
@require_POST
def influence_add(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    form = InfluenceForm(request.POST, user=request.user, contact=contact)
    if form.is_valid():
        try:
            allowed(
                services.influence_add,
                user=request.user,
                source=contact,
                target=form.cleaned_data["target"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Influence recorded."))
        except DomainError as exc:
            messages.error(request, exc.detail)
    return redirect("people:detail", contact.pk)


@login_required
@require_POST
def influence_remove(request: AuthedHttpRequest, contact_id: int, target_id: int) -> HttpResponse:
    contact = _get(request, contact_id)
    edge = Influence.objects.filter(source=contact, target_id=target_id).first()
    if edge is None:
        raise Http404
    allowed(services.influence_remove, user=request.user, influence=edge)
    return redirect("people:detail", contact.pk)


@login_required
@require_POST
def contact_connect(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    """ "I know this person": record the caller's own connection (§3.5)."""
    contact = _get(request, contact_id)
    form = ConnectionForm(request.POST)
    if form.is_valid():
        try:
            services.connection_create(
                user=request.user, employee=request.user, contact=contact, **form.cleaned_data
            )
            messages.success(request, _("Connection recorded."))
        except DomainError as exc:
            messages.error(request, exc.detail)
    return redirect("people:detail", contact.pk)


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
def contact_drawer(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    """A new contact from the account page or the relationship map without leaving it: the
    form as an htmx fragment for a drawer. Refused input comes back with its errors; a saved
    contact answers a fresh form and the `contact-created` event, on which the page reloads
    its contact list or map."""
    try:
        account = get_visible(Account, request.user, pk=account_id, archived_at__isnull=True)
    except NotFound:
        raise Http404 from None
    form = ContactForm(
        request.POST or None,
        user=request.user,
        account=account,
        initial={"account": account.pk},
        prefix="drawer",
    )
    if request.method != "POST":  # after a save the focus stays put: the message shows
        form.fields["name"].widget.attrs["autofocus"] = True
    created = None
    if request.method == "POST":
        created = _save(request, form, None)
        if created is not None:
            form = ContactForm(
                user=request.user, account=account, initial={"account": account.pk}, prefix="drawer"
            )
    response = render(
        request,
        "people/_contact_drawer_form.html",
        {"form": form, "account": account, "created": created},
    )
    if created is not None:
        response["HX-Trigger"] = json.dumps({"contact-created": {"contact": created.pk}})
    return response


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
