"""Coaching pages (METHOD.md §4.10): the manager's queue with an inline review form (htmx),
one's own open action items, and the deal page's Coaching tab. Validate → selector/service."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from wuwei.coaching import selectors, services
from wuwei.coaching.changes import Change
from wuwei.coaching.forms import ActionStatusForm, ReviewForm, action_formset
from wuwei.coaching.models import ActionStatus, CoachingAction
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.pagination import MAX_LIMIT
from wuwei.opportunities.models import Grade, Opportunity
from wuwei.opportunities.selectors import internal_opportunity_get as opportunity_get
from wuwei.opportunities.tabs import attach_badges
from wuwei.org.http import AuthedHttpRequest

KIND_LABELS = {
    "win_rate": gettext_lazy("Win rate"),
    "stage": gettext_lazy("Stage"),
    "compelling_event": gettext_lazy("Compelling event"),
    "risk": gettext_lazy("Risk"),
}
GRADE_FILTERS = ["", "all", *Grade.values]


def _deal(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    try:
        return opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


def _labelled(changes: list[Change]) -> list[tuple[str, Change]]:
    return [(str(KIND_LABELS.get(c.kind, c.kind)), c) for c in changes]


def _grades(value: str) -> tuple[str, ...] | None:
    if value == "all":
        return ()
    return (value,) if value in Grade.values else None


QUEUE_COLUMNS = [
    Column(gettext_lazy("Grade"), lambda item: item.opportunity.grade),
    Column(gettext_lazy("Opportunity"), lambda item: item.opportunity.name),
    Column(gettext_lazy("Account"), lambda item: item.opportunity.account.name),
    Column(gettext_lazy("Owner"), lambda item: item.opportunity.owner),
    Column(gettext_lazy("Amount"), lambda item: item.opportunity.amount),
    Column(gettext_lazy("Currency"), lambda item: item.opportunity.currency),
    Column(gettext_lazy("Stage"), lambda item: item.opportunity.get_stage_display()),
    Column(gettext_lazy("Win rate"), lambda item: item.opportunity.win_rate),
    Column(gettext_lazy("Last reviewed"), lambda item: item.last_reviewed_at),
    Column(gettext_lazy("Open actions"), lambda item: item.open_actions),
    Column(
        gettext_lazy("Changes"),
        lambda item: [f"{label}: {change.message}" for label, change in _labelled(item.changes)],
    ),
]


def _queue_items(user: Any, grades: tuple[str, ...] | None) -> Iterator[Any]:
    """Every deal of the queue, a page of the largest size at a time (the export)."""
    cursor = None
    while True:
        result = selectors.coaching_queue(user=user, grades=grades, limit=MAX_LIMIT, cursor=cursor)
        yield from result.items
        if not result.next:
            return
        cursor = result.next


@login_required
def queue(request: AuthedHttpRequest) -> HttpResponseBase:
    """The deals to coach that changed since their last review."""
    grade = request.GET.get("grade", "")
    grade = grade if grade in GRADE_FILTERS else ""
    if fmt := export_format(request):
        items = (
            _queue_items(request.user, _grades(grade)) if services.is_reviewer(request.user) else []
        )
        return export_response(request, items, QUEUE_COLUMNS, filename="coaching-queue", fmt=fmt)
    try:
        result = selectors.coaching_queue(
            user=request.user, grades=_grades(grade), cursor=request.GET.get("cursor") or None
        )
    except DomainError:  # a mangled cursor: the first page
        result = selectors.coaching_queue(user=request.user, grades=_grades(grade))
    attach_badges(request.user, [item.opportunity for item in result.items])  # risk counts
    context = {
        "queue": result,
        "rows": [(item, _labelled(item.changes)) for item in result.items],
        "grade": grade,
        "grade_filters": GRADE_FILTERS[2:],
        "is_reviewer": services.is_reviewer(request.user),
    }
    template = "coaching/_queue.html" if request.htmx else "coaching/queue.html"
    return render(request, template, context)


ACTION_COLUMNS = [
    Column(gettext_lazy("Action item"), lambda action: action.title),
    Column(gettext_lazy("Opportunity"), lambda action: action.opportunity.name),
    Column(gettext_lazy("Owner"), lambda action: action.owner),
    Column(gettext_lazy("Due"), lambda action: action.due),
    Column(gettext_lazy("Status"), display(CoachingAction, "status")),
]


@login_required
def my_actions(request: AuthedHttpRequest) -> HttpResponseBase:
    """The open coaching action items the user owns."""
    if fmt := export_format(request):
        mine = selectors.action_list(
            user=request.user, owner=request.user.pk, status=ActionStatus.OPEN
        ).order_by("due", "id")
        return export_response(request, mine, ACTION_COLUMNS, filename="coaching-actions", fmt=fmt)
    actions = selectors.my_open_actions(user=request.user)
    rows = [(action, True) for action in actions]  # their owner always updates the status
    context = {"rows": rows, "today": timezone.localdate()}
    return render(request, "coaching/actions.html", context)


def _review_context(
    request: AuthedHttpRequest,
    deal: Opportunity,
    origin: str,
    form: ReviewForm | None = None,
    actions: Any = None,
) -> dict[str, Any]:
    return {
        "deal": deal,
        "origin": origin,
        "form": form or ReviewForm(),
        "actions": actions or action_formset(deal, request.user),
    }


def _reviewable(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    deal = _deal(request, opportunity_id)
    if not services.can_review(request.user, deal):
        raise PermissionDenied(_("You cannot review this deal."))
    return deal


@login_required
def review_form(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    """The review form, fetched into the queue row (htmx) or shown alone."""
    deal = _reviewable(request, opportunity_id)
    origin = "tab" if request.GET.get("origin") == "tab" else "queue"
    return render(request, "coaching/_review_form.html", _review_context(request, deal, origin))


def _items(actions: Any) -> list[tuple[int, tuple[str, Any, Any]]]:
    """(formset row, action item) for every filled-in row."""
    return [
        (index, (f.cleaned_data["title"], f.cleaned_data["owner"], f.cleaned_data["due"]))
        for index, f in enumerate(actions.forms)
        if not f.is_blank
    ]


def _place_errors(form: ReviewForm, actions: Any, rows: list[int], exc: DomainError) -> None:
    """Put the service's errors on the comments field or the action row they name."""
    for field, message in exc.errors:
        parts = field.split(".")
        if len(parts) == 3 and parts[0] == "actions" and parts[1].isdigit():
            actions.forms[rows[int(parts[1])]].add_error(parts[2], message)
        elif field == "comments":
            form.add_error("comments", message)
        else:
            form.add_error(None, message)
    if not exc.errors:
        form.add_error(None, exc.detail)


