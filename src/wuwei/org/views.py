"""The handover page (METHOD.md §3.5): preview what a user owns, hand it to successors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wuwei.core.errors import DomainError, NotFound
from wuwei.core.visibility import get_visible
from wuwei.org.forms import HandoverForm
from wuwei.org.handover import handover_pending, handover_run, may_hand_over
from wuwei.org.models import HandoverRecord, Role, User
from wuwei.web.forms import add_domain_error
from wuwei.web.pages import AuthedHttpRequest


def _may_open(user: User) -> bool:
    return user.is_superuser or bool(user.role_slugs & {Role.ADMIN, Role.MANAGER})


@login_required
def handover(request: AuthedHttpRequest) -> HttpResponse:
    if not _may_open(request.user):
        raise PermissionDenied(_("Only administrators and managers run handovers."))
    target = None
    user_id = request.GET.get("user", "")
    if user_id.isdigit():
        try:
            target = get_visible(User, request.user, pk=int(user_id))
        except NotFound:
            raise Http404 from None
        if not may_hand_over(request.user, target):
            raise PermissionDenied(_("Only an administrator or the user's manager can do this."))
    form = None
    if target is not None:
        form = HandoverForm(request.POST or None, user=target)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                handover_run(
                    actor=request.user,
                    user=target,
                    reason=data["reason"],
                    default_successor=data["successor"],
                    successors=form.successors(),
                    note=data["note"],
                    deactivate=data["deactivate"],
                    new_team=data["team"],
                )
                messages.success(request, _("Handover done."))
                return redirect(f"{reverse('org:handover')}?user={target.pk}")
            except DomainError as exc:
                add_domain_error(form, exc)
    users = User.objects.order_by("-is_active", "username")
    records = HandoverRecord.objects.select_related("user", "performed_by")[:20]
    if not (request.user.is_superuser or Role.ADMIN in request.user.role_slugs):
        records = records.none() if target is None else records.filter(user=target)
    return render(
        request,
        "org/handover.html",
        {
            "target": target,
            "pending": handover_pending(target) if target else [],
            "form": form,
            "users": users,
            "records": records,
        },
    )
