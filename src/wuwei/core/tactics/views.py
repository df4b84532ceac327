"""The one library editor: the list page grouped by strategy, the tactic form, archive."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.forms import add_domain_error
from wuwei.core.tactics.forms import TacticForm
from wuwei.core.tactics.services import TacticLibrary


@dataclass(frozen=True)
class TacticLibraryPages:
    """The pages of one library. `url_prefix` names the app's URLs `<prefix>s` (list),
    `<prefix>_create`, `<prefix>_edit` and `<prefix>_archive` in `namespace`."""

    library: TacticLibrary[Any]
    strategies: type[models.TextChoices]
    namespace: str
    url_prefix: str
    title: str | Promise
    heading: str | Promise
    testid: str
    help: Mapping[str, Any] = field(default_factory=dict)

    def _url(self, name: str) -> str:
        return f"{self.namespace}:{self.url_prefix}{name}"

    def _context(self, **extra: Any) -> dict[str, Any]:
        return {
            "title": self.title,
            "heading": self.heading,
            "testid": self.testid,
            "list_url": self._url("s"),
            "create_url": self._url("_create"),
            "edit_url": self._url("_edit"),
            "archive_url": self._url("_archive"),
            **extra,
        }

    def _get(self, request: HttpRequest, tactic_id: int) -> Any:
        try:
            return self.library.get(user=request.user, id=tactic_id)
        except NotFound:
            raise Http404 from None

    def index(self, request: HttpRequest) -> HttpResponse:
        tactics = list(self.library.list(user=request.user).order_by("strategy", "position", "id"))
        groups = [
            (value, label, self.help.get(value, ""), [t for t in tactics if t.strategy == value])
            for value, label in self.strategies.choices
        ]
        context = self._context(groups=groups, can_edit=self.library.may_edit(request.user))
        return render(request, "core/tactics/library.html", context)

    def edit(self, request: HttpRequest, tactic_id: int | None = None) -> HttpResponse:
        tactic = self._get(request, tactic_id) if tactic_id is not None else None
        if not self.library.may_edit(request.user):
            raise PermissionDenied(_("Only managers and administrators edit the tactics library."))
        names = TacticForm.base_fields
        initial = {f: getattr(tactic, f) for f in names} if tactic is not None else {}
        form = TacticForm(request.POST or None, initial=initial, strategies=self.strategies.choices)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                if tactic is None:
                    self.library.create(user=request.user, **data)
                else:
                    self.library.update(
                        user=request.user, tactic=tactic, changes=data, expected_version=version
                    )
            except NotAllowed as exc:
                raise PermissionDenied(exc.detail) from None
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Tactic saved."))
                return redirect(self._url("s"))
        return render(request, "core/tactics/form.html", self._context(form=form, tactic=tactic))

    def archive(self, request: HttpRequest, tactic_id: int) -> HttpResponse:
        tactic = self._get(request, tactic_id)
        try:
            self.library.archive(user=request.user, tactic=tactic)
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from None
        messages.success(request, _("Tactic removed from the library."))
        return redirect(self._url("s"))

    def urls(self, base: str) -> list[URLPattern]:
        """`base` (e.g. "tactics/"): the list, new, edit and archive pages."""
        return [
            path(base, login_required(self.index), name=f"{self.url_prefix}s"),
            path(f"{base}new/", login_required(self.edit), name=f"{self.url_prefix}_create"),
            path(
                f"{base}<int:tactic_id>/",
                login_required(self.edit),
                name=f"{self.url_prefix}_edit",
            ),
            path(
                f"{base}<int:tactic_id>/archive/",
                login_required(require_POST(self.archive)),
                name=f"{self.url_prefix}_archive",
            ),
        ]
