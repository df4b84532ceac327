"""Competitor pages (METHOD.md §4.4): the list with our record against each, the profile page,
and the analysis library, key events and prices of a competitor edited in pages — add, edit,
archive. The same services and permission checks as the API (`competitors.services`); every
edit and archive sends the version the page showed, so a stale one is refused with a
message."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.competitors import selectors
from wuwei.competitors import services as competitors
from wuwei.competitors.forms import (
    CompetitorEventForm,
    CompetitorInsightForm,
    CompetitorPriceForm,
)
from wuwei.competitors.hooks import deal_links
from wuwei.competitors.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPrice,
)
from wuwei.core.errors import Conflict, DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, export_format, export_response, in_batches
from wuwei.core.forms import add_domain_error
from wuwei.core.history import history_entries
from wuwei.core.pages import page_from_request, render_list
from wuwei.org.http import AuthedHttpRequest


@dataclass(frozen=True, slots=True)
class Section:
    """One kind of intelligence record and the services that write it."""

    key: str
    model: type[Model]
    form: type[forms.Form]
    add_title: Any
    edit_title: Any
    create: Callable[..., Any]
    update: Callable[..., Any]
    archive: Callable[..., Any]
    initial: Callable[[Any], dict[str, Any]]


def _insight_create(user: Any, competitor: Competitor, data: dict[str, Any], deal: Any) -> Any:
    return competitors.competitor_insight_add(
        user=user, competitor=competitor, kind=data["kind"], text=data["text"]
    )


def _insight_update(user: Any, item: Any, data: dict[str, Any], version: int | None) -> Any:
    return competitors.competitor_insight_update(
        user=user, insight=item, kind=data["kind"], text=data["text"], expected_version=version
    )


def _event_create(user: Any, competitor: Competitor, data: dict[str, Any], deal: Any) -> Any:
    return competitors.competitor_event_add(
        user=user,
        competitor=competitor,
        happened_on=data["happened_on"],
        title=data["title"],
        description=data["description"],
        account=deal.account if deal is not None else None,
    )


def _event_update(user: Any, item: Any, data: dict[str, Any], version: int | None) -> Any:
    return competitors.competitor_event_update(
        user=user, event=item, changes=data, expected_version=version
    )


def _price_create(user: Any, competitor: Competitor, data: dict[str, Any], deal: Any) -> Any:
    return competitors.competitor_price_add(
        user=user, competitor=competitor, opportunity=deal, **data
    )


def _price_update(user: Any, item: Any, data: dict[str, Any], version: int | None) -> Any:
    return competitors.competitor_price_update(
        user=user, price=item, changes=data, expected_version=version
    )


SECTIONS = {
    "insights": Section(
        key="insights",
        model=CompetitorInsight,
        form=CompetitorInsightForm,
        add_title=gettext_lazy("Add to the analysis library"),
        edit_title=gettext_lazy("Edit analysis entry"),
        create=_insight_create,
        update=_insight_update,
        archive=lambda user, item, version: competitors.competitor_insight_archive(
            user=user, insight=item, expected_version=version
        ),
        initial=lambda item: {"kind": item.kind, "text": item.text},
    ),
    "events": Section(
        key="events",
        model=CompetitorEvent,
        form=CompetitorEventForm,
        add_title=gettext_lazy("Add a key event"),
        edit_title=gettext_lazy("Edit key event"),
        create=_event_create,
        update=_event_update,
        archive=lambda user, item, version: competitors.competitor_event_archive(
            user=user, event=item, expected_version=version
        ),
        initial=lambda item: {
            "happened_on": item.happened_on,
            "title": item.title,
            "description": item.description,
        },
    ),
    "prices": Section(
        key="prices",
        model=CompetitorPrice,
        form=CompetitorPriceForm,
        add_title=gettext_lazy("Record a price"),
        edit_title=gettext_lazy("Edit price"),
        create=_price_create,
        update=_price_update,
        archive=lambda user, item, version: competitors.competitor_price_archive(
            user=user, price=item, expected_version=version
        ),
        initial=lambda item: {
            "price": item.price,
            "currency": item.currency,
            "quoted_on": item.quoted_on,
            "notes": item.notes,
        },
    ),
}


def _competitor(request: AuthedHttpRequest, competitor_id: int) -> Competitor:
    try:
        return selectors.competitor_get(user=request.user, id=competitor_id)
    except NotFound:
        raise Http404 from None


def _item(request: AuthedHttpRequest, section: Section, competitor: Competitor, pk: int) -> Any:
    """A live record of this competitor that the user can see (prices on hidden deals and
    events on hidden customers are absent)."""
    try:
        return selectors.competitor_record_get(
            user=request.user, model=section.model, competitor=competitor, id=pk
        )
    except NotFound:
        raise Http404 from None


def _deal(request: AuthedHttpRequest) -> Model | None:
    """The deal the form was opened from (the deal's competitors tab), if any."""
    raw = request.POST.get("opportunity") or request.GET.get("opportunity") or ""
    if not raw.isdigit():
        return None
    try:
        return deal_links().internal_deal(request.user, int(raw))
    except NotFound:
        raise Http404 from None


def _back(competitor: Competitor, section: Section, deal: Model | None) -> str:
    if deal is not None:
        return reverse("opportunities:detail", args=[deal.pk]) + "#competitors"
    return reverse("competitors:detail", args=[competitor.pk]) + f"#{section.key}"


def _page(
    request: AuthedHttpRequest,
    section: Section,
    competitor: Competitor,
    form: forms.Form,
    deal: Model | None,
    item: Any = None,
) -> HttpResponse:
    context = {
        "competitor": competitor,
        "section": section.key,
        "title": section.edit_title if item is not None else section.add_title,
        "form": form,
        "item": item,
        "deal": deal,
        "back": _back(competitor, section, deal),
    }
    return render(request, "competitors/intel_form.html", context)


def _data(form: forms.Form) -> tuple[dict[str, Any], int | None]:
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    return data, version


@login_required
def intel_add(request: AuthedHttpRequest, competitor_id: int, section: str) -> HttpResponse:
    """GET: the empty form; POST: create through the section's service."""
    spec = SECTIONS[section]
    competitor = _competitor(request, competitor_id)
    deal = _deal(request)
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, _version = _data(form)
        try:
            spec.create(request.user, competitor, data, deal)
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(competitor, spec, deal))
    return _page(request, spec, competitor, form, deal)


