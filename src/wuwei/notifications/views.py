"""The notifications page: the user's own, newest first; mark one (htmx) or all read; the
bell's dropdown preview (the latest unread few, fetched by htmx when it opens)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from wuwei.core.errors import NotFound
from wuwei.core.pages import page_from_request, render_list
from wuwei.notifications import selectors, services
from wuwei.notifications.context import Bell
from wuwei.notifications.models import Notification
from wuwei.org.http import AuthedHttpRequest


def _mark_read(request: AuthedHttpRequest, notification_id: int) -> Notification:
    try:
        return services.notification_mark_read(user=request.user, id=notification_id)
    except NotFound:
        raise Http404 from None


@login_required
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notification_list(user=request.user, unread_only=unread_only)
    context = {
        "page": page_from_request(request, qs, sort="-created_at"),
        "unread_only": unread_only,
    }
    return render_list(request, "notifications/list.html", "notifications/_table.html", context)


@login_required
@require_POST
def notification_read(request: AuthedHttpRequest, notification_id: int) -> HttpResponse:
    """htmx: the row, read, and the bell's new count (out of band); else back to the list."""
    notification = _mark_read(request, notification_id)
    if getattr(request, "htmx", False):
        context = {"item": notification, "notification_bell": Bell(request.user), "oob": True}
        return render(request, "notifications/_row.html", context)
    return redirect("notifications:list")


@login_required
def notification_open(request: AuthedHttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link; opening it marks it read."""
    notification = _mark_read(request, notification_id)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications:list")


def _preview(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "items": selectors.unread_preview(user=request.user),
        "notification_bell": Bell(request.user),
    }
    return render(request, "notifications/_preview.html", context)


@login_required
@require_GET
def notification_preview(request: AuthedHttpRequest) -> HttpResponse:
    """The bell's dropdown: the latest unread ones, a link to the list, and the count (oob)."""
    return _preview(request)


@login_required
@require_POST
def notification_read_all(request: AuthedHttpRequest) -> HttpResponse:
    """Mark all read; from the dropdown (htmx) the emptied preview, else back to the list."""
    count = services.notification_mark_all_read(user=request.user)
    if getattr(request, "htmx", False):
        return _preview(request)
    message = ngettext(
        "%(count)s notification marked read.", "%(count)s notifications marked read.", count
    )
    messages.success(request, message % {"count": count})
    return redirect(reverse("notifications:list"))
