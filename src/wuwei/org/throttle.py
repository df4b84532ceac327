"""What a locked-out login attempt gets (django-axes calls this)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    detail = _("Too many failed login attempts. Try again in 15 minutes.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=429)
    return render(request, "web/login.html", {"lockout": detail}, status=429)