@login_required
def intel_edit(
    request: AuthedHttpRequest, competitor_id: int, section: str, **ids: int
) -> HttpResponse:
    spec = SECTIONS[section]
    competitor = _competitor(request, competitor_id)
    item = _item(request, spec, competitor, next(iter(ids.values())))
    deal = _deal(request)
    form = spec.form(request.POST or None, initial={**spec.initial(item), "version": item.version})
    if request.method == "POST" and form.is_valid():
        data, version = _data(form)
        try:
            spec.update(request.user, item, data, version)
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(competitor, spec, deal))
    return _page(request, spec, competitor, form, deal, item)


@login_required
@require_POST
def intel_archive(
    request: AuthedHttpRequest, competitor_id: int, section: str, **ids: int
) -> HttpResponse:
    spec = SECTIONS[section]
    competitor = _competitor(request, competitor_id)
    item = _item(request, spec, competitor, next(iter(ids.values())))
    deal = _deal(request)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        spec.archive(request.user, item, version)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except Conflict as exc:
        messages.error(request, exc.detail)
        edit = reverse(f"competitors:{spec.key}_edit", args=[competitor.pk, item.pk])
        return redirect(edit + (f"?opportunity={deal.pk}" if deal is not None else ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Archived. An administrator can restore it."))
    return redirect(_back(competitor, spec, deal))


COMPETITOR_COLUMNS = [
    Column(gettext_lazy("ID"), lambda row: row[0].pk),
    Column(gettext_lazy("Name"), lambda row: row[0].name),
    Column(gettext_lazy("Headquarters"), lambda row: row[0].headquarters),
    Column(gettext_lazy("Website"), lambda row: row[0].website),
    Column(gettext_lazy("Open deals"), lambda row: row[1].get(row[0].pk, selectors.Record()).open),
    Column(gettext_lazy("Won against"), lambda row: row[1].get(row[0].pk, selectors.Record()).won),
    Column(gettext_lazy("Lost"), lambda row: row[1].get(row[0].pk, selectors.Record()).lost),
    Column(
        gettext_lazy("Lost to them"), lambda row: row[1].get(row[0].pk, selectors.Record()).lost_to
    ),
    Column(
        gettext_lazy("Our win rate"),
        lambda row: row[1].get(row[0].pk, selectors.Record()).win_rate,
    ),
]


@login_required
def competitor_list(request: HttpRequest) -> HttpResponseBase:
    qs = selectors.competitor_list(user=request.user, q=request.GET.get("q", "")[:200] or None)
    if fmt := export_format(request):
        user = request.user
        batches = in_batches(
            qs.order_by("name", "pk"),
            lambda batch: selectors.competitor_records(
                user=user, competitor_ids=[c.pk for c in batch]
            ),
        )
        return export_response(
            request, batches, COMPETITOR_COLUMNS, filename="competitors", fmt=fmt
        )
    page = page_from_request(request, qs, sort="name")
    records = selectors.competitor_records(
        user=request.user, competitor_ids=[c.pk for c in page.items]
    )
    rows = [(c, records.get(c.pk, selectors.Record())) for c in page.items]
    return render_list(
        request, "competitors/list.html", "competitors/_table.html", {"page": page, "rows": rows}
    )


@login_required
def competitor_detail(request: HttpRequest, competitor_id: int) -> HttpResponse:
    try:
        competitor = selectors.competitor_get(user=request.user, id=competitor_id)
    except NotFound:
        raise Http404 from None
    insights = list(competitor.insights.filter(archived_at__isnull=True))
    record = selectors.competitor_records(user=request.user, competitor_ids=[competitor.pk])
    prices = selectors.competitor_prices(user=request.user, competitor=competitor)
    context = {
        "competitor": competitor,
        "insights": {
            kind: [i for i in insights if i.kind == kind]
            for kind in ("strength", "weakness", "tactic")
        },
        "relations": selectors.competitor_relations(user=request.user, competitor=competitor),
        "partners": list(competitor.partners.filter(archived_at__isnull=True)),
        "events": selectors.competitor_events(user=request.user, competitor=competitor),
        "prices": prices.select_related("opportunity", "product").order_by("-quoted_on", "-id")[
            :50
        ],
        "record": record.get(competitor.pk, selectors.Record()),
        "history": history_entries(competitor),
    }
    return render(request, "competitors/detail.html", context)