@login_required
@require_POST
def review_create(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    deal = _reviewable(request, opportunity_id)
    origin = "tab" if request.POST.get("origin") == "tab" else "queue"
    form = ReviewForm(request.POST)
    actions = action_formset(deal, request.user, request.POST)
    if form.is_valid() and actions.is_valid():
        items = _items(actions)
        try:
            review = services.review_create(
                user=request.user,
                opportunity=deal,
                comments=form.cleaned_data["comments"],
                actions=[item for _row, item in items],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from None
        except DomainError as exc:
            _place_errors(form, actions, [row for row, _item in items], exc)
        else:
            return _reviewed(request, deal, origin, review)
    if origin == "tab":
        return _tab(
            request, deal, review_form=_review_context(request, deal, origin, form, actions)
        )
    context = _review_context(request, deal, origin, form, actions)
    return render(request, "coaching/_review_form.html", context)


def _reviewed(
    request: AuthedHttpRequest, deal: Opportunity, origin: str, review: Any
) -> HttpResponse:
    if origin == "tab":
        return _tab(request, deal)
    if not request.htmx:
        return redirect("coaching:queue")
    response = render(request, "coaching/_reviewed.html", {"deal": deal, "review": review})
    return reswap(retarget(response, f"#queue-item-{deal.pk}"), "outerHTML")


def _tab(
    request: AuthedHttpRequest, deal: Opportunity, review_form: dict[str, Any] | None = None
) -> HttpResponse:
    can_review = services.can_review(request.user, deal)
    reviews = selectors.deal_reviews(user=request.user, opportunity=deal)
    context = {
        "deal": deal,
        # the owner of an item ticks it off, those who review the deal change any item
        "reviews": [
            (r, [(a, can_review or a.owner_id == request.user.pk) for a in r.actions.all()])
            for r in reviews
        ],
        "can_review": can_review,
        "today": timezone.localdate(),
        "review": review_form or (_review_context(request, deal, "tab") if can_review else None),
    }
    return render(request, "coaching/_deal_tab.html", context)


@login_required
def deal_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    """The deal page's Coaching tab (a lazy htmx fragment): reviews, actions, the form."""
    return _tab(request, _deal(request, opportunity_id))


def _action(request: AuthedHttpRequest, action_id: int) -> CoachingAction:
    try:
        return selectors.action_get(user=request.user, id=action_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def action_status(request: AuthedHttpRequest, action_id: int) -> HttpResponse:
    """Tick an action item done (or open again); htmx gets the row back."""
    action = _action(request, action_id)
    form = ActionStatusForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("The action could not be updated; reload and try again.")
    else:
        try:
            action = services.action_update(
                user=request.user,
                action=action,
                changes={"status": form.cleaned_data["status"]},
                expected_version=form.cleaned_data["version"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from None
        except DomainError as exc:
            error = exc.detail
        action = _action(request, action.pk)
    if not request.htmx:
        return redirect("coaching:actions")
    context = {
        "action": action,
        "can_update": True,
        "error": error,
        "today": timezone.localdate(),
        "in_deal": request.POST.get("in_deal") == "1",
    }
    return render(request, "coaching/_action_row.html", context)
