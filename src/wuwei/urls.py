from django.contrib import admin
from django.urls import include, path

from wuwei.core.urlconf import deferred
from wuwei.opportunities import urls as opportunities_urls
from wuwei.pursuit import urls as pursuit_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API (`wuwei.api`) is imported on the first request under /api/v1/ or the first link
    # into it, not by every process that builds a page link (`core.urlconf`).
    deferred("api/v1/", "wuwei.api_urls", app_name="ninja", namespace="api"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("wuwei.web.urls")),
    path("accounts/", include("wuwei.accounts.urls")),
    # Pursuit's pages (strategy and value-proposition tabs, the competitive tactics library)
    # keep their names in the `opportunities` namespace: one include for both apps.
    path(
        "opportunities/",
        include(([*opportunities_urls.urlpatterns, *pursuit_urls.urlpatterns], "opportunities")),
    ),
    path("opportunities/", include("wuwei.opportunities.winning.urls")),
    path("competitors/", include("wuwei.competitors.urls")),
    path("support/", include("wuwei.support.urls")),
    path("coaching/", include("wuwei.coaching.urls")),
    path("", include("wuwei.playbook.urls")),  # /risks/, /playbook/rules/…, deal Risks tab
    path("insights/", include("wuwei.insights.urls")),
    path("forecast/", include("wuwei.insights.forecast.urls")),
    path("scorecard/", include("wuwei.insights.scorecard.urls")),
    path("", include("wuwei.people.urls")),  # /contacts/… and /connections/…
    path("org/", include("wuwei.org.urls")),
    path("notifications/", include("wuwei.notifications.urls")),
    path("data/", include("wuwei.dataio.urls")),
    path("jobs/", include("wuwei.core.urls")),
]

# A database outage answers 503 (JSON under /api/), any other fault 500 (web.views).
handler500 = "wuwei.web.views.server_error"
