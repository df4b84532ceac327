"""Typing for views behind `login_required`: `request.user` is a real User there."""

from django.http import HttpRequest

from wuwei.org.models import User


class AuthedRequest(HttpRequest):
    user: User
