"""The JSON API's URL patterns (/api/v1/), imported on first use: see `core.urlconf`."""

from wuwei.api import api

urlpatterns, app_name, _namespace = api.urls
