"""The interactive API documentation at /api/v1/docs, served from our own static files.

django-ninja's default page loads Swagger UI from a CDN (blank offline, and refused by the
Content-Security-Policy). This page uses the npm package `swagger-ui-dist` that `make vendor`
copies into the static files, and a static start-up script instead of an inline one.
"""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class SelfHostedSwagger(Swagger):
    template = "web/api_docs.html"

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": settings})
