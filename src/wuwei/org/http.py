"""The request a page behind @login_required receives: its user is one of ours, typed."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from wuwei.org.models import User


class AuthedHttpRequest(HttpRequest):
    """A request behind @login_required: `user` is a real user, never anonymous."""

    user: User
    htmx: HtmxDetails  # set by django_htmx.middleware.HtmxMiddleware on every request
