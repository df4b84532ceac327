"""A part of the URLconf imported on first use (`deferred`): the JSON API's routers and their
schemas cost ~1.5 s of CPU to import, which every process that builds a page link would
otherwise pay when Django first indexes the URL names (the demo load, the job worker, a web
worker's first request for a page).

Django's root resolver indexes the names of every include when the first link is built or the
first request resolved; a namespaced include needs no more than its namespace for that. This
resolver is imported when a request's path falls under its prefix, when a name in its
namespace is reversed (`reverse("api:…")`), or when its own names are read; `manage.py check`
imports it like any include.
"""

from typing import Any

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern


class DeferredResolver(URLResolver):
    def _imported(self) -> bool:
        return "url_patterns" in self.__dict__  # the cached_property has been read

    def _populate(self) -> None:
        # The root resolver asks every include to index itself; this one waits for its first
        # use (the properties below, `resolve`, or a reverse through its namespace, which
        # reads `url_patterns`).
        if self._imported():
            super()._populate()

    @property
    def reverse_dict(self) -> Any:
        self.url_patterns  # noqa: B018 (import on first use)
        return super().reverse_dict

    @property
    def namespace_dict(self) -> Any:
        self.url_patterns  # noqa: B018
        return super().namespace_dict

    @property
    def app_dict(self) -> Any:
        self.url_patterns  # noqa: B018
        return super().app_dict


def deferred(route: str, module: str, *, app_name: str, namespace: str) -> DeferredResolver:
    """`path(route, include((module, app_name), namespace))`, with `module` (its
    `urlpatterns`) imported on first use."""
    return DeferredResolver(
        RoutePattern(route, is_endpoint=False), module, app_name=app_name, namespace=namespace
    )
